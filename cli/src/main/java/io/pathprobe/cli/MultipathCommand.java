package io.pathprobe.cli;

import io.pathprobe.PathTracer;
import io.pathprobe.PathTracerBuilder;
import io.pathprobe.evidence.Masking;
import io.pathprobe.graph.PathGraph;
import io.pathprobe.json.AtlasJson;
import io.pathprobe.json.MultipathJson;
import io.pathprobe.json.ScamperJson;
import io.pathprobe.multipath.MultipathAlgorithm;
import io.pathprobe.multipath.MultipathListener;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.report.HtmlReport;
import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
/**
 * {@code pathprobe multipath}: every load-balanced path to TARGET (MDA / MDA-Lite), printed as the
 * topology hop by hop with the branches side by side, the diamonds, and a table of paths with their
 * loss and RTT ({@link MultipathReport}); {@code --format json} one object ({@link MultipathJson}),
 * {@code --format atlas} one
 * RIPE Atlas traceroute record with a reply per flow ({@link AtlasJson}), {@code --format scamper} scamper's
 * tracelb object between its cycle lines ({@link ScamperJson}, {@link ScamperLines}). Exit codes:
 * 0 complete and the destination answered, 1 cut short or the destination did not answer, 2 bad input.
 */
@Command(name = "multipath", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Find every load-balanced (ECMP) path to TARGET with a stated confidence, and the loss and "
                + "RTT of each. Exit code 0 when complete and the destination answered, 1 when cut short or not "
                + "reached, 2 for bad input.")
