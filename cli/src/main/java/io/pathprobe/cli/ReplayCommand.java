package io.pathprobe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathprobe.MeasurementType;
import io.pathprobe.PathTracer;
import io.pathprobe.ReplayApplication;
import io.pathprobe.evidence.Masking;
import io.pathprobe.evidence.ReplayResult;
import io.pathprobe.evidence.ReplayedMeasurement;
import io.pathprobe.json.ErrorJson;
import io.pathprobe.json.MonitorJson;
import io.pathprobe.json.PathProbeJson;
import io.pathprobe.monitor.MonitorResult;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code pathprobe replay FILE}: a recording ({@code --record FILE} of trace, mtr, multipath, mtu or ping) replayed
 * with no probe sent and no lookup made. A recording made by this command line holds its command line: replay runs
 * that command again, on a tracer that replays the recording instead of one that probes, so it prints what the
 * recording command printed, through the very same code (its hop table as the hops came, its summary; {@code --json}:
 * the command's JSON document). How the replay went (a cut file, each result identical or not) goes to stderr.
 *
 * <p>A replay that leaves the record (the engine did something the recording does not hold, and went on on fake time
 * with no answers) prints no result of its own as if it were the recorded one: it says on stderr where it left, prints
 * the recorded output (what the recording command printed, from the file; or the recorded JSON documents) and exits
 * 1. Exit codes: 0 every result is the recorded one (or the recording ends before it), 1 the replay left the record
 * (a result or the printed output differs from the recorded one), 2 the file cannot be replayed (one line says why),
 * 3 the recording holds every result but ends before the engine's last acts (cut after its results: nothing is
 * compared, the recorded output is printed).
 * A recording made by an application (not this command line) replays its measurements and prints their JSON
 * documents ({@code --json}) or their text.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Replay a recording made with --record FILE: the same command again, on the recorded answers, "
                + "with no probe sent and no lookup made; it prints what the recording command printed. Exit code 0 "
                + "when every result is the recorded one, 1 when the replay left the record (the recorded output is "
                + "printed then), 2 when the file cannot be replayed, 3 when the recording holds its results but ends "
                + "before the engine's last acts (cut: nothing compared, the recorded output printed).")
final class ReplayCommand implements Callable<Integer> {
    /** The exit code of a recording cut after its results ({@link ReplayResult#cutAfterItsResults()}). */
    static final int CUT_AFTER_RESULTS = 3;
    /** The tracer of the command a replay runs again, in the thread that runs it ({@link #replaying()}). */
    private static final ThreadLocal<@Nullable PathTracer> REPLAYING = new ThreadLocal<>();

    @Parameters(index = "0", paramLabel = "FILE", description = "The recording.")
    Path file = Path.of("");

    @CommandLine.Mixin
    OutputOptions output = new OutputOptions.TextOrJson();

    /**
     * {@return the tracer a command runs on when a replay runs it again (the replay's), or null: the command builds
     * its own} The commands that record take their tracer from here first.
     */
    static @Nullable PathTracer replaying() {
        return REPLAYING.get();
    }

    @Override
    public Integer call() {
        boolean json = output.format() == OutputOptions.Format.JSON;
        PrintStream out = System.out;
        try (ReplayCapture printed = new ReplayCapture()) {
            return replay(json, out, printed);
        }
    }

    private int replay(boolean json, PrintStream out, ReplayCapture printed) {
        Charset charset = java.nio.charset.StandardCharsets.UTF_8; // the replayed command's text, as it printed it
        List<String> ran = new ArrayList<>();
        RecordOptions.Printed recorded = RecordOptions.printed(file);
        ReplayResult replay = ReplayApplication.replay(file, (tracer, application) -> {
            List<String> args = RecordOptions.args(application);
            if (args == null) {
                return; // an application's recording: below
            }
            List<String> again = json && !json(args) ? withJson(args) : args;
            runAgain(tracer, again, recorded, new PrintStream(printed, true, charset));
            ran.addAll(again);
        });
        if (ran.isEmpty()) {
            return application(PathTracer.replay(file), json, out);
        }
        // the recorded output stands for the recorded result in the format asked for: the command's own, or JSON
        String recordedText = recorded == null || recorded.console() || json && !json(RecordOptions.args(
                replay.application())) ? null : recorded.text();
        boolean comparable = recordedText != null;
        if (replay.cutAfterItsResults() && !replay.identical()) {
            return cut(replay, out, recordedText != null ? recordedText : recordedDocuments(replay), comparable);
        }
        if (leftTheRecord(replay)) {
            out.print(comparable ? recordedText : recordedDocuments(replay));
            out.flush();
            System.err.println(replay);
            System.err.println("pathprobe replay: " + where(replay) + "; printed: the recorded "
                    + (comparable ? "output" : "results (JSON documents)"));
            return 1;
        }
        if (recordedText != null && !printed.is(recordedText)) {
            out.print(recordedText);
            out.flush();
            System.err.println(replay);
            System.err.println("pathprobe replay: the replayed results are the recorded ones, but the command printed "
                    + "them otherwise than the recording command did; printed: the recorded output");
            return 1;
        }
        printed.printOn(out);
        System.err.println(replay);
        if (recorded != null && recorded.text() == null && !recorded.console()) {
            System.err.println("pathprobe replay: the recording command printed more than "
                    + (CopiedOutput.TEXT_CAP >> 20) + " Mi characters, which its recording does not keep: the "
                    + "replayed output is not compared with it");
        }
        return 0;
    }

