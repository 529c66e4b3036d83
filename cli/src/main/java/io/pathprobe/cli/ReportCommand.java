package io.pathprobe.cli;

import io.pathprobe.MeasurementType;
import io.pathprobe.PathTracer;
import io.pathprobe.ReplayApplication;
import io.pathprobe.compare.CompareResult;
import io.pathprobe.evidence.Masking;
import io.pathprobe.evidence.ReplayResult;
import io.pathprobe.evidence.ReplayedMeasurement;
import io.pathprobe.json.DiffJson;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.mtu.MtuResult;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.ping.PingResult;
import io.pathprobe.report.Documents;
import io.pathprobe.report.HtmlReport;
import io.pathprobe.trace.TraceAllRequest;
import io.pathprobe.trace.TraceAllResult;
import io.pathprobe.trace.TraceAllStatus;
import io.pathprobe.trace.TraceResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pathprobe report IN -o FILE}: the offline HTML report ({@link HtmlReport}) of a recording or a result
 * document. A recording made by this command line is replayed as {@code pathprobe replay} replays it: its command runs
 * again on the recorded answers, with {@code --html} (so the report is the one the command would have written, an
 * mtr's rounds and all); a recording an application made is replayed into its one result. A document is read by the
 * report's readers ({@link Documents}: a path MTU discovery, a ping, a multipath discovery, a comparison) or by
 * those {@code pathprobe diff} reads with (a trace, a traceAll, a monitor run). The report is written whole or not
 * at all. Exit codes: 0 written; 1 the replay left the record (nothing written); 2 the input cannot be drawn (one line
 * says why; nothing written).
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write the offline HTML report of a recording (--record FILE) or a result document (trace, "
                + "traceAll, multipath, monitor, compare, mtu, ping: --json): one self-contained file, nothing fetched "
                + "when it is opened. "
                + "Exit code 0 written, 1 the replay left the record, 2 the input cannot be drawn; nothing is written "
                + "unless 0.")
final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN", description = "A recording or a result document.")
    Path in = Path.of("");

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, converter = HtmlOption.Writable.class,
            description = "The HTML file to write.")
    Path out = Path.of("");

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(in)) {
            throw new IllegalArgumentException(in + ": " + (Files.exists(in) ? "not a regular file" : "no such file"));
        }
        if (!recording(in)) {
            HtmlOption.write(out, document());
            return 0;
        }
        Path temp = Files.createTempFile(out.toAbsolutePath().getParent(), ".pathprobe-report", ".html");
        try {
            return replayed(temp);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * A document's report: a path MTU discovery, a ping, a multipath discovery, a comparison, a trace, a traceAll (the
     * traces it holds), a monitor run.
     */
    private String document() {
        Optional<Object> read = Documents.read(text());
        if (read.isPresent()) {
            return html(read.get(), Masking.NONE);
        }
        DiffJson.Measured m;
        try {
            m = DiffFiles.read(in);
        } catch (DiffFiles.BadFile e) {
            throw new IllegalArgumentException(in + ": " + e.getMessage(), e);
        }
        if (m.monitors().size() == 1 && m.traces().isEmpty()) {
            return HtmlReport.of(m.monitors().get(0), List.of(), Masking.NONE);
        }
        if (m.traces().size() == 1 && m.monitors().isEmpty()) {
            return HtmlReport.of(m.traces().get(0), Masking.NONE);
        }
        if (m.monitors().isEmpty()) { // a traceAll's document: its traces (it holds no status of its own)
            List<TraceResult> t = m.traces();
            return HtmlReport.of(new TraceAllResult(t, TraceAllStatus.COMPLETED, t.get(0).startedAt(),
                    t.stream().map(TraceResult::duration).reduce(Duration.ZERO, (a, b) -> a.compareTo(b) > 0 ? a : b),
                    0, 0, TraceAllRequest.builder(t.stream().map(TraceResult::target).toList()).build()), Masking.NONE);
        }
        throw new IllegalArgumentException(in + ": " + m.monitors().size() + " monitor runs; a report draws one");
    }

    /** {@return the input as text, empty when it is too long or no UTF-8 (diff's reader says what is wrong)} */
    private String text() {
        try {
            return Files.size(in) > DiffFiles.DOCUMENT_CAP ? "" : Files.readString(in, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** A recording replayed: its command again with {@code --html}, or an application's one result. */
    private int replayed(Path temp) {
        List<Integer> ran = new ArrayList<>();
        RecordOptions.Printed recorded = RecordOptions.printed(in);
        ReplayResult replay = ReplayApplication.replay(in, (tracer, application) -> {
            List<String> args = RecordOptions.args(application);
            if (args != null) {
                List<String> again = new ArrayList<>(args);
                int end = again.indexOf("--");
                again.addAll(end < 0 ? again.size() : end, List.of("--html", temp.toString()));
                PrintStream discarded = new PrintStream(OutputStream.nullOutputStream());
                ran.add(ReplayCommand.runAgain(tracer, again, recorded, discarded));
            }
        });
        if (ReplayCommand.leftTheRecord(replay)) {
            System.err.println("pathprobe report: " + ReplayCommand.where(replay) + "; no report written");
            return 1;
        }
        String html;
        if (ran.isEmpty()) {
            html = application(PathTracer.replay(in));
        } else {
            try {
                html = Files.size(temp) == 0 ? "" : Files.readString(temp, StandardCharsets.UTF_8);
            } catch (IOException e) {
                html = "";
            }
            if (html.isEmpty()) {
                throw new IllegalArgumentException(in + ": its command (" + String.join(" ",
                        RecordOptions.args(replay.application())) + ") drew no report");
            }
        }
        HtmlOption.write(out, html);
        return 0;
    }

    /** An application's recording: its one result drawn, masked as it was recorded. */
    private String application(ReplayResult replay) {
        List<Object> results = replay.measurements().stream().map(ReplayedMeasurement::result)
                .flatMap(java.util.Optional::stream).toList();
        if (results.size() != 1) {
            throw new IllegalArgumentException(in + ": " + results.size() + " results; a report draws one");
        }
        return html(results.get(0), replay.masking());
    }

    /** {@return the report of a result of any kind the report draws} */
    static String html(Object r, Masking m) {
        MeasurementType<?, ?> kind = MeasurementType.all().stream().filter(t -> t.resultType().isInstance(r))
                .findFirst().orElseThrow(() -> new IllegalArgumentException(
                        "a " + r.getClass().getSimpleName() + " has no report"));
        if (kind == MeasurementType.TRACE) {
            return HtmlReport.of((TraceResult) r, m);
        } else if (kind == MeasurementType.TRACE_ALL) {
            return HtmlReport.of((TraceAllResult) r, m);
        } else if (kind == MeasurementType.MULTIPATH) {
            return HtmlReport.of((MultipathResult) r, m);
        } else if (kind == MeasurementType.MONITOR) {
            return HtmlReport.of((MonitorResult) r, List.of(), m);
        } else if (kind == MeasurementType.COMPARE) {
            return HtmlReport.of((CompareResult) r, m);
        } else if (kind == MeasurementType.MTU) {
            return HtmlReport.of((MtuResult) r, m);
        } else if (kind == MeasurementType.PING) {
            return HtmlReport.of((PingResult) r, m);
        }
        throw new IllegalArgumentException("a " + kind.name() + " result has no report");
    }

    /** Whether {@code file}'s first line is a recording's header ({@code {"type":"recording",...}}). */
    private static boolean recording(Path file) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String head = r.readLine();
            while (head != null && head.isBlank()) {
                head = r.readLine();
            }
            return head != null && "recording".equals(DiffJson.recordingLineType(head.replace("\uFEFF", "")));
        } catch (IOException | RuntimeException e) {
            return false; // not text: the document reader says what is wrong
        }
    }
}