final class MultipathCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "TARGET", description = "Host name or address.")
    String target = "";

    @ApiWord("confidence")
    @Option(names = "--confidence", description = "Per-node confidence in percent, strictly between 0 and 100 "
            + "(95 and 99 are scamper's; default ${DEFAULT-VALUE}).")
    double confidence = MultipathRequest.DEFAULT_CONFIDENCE;

    @Option(names = {"-P", "--protocol"}, description = "udp (default; flows by destination port), icmp (by checksum) "
            + "or tcp (by source port).")
    @Nullable ProbeProtocol protocol;

    @ApiWord("destinationPort")
    @Option(names = {"-p", "--port"}, description = "UDP: destination port of flow 0 (flow n uses port + n; default "
            + "33434); TCP: the destination port (default 80).")
    @Nullable Integer port;

    @ApiWord("pathProbes")
    @Option(names = "--path-probes", description = "Probes per hop of every path once found, for its loss and RTT; "
            + "0 measures nothing (default ${DEFAULT-VALUE}).")
    int pathProbes = 10;

    @CommandLine.Mixin
    TcpConfirmOption tcpConfirm = new TcpConfirmOption();

    @Option(names = "--algorithm", description = "mda-lite (default: fewer probes on unmeshed diamonds) or mda.",
            converter = AlgorithmConverter.class)
    MultipathAlgorithm algorithm = MultipathAlgorithm.MDA_LITE;

    @ApiWord("maxProbes")
    @Option(names = "--max-probes", converter = Counts.AtLeastOne.class,
            description = "Probe budget, discovery and path probes together "
            + "(default ${DEFAULT-VALUE}).")
    int maxProbes = MultipathRequest.DEFAULT_MAX_PROBES;

    @CommandLine.Mixin
    TtlOptions.Range ttl = new TtlOptions.Range(32);

    @ApiWord("probeTimeout")
    @Option(names = {"-w", "--wait"}, description = "Longest wait for one probe, e.g. 1s, 500ms (default 1s).",
            converter = PathProbeCli.DurationConverter.class)
    @Nullable Duration wait;

    @Option(names = "--tos", paramLabel = "TOS", converter = Marking.class, description = Marking.HELP)
    io.pathprobe.probe.@Nullable TrafficClass tos;

    @ApiWord("deadline")
    @Option(names = "--deadline", description = "Longest the whole discovery may take, path probes included "
            + "(default 30s).", converter = PathProbeCli.DurationConverter.class)
    @Nullable Duration deadline;

    @CommandLine.Mixin
    MeasureOptions shared = new MeasureOptions(new OutputOptions.WithAtlasAndScamper());

    @CommandLine.Mixin
    TracerOptions setup = new TracerOptions();

    @Option(names = "--width", description = "Columns of the text output (default ${DEFAULT-VALUE}).")
    int width = 100;

    @CommandLine.Mixin
    EnrichOptions enrich = new EnrichOptions();

    @Override
    public Integer call() {
        PrintStream out = System.out;
        OutputOptions.Format format = shared.output.format();
        MultipathRequest request = request();
        if (width < 40) {
            throw shared.output.usage("--width " + width + ": the text needs at least 40 columns");
        }
        PathTracerBuilder tb = tracer(); // bad server addresses fail before anything is sent
        try (PathTracer tracer = setup.opened(enrich.build(tb, this::tracer))) {
            return UntilInterrupted.measure(tracer, request, r -> {
                if (request.listener() instanceof Header h) {
                    h.finish(r);
                }
                Masking m = shared.mask.masking();
                MultipathResult masked = m.apply(r);
                shared.html.write(() -> HtmlReport.of(r, m));
                if (format == OutputOptions.Format.TEXT && MultipathReport.cannotSend(r)) {
                    // an error: one line on stderr naming the command (the result's own one line says why)
                    PathProbeCli.error(shared.output.spec, MultipathReport.render(masked, width));
                    return exitCode(r);
                }
                out.print(switch (format) {
                    case JSON -> MultipathJson.write(masked) + "\n";
                    case ATLAS -> AtlasJson.multipath(masked) + "\n";
                    case SCAMPER -> ScamperLines.lines(r.startedAt(), r.startedAt().plus(r.duration()),
                            List.of(ScamperJson.tracelb(masked, ScamperLines.source(Optional.of(r.destination())))),
                            m) + "\n";
                    case DOT -> PathGraph.of(masked).toDot();
                    case TEXT -> MultipathReport.render(masked, width);
                });
                out.flush();
                return exitCode(r);
            });
        }
    }

    /** The request the options describe; {@link IllegalArgumentException} for bad values, before anything is sent. */
    MultipathRequest request() {
        MultipathRequest.Builder b = MultipathRequest.builder(target).confidence(confidence).pathProbes(pathProbes)
                .algorithm(algorithm).maxProbes(maxProbes).firstTtl(ttl.first.firstTtl).maxTtl(ttl.maxTtl)
                .tcpConfirmation(tcpConfirm.tcpConfirm);
        if (protocol != null) {
            b.protocol(protocol);
        }
        if (port != null) {
            if (protocol == ProbeProtocol.ICMP) {
                throw new IllegalArgumentException("--port is for udp and tcp probes, not icmp");
            }
            b.destinationPort(port);
        }
        shared.family.apply(b, wait, tos, deadline);
        b.enrich(enrich.mode());
        if (shared.output.format() == OutputOptions.Format.TEXT) {
            b.listener(new Header(System.out));
        }
        return b.build();
    }

    /**
     * 0 complete and the destination answered, 2 when no probe can leave this host (no route, no source
     * address of the target's family), 1 otherwise (cut short, cancelled, not reached).
     */
    static int exitCode(MultipathResult r) {
        return MultipathReport.cannotSend(r) ? 2 : r.complete() && r.destinationReached() ? 0 : 1;
    }

    /**
     * Prints the first line once the discovery is under way (its first node or round; the topology
     * follows at the end), or at the end: a discovery that cannot send prints only its one line.
     */
    static final class Header implements MultipathListener {
        private final PrintStream out;
        private @Nullable String line;

        Header(PrintStream out) {
            this.out = out;
        }

        @Override
        public synchronized void started(MultipathRequest request, InetAddress destination, String transport) {
            line = MultipathReport.header(request, destination, transport);
        }

        @Override
        public void nodeFound(io.pathprobe.multipath.MultipathNode node) {
            print();
        }

        @Override
        public void roundCompleted(int round, int probes) {
            print();
        }

        synchronized void finish(MultipathResult r) {
            if (MultipathReport.cannotSend(r)) {
                line = null;
            }
            print();
        }

        private synchronized void print() {
            if (line != null) {
                out.println(line);
                out.flush();
                line = null;
            }
        }
    }

    /** "mda" or "mda-lite" (also the enum's names, any case). */
    static final class AlgorithmConverter implements CommandLine.ITypeConverter<MultipathAlgorithm> {
        @Override
        public MultipathAlgorithm convert(String value) {
            String v = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            try {
                return MultipathAlgorithm.valueOf(v);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not an algorithm: mda or mda-lite");
            }
        }
    }

    static String address(@Nullable InetAddress a) {
        return a == null ? "*" : AddressText.of(a);
    }

    /** The tracer these options ask for: pacing, enrichment (bad server addresses fail here), transport. */
    private PathTracerBuilder tracer() {
        return setup.builder(PathTracer.builder(), shared.mask.masking(), enrich);
    }
}
