package io.pathprobe.cli;

import io.pathprobe.PathTracer;
import io.pathprobe.compare.CompareRequest;
import io.pathprobe.compare.CompareResult;
import io.pathprobe.graph.PathGraph;
import io.pathprobe.json.CompareJson;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.report.HtmlReport;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pathprobe compare}: traces TARGET with ICMP, UDP and TCP (to {@code -p PORT}, 443 by default) Paris
 * flows at once and prints where their paths part and meet again and which protocol stops where
 * ({@link CompareResult}'s text: a table with a column per protocol, then the findings); {@code --json} the
 * comparison document ({@link CompareJson#write}). Exit codes: 0 every protocol took one path to the destination,
 * 1 they part or one stops short (or none reached it), 2 bad input or no probe of any protocol can leave this host.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Trace TARGET with ICMP, UDP and TCP (to --port, 443 by default) Paris flows at once and show, "
                + "hop by hop, where their paths part and meet again and after which hop a protocol stops (a firewall "
                + "that passes ICMP but drops TCP/443). Exit code 0 when every protocol takes one path to the "
                + "destination, 1 when they part or one stops short, 2 for bad input or when no probe can leave "
                + "this host (one line says why).")
final class CompareCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "TARGET", description = "Host name or address.")
    String target = "";

    @ApiWord("tcpPort")
    @Option(names = {"-p", "--port"}, description = "TCP destination port (default ${DEFAULT-VALUE}).")
    int port = CompareRequest.DEFAULT_TCP_PORT;

    @ApiWord("udpPort")
    @Option(names = "--udp-port", description = "UDP destination port (default ${DEFAULT-VALUE}, traceroute's).")
    int udpPort = 33434;

    @Option(names = "--protocols", split = ",", paramLabel = "PROTOCOL",
            description = "The protocols to compare, at least two, comma-separated: icmp, udp, tcp (default all "
                    + "three).", converter = ProtocolConverter.class)
    List<ProbeProtocol> protocols = new ArrayList<>(CompareRequest.DEFAULT_PROTOCOLS);

    @CommandLine.Mixin
    TtlOptions.Range ttl = new TtlOptions.Range(30);

    @ApiWord("probesPerTtl")
    @Option(names = {"-q", "--queries"}, converter = Counts.AtLeastOne.class,
            description = "Probes per TTL and protocol (default ${DEFAULT-VALUE}).")
    int queries = 3;

    @ApiWord("probeTimeout")
    @Option(names = {"-w", "--wait"}, description = "Longest wait for one probe, e.g. 1s, 500ms (default 1s).",
            converter = PathProbeCli.DurationConverter.class)
    @Nullable Duration wait;

    @Option(names = {"-t", "--tos"}, paramLabel = "TOS", converter = Marking.class, description = Marking.HELP)
    io.pathprobe.probe.@Nullable TrafficClass tos;

    @ApiWord("deadline")
    @Option(names = "--deadline", description = "Longest the whole comparison may take (default 30s).",
            converter = PathProbeCli.DurationConverter.class)
    @Nullable Duration deadline;

    @Option(names = "-n", description = "Addresses only, as traceroute -n: taken, and changes nothing (this command "
            + "never looks host names up).")
    boolean numeric;

    @CommandLine.Mixin
    MeasureOptions shared = new MeasureOptions(new OutputOptions.TextJsonOrDot());

    @CommandLine.Mixin
    PacingOptions pacing = new PacingOptions();

    @CommandLine.Mixin
    UserOption user = new UserOption();

    /** icmp, udp, tcp in any case. */
    static final class ProtocolConverter implements CommandLine.ITypeConverter<ProbeProtocol> {
        @Override
        public ProbeProtocol convert(String value) {
            try {
                return ProbeProtocol.valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not icmp, udp or tcp");
            }
        }
    }

    @Override
    public Integer call() {
        PrintStream out = System.out;
        OutputOptions.Format format = shared.output.format();
        CompareRequest request = request();
        try (PathTracer tracer = user.opened(pacing.apply(PathTracer.builder().offline()).build(), null)) {
            return UntilInterrupted.measure(tracer, request, r -> {
                int code = exitCode(r);
                io.pathprobe.evidence.Masking m = shared.mask.masking();
                shared.html.write(() -> HtmlReport.of(r, m));
                if (format != OutputOptions.Format.JSON && code == 2) {
                    PathProbeCli.error(shared.output.spec, m.redact(cannotSendLine(r))); // an error: one line on stderr
                    return code;
                }
                CompareResult masked = m.apply(r);
                out.print(format == OutputOptions.Format.JSON ? io.pathprobe.json.CompareJson.write(masked) + "\n"
                        : format == OutputOptions.Format.DOT ? PathGraph.of(masked).toDot() : masked + "\n");
                out.flush();
                return code;
            });
        }
    }

    /** The request the options describe; {@link IllegalArgumentException} for bad values, before anything is sent. */
    CompareRequest request() {
        CompareRequest.Builder b = CompareRequest.builder(target).protocols(protocols).tcpPort(port).udpPort(udpPort)
                .firstTtl(ttl.first.firstTtl).maxTtl(ttl.maxTtl).probesPerTtl(queries);
        shared.family.apply(b, wait, tos, deadline);
        return b.build();
    }

    /**
     * The one line of a comparison no protocol could send, as trace's: {@code no route from this host to 10.1.2.3:
     * sendmsg: ENETUNREACH (...) (ICMP, UDP, TCP/443)}; each protocol's own reason where they differ.
     */
    static String cannotSendLine(CompareResult r) {
        boolean noRoute = r.traces().stream().allMatch(t -> t.status() == TraceStatus.NO_ROUTE);
        java.util.Map<String, List<String>> byReason = new java.util.LinkedHashMap<>();
        for (TraceResult t : r.traces()) {
            String why = t.sendFailure().or(t::protocolNote).map(PathProbeCli::withoutSlashes).orElse("");
            byReason.computeIfAbsent(why, k -> new ArrayList<>()).add(r.request().label(t.protocol()));
        }
        String head = (noRoute ? "no route from this host" : "no probe can be sent from this host") + " to "
                + r.traces().get(0).destination().map(io.pathprobe.probe.AddressText::of).orElse(r.request().target());
        if (byReason.size() == 1) {
            var e = byReason.entrySet().iterator().next();
            return head + (e.getKey().isEmpty() ? "" : ": " + e.getKey()) + " (" + String.join(", ", e.getValue())
                    + ")";
        }
        return head + ": " + byReason.entrySet().stream()
                .map(e -> String.join(", ", e.getValue()) + (e.getKey().isEmpty() ? "" : ": " + e.getKey()))
                .collect(java.util.stream.Collectors.joining("; "));
    }

    /**
     * What was measured: 2 when no protocol could be probed (no transport, no route), 0 when every protocol probed
     * took one path to the destination (one this host could not send, {@link CompareResult#notProbed()}, is said and
     * left out), 1 otherwise (they part, one stops short, the destination did not answer).
     */
    static int exitCode(CompareResult r) {
        List<ProbeProtocol> unprobed = r.notProbed();
        if (unprobed.size() == r.traces().size()) {
            return 2;
        }
        return r.samePath() && r.ends().stream().filter(e -> !unprobed.contains(e.protocol()))
                .allMatch(e -> e.reachedDestination()) ? 0 : 1;
    }
}
