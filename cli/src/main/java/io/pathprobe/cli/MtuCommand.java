package io.pathprobe.cli;

import io.pathprobe.PathTracer;
import io.pathprobe.PathTracerBuilder;
import io.pathprobe.json.MtuJson;
import io.pathprobe.mtu.MtuRequest;
import io.pathprobe.mtu.MtuResult;
import io.pathprobe.trace.TraceStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
/**
 * {@code pathprobe mtu}: the path MTU at each hop to TARGET, as tracepath prints it ({@link MtuResult}'s
 * text: the first link, each hop with the {@code pmtu N} a router reported, the black hole, {@code Resume:
 * pmtu N hops H}); {@code --format json} the path MTU document ({@link MtuJson#write}). Exit codes: 0 the
 * destination answered, 1 it did not (cut short, too many hops, unreachable), 2 bad input or no probe can
 * leave this host.
 */
@Command(name = "mtu", mixinStandardHelpOptions = true, sortOptions = false,
        resourceBundle = "io.pathprobe.cli.MtuHelp", // --transport's own text
        description = "Discover the path MTU at each hop to TARGET, as tracepath does (UDP probes that must not be "
                + "fragmented, shrinking to the MTU a router reports), and MTU black holes (large probes that vanish "
                + "without a report). Exit code 0 when the destination answered, 1 when not, 2 "
                + "for bad input or when no "
                + "probe can leave this host (one line says why).")
final class MtuCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "TARGET", description = "Host name or address.")
    String target = "";

    @ApiWord("maxSize")
    @Option(names = {"-l", "--max-size"}, description = "Size of the first probe in bytes, IP header included, "
            + "1280..65535 (default ${DEFAULT-VALUE}: this host's first link refuses a larger one than its MTU).")
    int maxSize = MtuRequest.MAX_SIZE;

    @ApiWord("destinationPort")
    @Option(names = {"-p", "--port"}, description = "First UDP destination port; each probe uses the next "
            + "(default ${DEFAULT-VALUE}).")
    int port = 33434;

    @CommandLine.Mixin
    TtlOptions.First first = new TtlOptions.First();

    @ApiWord("maxTtl")
    @Option(names = {"-m", "--max-ttl"}, converter = Counts.AtLeastOne.class,
            description = "Largest TTL (default ${DEFAULT-VALUE}, tracepath's).")
    int maxTtl = 30;

    @ApiWord("probesPerTtl")
    @Option(names = {"-q", "--queries"}, converter = Counts.AtLeastOne.class,
            description = "Probes of one size per TTL before they count as lost "
            + "(default ${DEFAULT-VALUE}).")
    int attempts = 2;

    @ApiWord("probeTimeout")
    @Option(names = {"-w", "--wait"}, description = "Longest wait for one probe, e.g. 1s, 500ms (default 1s).",
            converter = PathProbeCli.DurationConverter.class)
    @Nullable Duration wait;

    @Option(names = "--tos", paramLabel = "TOS", converter = Marking.class, description = Marking.HELP)
    io.pathprobe.probe.@Nullable TrafficClass tos;

    @ApiWord("deadline")
    @Option(names = "--deadline", description = "Longest the whole discovery may take (default 2min).",
            converter = PathProbeCli.DurationConverter.class)
    @Nullable Duration deadline;

    @Option(names = "-n", description = "Addresses only, as tracepath -n: taken, and changes nothing (this command "
            + "never looks host names up).")
    boolean numeric;

    @CommandLine.Mixin
    MeasureOptions shared = new MeasureOptions(new OutputOptions.TextOrJson());

    @CommandLine.Mixin
    TracerOptions setup = new TracerOptions();

    @Override
    public Integer call() {
        PrintStream out = System.out;
        OutputOptions.Format format = shared.output.format();
        MtuRequest request = request();
        PathTracerBuilder tb = setup.builder(PathTracer.builder().offline(), shared.mask.masking(), null);
        PathTracer replaying = ReplayCommand.replaying();
        try (PathTracer tracer = setup.opened(replaying != null ? replaying : tb.build())) {
            return UntilInterrupted.measure(tracer, request, measured -> {
                MtuResult r = shared.mask.masking().apply(measured); // what --mask hides, hidden in the result
                shared.html.write(() -> io.pathprobe.report.HtmlReport.of(measured, shared.mask.masking()));
                if (format != OutputOptions.Format.JSON && exitCode(r) == 2) {
                    // an error: one line on stderr (the user's target)
                    PathProbeCli.error(shared.output.spec, cannotSendLine(r));
                    return 2;
                }
                out.print(format == OutputOptions.Format.JSON ? io.pathprobe.json.MtuJson.write(r) + "\n"
                        : r + "\n");
                out.flush();
                return exitCode(r);
            });
        }
    }

    /** The request the options describe; {@link IllegalArgumentException} for bad values, before anything is sent. */
    MtuRequest request() {
        MtuRequest.Builder b = MtuRequest.builder(target).maxSize(maxSize).destinationPort(port)
                .firstTtl(first.firstTtl).maxTtl(maxTtl).probesPerTtl(attempts);
        shared.family.apply(b, wait, tos, deadline);
        return b.build();
    }

    /**
     * One line, as trace's: {@code no route from this host to 2001:db8::1 (transport linux-raw-udp, 0 probes sent)}.
     */
    static String cannotSendLine(MtuResult r) {
        return String.format(java.util.Locale.ROOT, "%s to %s (transport %s, %d probes sent)",
                r.status() == TraceStatus.NO_ROUTE ? "no route from this host" : "no probe can be sent from this host",
                r.destination().map(io.pathprobe.probe.AddressText::of).orElse(r.target()),
                r.transport(), r.probesSent());
    }

    /** 0 the destination answered, 2 no probe can leave this host, 1 otherwise. */
    static int exitCode(MtuResult r) {
        if (r.status() == TraceStatus.NO_ROUTE || r.status() == TraceStatus.SEND_FAILED) {
            return 2;
        }
        return r.destinationReached() ? 0 : 1;
    }
}
