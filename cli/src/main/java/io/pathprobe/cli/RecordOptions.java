package io.pathprobe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pathprobe.PathTracerBuilder;
import io.pathprobe.core.internal.record.spi.RecordingLines;
import io.pathprobe.evidence.Masking;
import io.pathprobe.evidence.RecordingOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --record FILE} (with {@code --record-max-bytes} and {@code --record-files}), shared by the commands whose
 * measurements a recording replays: trace, mtr, multipath, mtu and ping. {@code pathprobe replay FILE} replays it:
 * it runs the recorded command line again on the replay, so a recording made here says which (the header's
 * {@code application}: {@code {"pathprobe":[ARGS]}}) and, once the command has printed, what it printed (a last
 * line {@code {"type":"output", "text": ...}}): what replay prints when the replay leaves the record. Text longer
 * than {@link CopiedOutput#TEXT_CAP} characters is not kept (the line has {@code "textOver"} instead): replay then
 * cannot compare the console text, and says so.
 */
final class RecordOptions {
    /**
     * The recording's JSON, made at its first use: every command with {@code --record} makes this mixin, and an
     * {@link ObjectMapper} made with it loaded and initialised about 370 of Jackson's classes in every trace, ping and
     * mtr that records nothing.
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    @Option(names = "--record", paramLabel = "FILE",
            description = "Record the measurement to FILE (NDJSON: every probe, answer, lookup and the result; "
                    + "replayed by 'pathprobe replay FILE' with no probe sent, see docs/evidence.md).")
    @Nullable Path file;

    @ApiWord("maxBytes")
    @Option(names = "--record-max-bytes", paramLabel = "BYTES",
            description = "Rotate the recording at this size (default 268435456: 256 MiB; at least 65536).")
    long maxBytes = RecordingOptions.DEFAULT_MAX_BYTES;

    @ApiWord("maxFiles")
    @Option(names = "--record-files", paramLabel = "N",
            description = "How many recording files rotation keeps, FILE.1 the newest old one (default 4).")
    int maxFiles = RecordingOptions.DEFAULT_MAX_FILES;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.@Nullable CommandSpec mixee;

    /**
     * The recording asked for, onto {@code tb}, hiding what {@code --mask} hides (a recording to share: see
     * {@link RecordingOptions#masking()}), its header holding the command line; bad values are the options' typed
     * errors.
     */
    PathTracerBuilder apply(PathTracerBuilder tb, Masking masking) {
        Path f = file;
        if (f != null) {
            tb.record(new RecordingOptions(f, maxBytes, maxFiles, masking, application(args())));
        }
        return tb;
    }

    /** The command line as given ({@code trace -n 198.51.100.7 --record t.ndjson}). */
    private List<String> args() {
        CommandLine.Model.CommandSpec s = mixee;
        CommandLine.ParseResult p = s == null ? null : s.commandLine().getParseResult();
        return p == null ? List.of() : p.originalArgs();
    }

    /** What the header says of a command line: {@code {"pathprobe":["trace","-n",...]}}. */
    static String application(List<String> args) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        ArrayNode a = n.putArray("pathprobe");
        args.forEach(a::add);
        return n.toString();
    }

    /** {@return the command line a recording's header holds ({@link #application}), or null if none} */
    static @Nullable List<String> args(String application) {
        if (application.isEmpty()) {
            return null;
        }
        try {
            JsonNode a = Json.MAPPER.readTree(application).get("pathprobe");
            if (a == null || !a.isArray()) {
                return null;
            }
            List<String> args = new ArrayList<>();
            a.forEach(x -> args.add(x.asText()));
            return args.isEmpty() ? null : args;
        } catch (IOException e) {
            return null; // another application's
        }
    }

    /**
     * What the recording command printed: its text, exit code, whether its output was a terminal (a live display,
     * whose frames depend on the terminal and on time), and what it read of this host to print it ({@link #host}).
     */
    record Printed(@Nullable String text, int exit, boolean console, java.util.Map<String, String> host) {}

    /** What the command running now read of this host ({@link #host}), for its recording. */
    private static final java.util.Map<String, String> READ = new java.util.concurrent.ConcurrentHashMap<>();
    /** What the recording command read of its host, while a replay runs it again (in that thread). */
    private static final ThreadLocal<java.util.@Nullable Map<String, String>> REPLAYED = new ThreadLocal<>();

    /**
     * A fact of this host a command prints (scamper's host name, the source address toward a destination): read
     * here and kept for the recording ({@code host} in its output line), or, while a replay runs the recorded command
     * again, the one the recording command read (the replay runs elsewhere: another host, an empty namespace).
     */
    static String host(String fact, java.util.function.Supplier<String> live) {
        java.util.Map<String, String> recorded = REPLAYED.get();
        if (recorded != null && recorded.containsKey(fact)) {
            return recorded.get(fact);
        }
        String v = live.get();
        READ.put(fact, v);
        return v;
    }

    /** A recording command begins: nothing read of this host yet. */
    static void hostReadCleared() {
        READ.clear();
    }

    /** {@return what the command read of this host so far} */
    static java.util.Map<String, String> hostRead() {
        return java.util.Map.copyOf(READ);
    }

    /** While {@code run} runs (a replay running the recorded command), the host facts are the recorded ones. */
    static void withHost(java.util.Map<String, String> recorded, Runnable run) {
        REPLAYED.set(recorded);
        try {
            run.run();
        } finally {
            REPLAYED.remove();
        }
    }

    /**
     * Appends what the command printed to its recording (after the tracer wrote and closed it): the line replay
     * prints when the replay leaves the record. A recording that cannot be appended to (or is no regular file) is
     * left as it is, said in one line on stderr: false.
     */
    static boolean printed(Path recording, Printed p) {
        if (!Files.isRegularFile(recording)) {
            System.err.println("pathprobe: the recording " + recording + " could not be written: not a regular file");
            return false;
        }
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("type", "output");
        n.put("exit", p.exit());
        n.put("console", p.console());
        n.put("text", p.text());
        ObjectNode host = n.putObject("host");
        p.host().forEach(host::put);
        byte[] line = (n + "\n").getBytes(StandardCharsets.UTF_8);
        if (p.text() == null || line.length > RecordingLines.CAP) {
            // longer than a recording keeps: said, and replay then does not compare the text
            n.remove("text");
            n.put("textOver", CopiedOutput.TEXT_CAP);
            line = (n + "\n").getBytes(StandardCharsets.UTF_8);
        }
        try {
            Files.write(recording, line, StandardOpenOption.APPEND);
            return true;
        } catch (IOException | RuntimeException e) {
            System.err.println("pathprobe: the recording " + recording + " could not be written: "
                    + PathProbeCli.message(e));
            return false;
        }
    }

    /** {@return what the recording command printed (its recording's last output line), or null if it holds none} */
    static @Nullable Printed printed(Path recording) {
        Printed last = null;
        if (!Files.isRegularFile(recording)) {
            return null; // a FIFO or device is never opened: the replay refuses it, naming what it is
        }
        try (java.io.InputStream file = Files.newInputStream(recording)) {
            RecordingLines in = new RecordingLines(file, false);
            String line;
            while ((line = in.next()) != null) {
                if (line.startsWith("{\"type\":\"output\"")) {
                    JsonNode n = Json.MAPPER.readTree(line);
                    java.util.Map<String, String> host = new java.util.HashMap<>();
                    n.path("host").fields().forEachRemaining(e -> host.put(e.getKey(), e.getValue().asText()));
                    last = new Printed(n.has("text") || !n.has("textOver") ? n.path("text").asText("") : null,
                            n.path("exit").asInt(0),
                            n.path("console").asBoolean(false), host);
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return last;
    }
}
