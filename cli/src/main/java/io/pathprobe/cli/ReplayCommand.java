package io.pathprobe.cli;

import io.pathprobe.evidence.MaskedResults;
import io.pathprobe.evidence.MaskedText;
import io.pathprobe.evidence.Masking;
import io.pathprobe.PathTracer;
import io.pathprobe.evidence.ReplayResult;
import io.pathprobe.evidence.ReplayedMeasurement;
import io.pathprobe.json.MaskedJson;
import io.pathprobe.json.MonitorJson;
import io.pathprobe.json.MtuJson;
import io.pathprobe.json.MultipathJson;
import io.pathprobe.json.PathProbeJson;
import io.pathprobe.json.PingJson;
import io.pathprobe.json.TraceJson;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.mtu.MtuResult;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.trace.TraceAllResult;
import io.pathprobe.trace.TraceResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code pathprobe replay FILE}: a recording ({@code --record FILE} of trace, mtr, multipath, mtu or ping) replayed
 * with no probe sent and no lookup made, printed as the command that recorded it prints its result ({@code --json}:
 * the same document). How the replay went (a cut file, where it left the record, whether each result is the
 * recorded one) goes to stderr. Exit codes: 0 every result is the recorded one (or the recording ends before it),
 * 1 a replayed result differs from the recorded one, 2 the file cannot be replayed (one line says why).
 */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Replay a recording made with --record FILE: the same measurement again, from the recorded "
                + "answers, with no probe sent and no lookup made; printed as the recording command prints it. Exit "
                + "code 0 when every result is the recorded one, 1 when one differs, 2 when the file cannot be "
                + "replayed.")
final class ReplayCommand implements Callable<Integer>, OutputOptions.Formatted {
    @Parameters(index = "0", paramLabel = "FILE", description = "The recording.")
    Path file = Path.of("");

    @CommandLine.Mixin
    OutputOptions output = new OutputOptions.TextOrJson();

    @Override
    public OutputOptions output() {
        return output;
    }

    @Override
    public Integer call() {
        boolean json = output.format(false) == OutputOptions.Format.JSON;
        ReplayResult replay = PathTracer.replay(file);
        PrintStream out = System.out;
        List<ReplayedMeasurement> all = replay.measurements();
        boolean monitors = all.size() > 1 && all.stream().allMatch(m -> m.kind().equals("monitor"));
        Masking mask = replay.masking();
        if (json && monitors) {
            out.println(PathProbeJson.write(all.stream().filter(m -> m.result().isPresent())
                    .map(m -> (Object) (mask.active() ? MaskedJson.tree(m.result(MonitorResult.class),
                            MaskedResults.learn(mask, m.result(MonitorResult.class)))
                            : MonitorJson.tree(m.result(MonitorResult.class)))).toList()));
        } else {
            for (ReplayedMeasurement m : all) {
                m.result().ifPresent(r -> out.println(mask.active() ? masked(m, r, mask, json)
                        : json ? json(m, r) : text(m, r)));
            }
        }
        out.flush();
        System.err.println(replay);
        System.err.flush();
        return all.stream().anyMatch(m -> m.recordedJson().isPresent() && !m.identical()) ? 1 : 0;
    }

    /** The document the recording command prints. */
    static String json(ReplayedMeasurement m, Object r) {
        return switch (m.kind()) {
            case "trace" -> TraceJson.write((TraceResult) r);
            case "traceAll" -> PathProbeJson.write(((TraceAllResult) r).traces().stream()
                    .map(t -> (Object) TraceJson.tree(t)).toList());
            case "monitor" -> MonitorJson.write((MonitorResult) r);
            case "multipath" -> MultipathJson.write((MultipathResult) r);
            case "mtu" -> MtuJson.write((MtuResult) r);
            case "ping" -> PingJson.write((PingResult) r, (PingRequest) m.request());
            default -> PathProbeJson.error("internal", "no document for " + m.kind());
        };
    }

    /** A masked recording's result, masked as the recording is (its documents match the recorded ones). */
    static String masked(ReplayedMeasurement m, Object r, Masking mask, boolean json) {
        return switch (m.kind()) {
            case "trace" -> json ? MaskedJson.trace((TraceResult) r, MaskedResults.learn(mask, (TraceResult) r))
                    : MaskedText.trace((TraceResult) r, MaskedResults.learn(mask, (TraceResult) r));
            case "traceAll" -> json ? PathProbeJson.write(((TraceAllResult) r).traces().stream()
                    .map(t -> (Object) MaskedJson.tree(t, MaskedResults.learn(mask, t))).toList())
                    : String.join("\n\n", ((TraceAllResult) r).traces().stream()
                            .map(t -> MaskedText.trace(t, MaskedResults.learn(mask, t))).toList());
            case "monitor" -> json ? MaskedJson.monitor((MonitorResult) r, MaskedResults.learn(mask, (MonitorResult) r))
                    : MaskedText.monitor((MonitorResult) r, MaskedResults.learn(mask, (MonitorResult) r));
            case "multipath" -> json ? MaskedJson.multipath((MultipathResult) r,
                    MaskedResults.learn(mask, (MultipathResult) r))
                    : MaskedText.multipath((MultipathResult) r, 80, MaskedResults.learn(mask, (MultipathResult) r));
            case "mtu" -> json ? MaskedJson.mtu((MtuResult) r, MaskedResults.learn(mask, (MtuResult) r))
                    : MaskedText.mtu((MtuResult) r, MaskedResults.learn(mask, (MtuResult) r));
            case "ping" -> json ? MaskedJson.ping((PingResult) r, (PingRequest) m.request(), mask)
                    : MaskedText.text(r.toString(), mask);
            default -> PathProbeJson.error("internal", "no document for " + m.kind());
        };
    }

    /** The text form of each result. */
    static String text(ReplayedMeasurement m, Object r) {
        return switch (m.kind()) {
            case "trace" -> r + "\n" + TraceCommand.summary((TraceResult) r);
            case "traceAll" -> String.join("\n\n", ((TraceAllResult) r).traces().stream()
                    .map(t -> t + "\n" + TraceCommand.summary(t)).toList()) + "\n" + ((TraceAllResult) r).summary();
            default -> r.toString();
        };
    }
}
