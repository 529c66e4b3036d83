package io.pathprobe.cli;

import io.pathprobe.FlowMode;
import io.pathprobe.IpVersion;
import io.pathprobe.Monitor;
import io.pathprobe.MonitorEvent;
import io.pathprobe.MonitorListener;
import io.pathprobe.MonitorRequest;
import io.pathprobe.MonitorResult;
import io.pathprobe.MonitorRound;
import io.pathprobe.PathTracer;
import io.pathprobe.PathTracerBuilder;
import io.pathprobe.ProbeProtocol;
import io.pathprobe.json.PathProbeJson;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pathprobe mtr}: rounds of Paris traces to one target, as mtr runs them. By default one line
 * per event (a hop or the path changed, the destination lost or regained, a threshold crossed) as it
 * happens, then mtr's report when the rounds end or on Ctrl-C; {@code -r} only the report (mtr
 * {@code -r}), {@code --rounds-too} a line per round as well; {@code --format json} only the monitor
 * document at the end ({@link PathProbeJson#monitor}). Exit 0 when the destination answered in
 * the last round, 1 when it did not, 2 on bad input.
 */
@Command(name = "mtr", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Watch a path as mtr does: rounds of Paris traces, per-hop loss and latency, path changes.")
final class MtrCommand implements Callable<Integer>, OutputOptions.Formatted {
    @Parameters(index = "0", paramLabel = "TARGET", description = "Host name or address.")
    String target = "";

    @Option(names = {"-c", "--report-cycles"}, paramLabel = "N",
            description = "Rounds to run (default: 10 with -r, else until interrupted).")
    @Nullable Long rounds;

    @Option(names = {"-i", "--interval"}, description = "Time from one round's start to the next's: seconds (0.5) or "
            + "500ms (default ${DEFAULT-VALUE}).", converter = PathProbeCli.DurationConverter.class, defaultValue = "1s")
    Duration interval = Duration.ofSeconds(1);

    @Option(names = {"-r", "--report"}, description = "Print only the report at the end (as mtr -r).")
    boolean report;

    @Option(names = "--rounds-too", description = "Also print a line per round.")
    boolean roundLines;

    @Option(names = {"-P", "--protocol"}, description = "icmp, udp or tcp (default: icmp where this process may send it, else udp).")
    @Nullable ProbeProtocol protocol;

    @Option(names = {"-m", "--max-hops", "--max-ttl"}, description = "Largest TTL (default ${DEFAULT-VALUE}).")
    int maxHops = 30;

    @Option(names = {"-f", "--first-ttl"}, description = "First TTL (default ${DEFAULT-VALUE}).")
    int firstTtl = 1;

    @Option(names = {"-w", "--wait"}, description = "Longest wait for one probe: seconds or 500ms (default ${DEFAULT-VALUE}).",
            converter = PathProbeCli.DurationConverter.class, defaultValue = "1s")
    Duration wait = Duration.ofSeconds(1);

    @Option(names = {"-p", "--port"}, description = "UDP and TCP destination port, 1 to 65535.")
    @Nullable Integer port;

    @Option(names = "--window", paramLabel = "N", description = "Rounds in the sliding window (default ${DEFAULT-VALUE}).")
    int window = 100;

    @Option(names = "--loss-threshold", paramLabel = "PERCENT", description = "Report a hop whose window loss crosses this.")
    @Nullable Double lossThreshold;

    @Option(names = "--latency-threshold", paramLabel = "DURATION", description = "Report a hop whose window mean RTT crosses this.",
            converter = PathProbeCli.DurationConverter.class)
    @Nullable Duration latencyThreshold;

    @Option(names = "--deadline", description = "Longest the whole monitor may run.", converter = PathProbeCli.DurationConverter.class)
    @Nullable Duration deadline;

    @Option(names = "-4", description = "IPv4 only.")
    boolean ipv4;

    @Option(names = "-6", description = "IPv6 only.")
    boolean ipv6;

    @Option(names = "--pps", description = "Probe rate limit per second, 0 = unlimited (default ${DEFAULT-VALUE}).")
    int pps = 1000;

    @Option(names = "--transport", description = "Use this transport (see 'pathprobe transports').")
    @Nullable String transport;

    @CommandLine.Mixin
    EnrichOptions enrich = new EnrichOptions();

    @CommandLine.Mixin
    OutputOptions output = new OutputOptions.TextOrJson();

    @Override
    public OutputOptions output() {
        return output;
    }

    @Override
    public Integer call() {
        PrintStream out = System.out;
        boolean json = output.format(false) == OutputOptions.Format.JSON;
        if (ipv4 && ipv6) {
            throw new IllegalArgumentException("-4 and -6 exclude each other");
        }
        PathTracerBuilder tb = PathTracer.builder().packetsPerSecond(pps);
        enrich.apply(tb);
        MonitorRequest.Builder b = MonitorRequest.builder(target).interval(interval).maxHops(maxHops).firstTtl(firstTtl)
                .probeTimeout(wait).window(window).flowMode(FlowMode.PARIS).enrich(enrich.mode());
        long n = rounds != null ? rounds : report ? 10 : 0;
        if (n > 0) {
            b.rounds(n);
        }
        if (protocol != null) {
            b.protocol(protocol);
        }
        if (port != null) {
            b.destinationPort(port);
        }
        if (lossThreshold != null) {
            b.lossThreshold(lossThreshold);
        }
        if (latencyThreshold != null) {
            b.latencyThreshold(latencyThreshold);
        }
        if (deadline != null) {
            b.deadline(deadline);
        }
        if (ipv4 || ipv6) {
            b.ipVersion(ipv4 ? IpVersion.IPV4 : IpVersion.IPV6);
        }
        if (!report && !json) {
            b.listener(new Lines(out, roundLines));
        }
        MonitorRequest request = b.build();
        if (transport != null) {
            tb.preferredTransport(transport);
        }
        try (PathTracer tracer = tb.build()) {
            Monitor monitor = tracer.startMonitor(request);
            return UntilInterrupted.await(monitor.result(), monitor::cancel, r -> {
                out.println(json ? PathProbeJson.monitor(r) : r);
                out.flush();
                return exitCode(r);
            });
        }
    }

    /** 0 when the destination answered in the last round, else 1. */
    static int exitCode(MonitorResult r) {
        boolean reached = r.lastRound().map(last -> last.trace().destinationReached()).orElse(false);
        return reached ? 0 : 1;
    }

    /** Events (and rounds, if asked) as lines, as they happen. */
    static final class Lines implements MonitorListener {
        private final PrintStream out;
        private final boolean rounds;

        Lines(PrintStream out, boolean rounds) {
            this.out = out;
            this.rounds = rounds;
        }

        @Override
        public void roundCompleted(MonitorRound round) {
            if (rounds) {
                out.println(round);
                out.flush();
            }
        }

        @Override
        public void event(MonitorEvent event) {
            out.println(event);
            out.flush();
        }
    }
}
