package io.pathprobe.cli;

import io.pathprobe.diff.PathDiff;
import io.pathprobe.json.DiffJson;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code pathprobe diff A B}: what changed between two measurements of paths, hop by hop ({@link PathDiff}; scamper's
 * {@code sc_tracediff}): traces, traceAll sets or monitor runs, each a JSON document of pathprobe's or a recording
 * ({@link DiffFiles}). Prints one line per change, or {@code no change}; {@code --json} the diff document
 * ({@link DiffJson}). Exit codes as diff(1)'s: 0 no change, 1 changes, 2 trouble (a file that holds no such
 * measurement, or files of two kinds: one line naming the file and what is wrong).
 */
@Command(name = "diff", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Compare two measurements of paths hop by hop, as scamper's sc_tracediff: two traces, two "
                + "traceAll sets (trace A B ... --json) or two monitor runs (mtr --json), each a JSON document of "
                + "pathprobe's or a recording. Prints one line per change (a hop's responders changed, new or "
                + "vanished; an RTT or loss shift beyond its noise; the AS path; the destination reached or not, "
                + "or at another TTL), or 'no change'. Exit code 0 no change, 1 changes, 2 trouble (a file that "
                + "holds no such measurement, or files of two kinds).")
final class DiffCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "A", description = "The measurement before: a trace, traceAll or monitor "
            + "JSON document, or a recording.")
    Path before = Path.of("");

    @Parameters(index = "1", paramLabel = "B", description = "The measurement after, of the same kind.")
    Path after = Path.of("");

    @CommandLine.Mixin
    OutputOptions output = new OutputOptions.TextOrJson();

    @Override
    public Integer call() {
        PrintStream out = System.out;
        OutputOptions.Format format = output.format();
        DiffJson.Measured a = read(before);
        DiffJson.Measured b = read(after);
        if (a.monitor() != b.monitor()) {
            throw new IllegalArgumentException(before + " holds " + words(a) + " (" + a.what() + "), " + after
                    + " " + words(b) + " (" + b.what() + "): diff compares measurements of one kind");
        }
        PathDiff d = a.monitor() ? PathDiff.ofMonitors(a.monitors(), b.monitors())
                : PathDiff.ofTraces(a.traces(), b.traces());
        out.println(format == OutputOptions.Format.JSON ? DiffJson.write(d) : d.toString());
        out.flush();
        return d.changed() ? 1 : 0;
    }

    private static String words(DiffJson.Measured m) {
        return m.monitor() ? "monitor runs" : "traces";
    }

    /** A file's measurement; a file that holds none is an {@link IllegalArgumentException} naming it (exit 2). */
    private static DiffJson.Measured read(Path file) {
        try {
            return DiffFiles.read(file);
        } catch (DiffFiles.BadFile e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }
}
