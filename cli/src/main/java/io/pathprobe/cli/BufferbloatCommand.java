package io.pathprobe.cli;

import io.pathprobe.PathTracer;
import io.pathprobe.ResponsivenessServerException;
import io.pathprobe.bufferbloat.BufferbloatListener;
import io.pathprobe.bufferbloat.BufferbloatPhase;
import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.bufferbloat.BufferbloatResult;
import io.pathprobe.bufferbloat.BufferbloatStatus;
import io.pathprobe.bufferbloat.LoadDirection;
import io.pathprobe.json.BufferbloatJson;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
/**
 * {@code pathprobe bufferbloat --url URL}: latency under load against a responsiveness server, the
 * DSLReports grade and RPM (draft-ietf-ippm-responsiveness-09). Exit 0 on a complete test, 1
 * otherwise, 2 on bad input or an unusable server.
 */
@Command(name = "bufferbloat", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure latency under load (bufferbloat) and responsiveness (RPM) against a responsiveness "
                + "server (e.g. 'pathprobe serve'). Exit 0 on a complete test, 1 otherwise, 2 for bad input "
                + "or an unusable server.")
final class BufferbloatCommand implements Callable<Integer> {

    @Option(names = "--url", required = true, description = "The server: its configuration URL "
            + "(https://host:port/.well-known/nq) or base URL (https://host:port).")
    String url = "";

    @Option(names = {"-k", "--insecure"}, description = "Accept any certificate (a self-signed server you control).")
    boolean insecure;

    @Option(names = "--duration", description = "Time limit of the whole test, 2s to 10m (default 20s).",
            converter = PathProbeCli.DurationConverter.class)
    @Nullable Duration duration;

    @CommandLine.ArgGroup(exclusive = true)
    @Nullable Mode mode;

    static final class Mode {
        @Option(names = "--quick", description = "A quick test: 10 s, 0.5 s intervals.")
        boolean quick;
        @Option(names = "--precise", description = "A precise test: draft-09's 5 s intervals, up to 120 s.")
        boolean precise;
    }

    @CommandLine.ArgGroup(exclusive = true)
    @Nullable Direction direction;

    static final class Direction {
        @Option(names = "--download", description = "Download only.")
        boolean download;
        @Option(names = "--upload", description = "Upload only.")
        boolean upload;
        @Option(names = "--both", description = "Download, then upload (the default).")
        boolean both;
        @Option(names = "--concurrent", description = "Download and upload at once.")
        boolean concurrent;
    }

    @Option(names = "--no-first-hop", description = "Do not ping the first hop.")
    boolean noFirstHop;

    @CommandLine.Mixin
    OutputOptions output = new OutputOptions.TextOrJson();

    @Override
    public Integer call() {
        PrintStream out = System.out;
        boolean json = output.format() == OutputOptions.Format.JSON;
        BufferbloatRequest.Builder b = BufferbloatRequest.builder(url).insecure(insecure).pingFirstHop(!noFirstHop);
        if (mode != null && mode.quick) {
            b.quick();
        } else if (mode != null && mode.precise) {
            b.precise();
        }
        if (duration != null) {
            b.deadline(duration);
        }
        b.direction(direction());
        boolean live = !json && System.console() != null;
        if (live) {
            b.listener(new Live(out));
        }
        try (PathTracer tracer = PathTracer.builder().offline().build()) {
            // Ctrl-C cancels the test and prints what it measured so far, as every other command does
            return UntilInterrupted.measure(tracer, b.build(), (BufferbloatResult r) -> {
                if (live) {
                    out.print("\r\033[K");
                }
                if (json) {
                    out.println(toJson(r));
                } else {
                    printSummary(out, r);
                }
                out.flush();
                return r.status() == BufferbloatStatus.COMPLETED ? 0 : 1;
            });
        } catch (ResponsivenessServerException e) {
            String reason = e.reason().name().toLowerCase(Locale.ROOT).replace('_', ' ');
            System.err.println("pathprobe bufferbloat: " + reason + ": " + PathProbeCli.message(e));
            if (json) {
                PathProbeCli.printJsonError("server", reason + ": " + PathProbeCli.message(e));
            }
            return 2;
        }
    }

    LoadDirection direction() {
        if (direction == null || direction.both) {
            return LoadDirection.SEQUENTIAL;
        }
        return direction.download ? LoadDirection.DOWNLOAD : direction.upload ? LoadDirection.UPLOAD
                : LoadDirection.CONCURRENT;
    }

    /** One updating line: phase, Mbit/s, flows, latency. */
    static final class Live implements BufferbloatListener {
        private final PrintStream out;

        Live(PrintStream out) {
            this.out = out;
        }

        @Override
        public void progress(BufferbloatPhase phase, long elapsedNanos, double bps, int flows, double latencyMillis) {
            out.printf(Locale.ROOT, "\r\033[K%5.1fs  %-10s %8.1f Mbit/s  %2d flows  latency %s", elapsedNanos / 1e9,
                    phase.name().toLowerCase(Locale.ROOT), bps / 1e6, flows,
                    Double.isNaN(latencyMillis) ? "-" : String.format(Locale.ROOT, "%.1f ms", latencyMillis));
            out.flush();
        }
    }

    /** The result's own summary ({@link BufferbloatResult#toString()}). */
    static void printSummary(PrintStream out, BufferbloatResult r) {
        out.println(r);
    }

    /**
     * The JSON document as a tree ({@link BufferbloatJson#tree(BufferbloatResult)}); field names are checked
     * externally.
     */
    static Map<String, @Nullable Object> report(BufferbloatResult r) {
        return BufferbloatJson.tree(r);
    }

    static String toJson(BufferbloatResult r) {
        return BufferbloatJson.write(r);
    }
}