    /**
     * Runs a recorded command line again on {@code tracer} (the replay's), in this thread, as the recording host saw
     * it, with what it prints on stdout going to {@code capture}; {@return its exit code}
     */
    static int runAgain(PathTracer tracer, List<String> args, RecordOptions.@Nullable Printed recorded,
            PrintStream capture) {
        PrintStream out = System.out;
        int[] code = {1};
        REPLAYING.set(tracer);
        System.setOut(capture);
        try {
            RecordOptions.withHost(recorded == null ? java.util.Map.of() : recorded.host(),
                    () -> code[0] = PathProbeCli.run(args.toArray(String[]::new)));
        } finally {
            capture.flush();
            System.setOut(out);
            REPLAYING.remove();
        }
        return code[0];
    }

    /**
     * A recording that holds every result but ends before the engine's last acts (cut, or still being written): the
     * recorded output is printed, and exit 3 says that nothing was compared, apart from 1 (a result that differs).
     */
    private static int cut(ReplayResult replay, PrintStream out, String recordedOutput, boolean output) {
        out.print(recordedOutput);
        out.flush();
        System.err.println(replay);
        System.err.println("pathprobe replay: the recording ends after its results, before the engine's last acts "
                + "(cut, or still being written): the replay is not compared with them; printed: the recorded "
                + (output ? "output" : "results (JSON documents)"));
        return CUT_AFTER_RESULTS;
    }

    /** Whether the replay gave a result that is not the recorded one. */
    static boolean leftTheRecord(ReplayResult replay) {
        return replay.measurements().stream().anyMatch(m -> m.recordedJson().isPresent() && !m.identical());
    }

    /** Where the replay left the record, in one line. */
    static String where(ReplayResult replay) {
        return replay.divergence().map(Object::toString).orElseGet(() -> "the replayed "
                + replay.measurements().stream().filter(m -> m.recordedJson().isPresent() && !m.identical())
                        .findFirst().map(ReplayedMeasurement::what).orElse("result")
                + " differs from the recorded one");
    }

    /** The recorded results' JSON documents, as the commands print them (one, or an array of several). */
    private static String recordedDocuments(ReplayResult replay) {
        List<Object> trees = new ArrayList<>();
        // made here, not in a static field: every command's lookups ask replaying(), and an ObjectMapper made with
        // this class loaded and initialised about 370 of Jackson's classes in every trace that replays nothing
        ObjectMapper json = new ObjectMapper();
        for (ReplayedMeasurement m : replay.measurements()) {
            m.recordedJson().ifPresent(j -> {
                try {
                    trees.add(json.readValue(j, Object.class));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException("the recording's result is not JSON", e);
                }
            });
        }
        return PathProbeJson.write(trees.size() == 1 ? trees.get(0) : trees) + "\n";
    }

    /** Whether a command line asks for JSON ({@code --json}, {@code --format json}). */
    private static boolean json(@Nullable List<String> args) {
        if (args == null) {
            return false;
        }
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--json") || a.equalsIgnoreCase("--format=json")
                    || a.equals("--format") && i + 1 < args.size() && args.get(i + 1).equalsIgnoreCase("json")) {
                return true;
            }
        }
        return false;
    }

    /** The command line asking for JSON ({@code --ndjson} stays: mtr's JSON lines). */
    private static List<String> withJson(List<String> args) {
        if (args.contains("--ndjson")) {
            return args;
        }
        List<String> a = new ArrayList<>(args);
        a.add(1, "--json");
        return a;
    }

    /** A recording an application made (no command line): each measurement replayed and printed. */
    private static int application(ReplayResult replay, boolean json, PrintStream out) {
        List<ReplayedMeasurement> all = replay.measurements();
        boolean monitors = all.size() > 1 && all.stream().allMatch(m -> m.kind().equals("monitor"));
        Masking mask = replay.masking();
        if (replay.cutAfterItsResults() && !replay.identical()) {
            return cut(replay, out, recordedDocuments(replay), false);
        }
        if (leftTheRecord(replay)) {
            out.print(recordedDocuments(replay));
            out.flush();
            System.err.println(replay);
            System.err.println("pathprobe replay: " + where(replay) + "; printed: the recorded results (JSON "
                    + "documents)");
            return 1;
        }
        if (json && monitors) {
            out.println(PathProbeJson.write(all.stream().filter(m -> m.result().isPresent())
                    .map(m -> (Object) MonitorJson.tree(mask.apply(m.result(MonitorResult.class)))).toList()));
        } else {
            for (ReplayedMeasurement m : all) {
                m.result().ifPresent(r -> out.println(mask.active() ? masked(m, r, mask, json)
                        : json ? json(m, r) : r.toString()));
            }
        }
        out.flush();
        System.err.println(replay);
        return 0;
    }

    /** The document the recording command prints. */
    static String json(ReplayedMeasurement m, Object r) {
        return MeasurementType.named(m.kind()).map(t -> t.jsonOf(m.request(), r))
                .orElseGet(() -> ErrorJson.write("internal", "no document for " + m.kind()));
    }

    /** A masked recording's result, masked as the recording is (its documents match the recorded ones). */
    static String masked(ReplayedMeasurement m, Object r, Masking mask, boolean json) {
        return MeasurementType.named(m.kind()).map(t -> t.maskedOf(m.request(), r, mask, json))
                .orElseGet(() -> ErrorJson.write("internal", "no document for " + m.kind()));
    }
}
