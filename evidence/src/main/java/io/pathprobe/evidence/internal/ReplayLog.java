package io.pathprobe.evidence.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.RecordingException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A recording read into memory, indexed as the replay looks things up. */
final class ReplayLog {
    /** One piece of the loop's work as it ran: its name, the event it came from, its clock readings, its line. */
    record Act(String key, @Nullable String via, long[] reads, long cancels, int serialBefore, long line) {}

    /** A session as it was opened. */
    record Session(int id, String transport, JsonNode spec, @Nullable String error, int maxSequence, int maxFlow,
            int maxInFlight) {}

    /** A measurement: its request and, if the recording got that far, its result. */
    static final class Measurement {
        final long id;
        final String kind;
        final JsonNode request;
        @Nullable JsonNode result;
        @Nullable String failure;

        /** Its request's line in the recording (where its launch began). */
        final long line;
        /**
         * The piece of loop work under way when the application launched it (its act line comes after the launch's
         * lines): the launch followed that piece's start, and a replay runs the piece first; null: none.
         */
        @Nullable String during;

        Measurement(long id, String kind, JsonNode request, long line) {
            this.line = line;
            this.id = id;
            this.kind = kind;
            this.request = request;
        }
    }

    final Path file;
    int format;
    String library = "pathprobe (unknown version)";
    Instant recordedAt = Instant.EPOCH;
    /** What the recording application said of its run (its header's {@code application}). */
    String application = "";
    int segment = 1;
    long lines;
    boolean truncated;
    /** What the recording hides (its header's {@code mask}). */
    io.pathprobe.evidence.Masking masking = io.pathprobe.evidence.Masking.NONE;
    /** The latest clock reading recorded. */
    long lastTick = Long.MIN_VALUE;
    @Nullable JsonNode tracer;
    @Nullable JsonNode userTransport;
    @Nullable JsonNode lookups;
    final Map<String, JsonNode> providers = new LinkedHashMap<>();
    final Map<String, ArrayDeque<JsonNode>> availability = new HashMap<>();
    final Map<String, ArrayDeque<JsonNode>> opened = new HashMap<>();
    final List<Session> sessions = new ArrayList<>();
    final Map<Integer, ArrayDeque<JsonNode>> sends = new HashMap<>();
    /** The probes the recording holds (its send lines). */
    long probes;
    final Map<Integer, JsonNode> answers = new HashMap<>();
    final Map<Integer, Boolean> pendings = new HashMap<>();
    /** The event each hand-over ({@code P<n>}) and lookup ({@code K...}) was asked for in, if any. */
    final Map<String, String> askedIn = new HashMap<>();
    final Map<String, JsonNode> lookupAnswers = new HashMap<>();
    /** A masked recording's hidden AS numbers that are another address's AS: that address (as written). */
    final Map<Long, String> asAliases = new HashMap<>();
    /** Each address's AS as first found (what an {@link #asAliases alias} stands for). */
    final Map<String, JsonNode> asFound = new HashMap<>();
    /** Each job's line (its end) in the recording. */
    final Map<String, Long> jobEndLines = new HashMap<>();
    /** Whether each measurement's launch set it up on a pool (its "launched" line; absent: unknown). */
    final Map<Long, Boolean> launchedPooled = new HashMap<>();
    /** Each job's place in the order the jobs ended in while recording. */
    final Map<String, Integer> jobEnds = new HashMap<>();
    /** Lookup ends and enrichment jobs, in the one order they happened in while recording. */
    final java.util.TreeMap<Integer, String> serial = new java.util.TreeMap<>();
    final Map<String, Integer> serialOf = new HashMap<>();
    final Map<String, JsonNode> resolutions = new HashMap<>();
    final List<Act> acts = new ArrayList<>();
    final Map<String, ArrayDeque<Long>> ticks = new HashMap<>();
    final Map<String, ArrayDeque<Instant>> walls = new HashMap<>();
    final Map<Long, Measurement> measurements = new LinkedHashMap<>();
    /**
     * Whether a result was written since the last act line: the piece that made it is still under way (its act line
     * is written when it ends). A recording older than the launched line's {@code during} says no more: a launch
     * then may have been the application's answer to that result, made during the piece ({@link Measurement#during}).
     */
    private boolean resultSinceAct;
    private final List<Measurement> launchedAfterAResult = new ArrayList<>();

    private ReplayLog(Path file) {
        this.file = file;
    }

    /**
     * Reads {@code file}.
     *
     * @throws RecordingException if it cannot be read, is not a recording, or needs a newer library
     */
    static ReplayLog read(Path file) {
        ReplayLog log = new ReplayLog(file);
        boolean cut;
        if (Files.isDirectory(file)) {
            throw new RecordingException(file, "is a directory, not a recording", null);
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            // never opened: a FIFO would block until a writer came, a device such as /dev/zero never ends
            throw new RecordingException(file, "is not a regular file (a FIFO, device or socket): not a recording",
                    null);
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long size = raf.length();
            if (size == 0) {
                throw new RecordingException(file, "is empty: not a pathprobe recording", null);
            }
            raf.seek(size - 1);
            cut = raf.read() != '\n';
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new RecordingException(file, "cannot be read: no such file", e);
        } catch (IOException e) {
            throw new RecordingException(file, "cannot be read: " + e, e);
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            String pending = null;
            while ((line = in.readLine()) != null) {
                if (pending != null) {
                    log.take(pending);
                }
                pending = line;
            }
            if (pending != null) {
                if (cut) {
                    log.truncated = true; // the last line was being written: everything before it counts
                } else {
                    log.take(pending);
                }
            }
        } catch (IOException e) {
            throw new RecordingException(file, "cannot be read: " + e, e);
        }
        if (log.format == 0) {
            throw new RecordingException(file, "is not a pathprobe recording (its first line is not a recording "
                    + "header)", null);
        }
        return log;
    }

    private void take(String line) {
        lines++;
        JsonNode n;
        try {
            n = Codec.JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw bad("is not JSON: " + e.getOriginalMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw bad("is not a JSON object", null);
        }
        String type = n.path("type").asText("");
        if (lines == 1) {
            header(n, type);
            return;
        }
        try {
            entry(n, type);
        } catch (Codec.BadRecord | IllegalArgumentException | java.time.DateTimeException e) {
            throw bad(e.getMessage(), e);
        }
    }

    private void header(JsonNode n, String type) {
        if (!type.equals("recording") || !n.path("format").isIntegralNumber()) {
            throw new RecordingException(file, "is not a pathprobe recording (its first line is not a recording "
                    + "header)", null);
        }
        format = n.path("format").asInt();
        JsonNode mask = n.get("mask");
        if (mask != null && mask.isObject()) {
            int hops = mask.path("hops").asInt(0);
            masking = new io.pathprobe.evidence.Masking(Math.max(0, Math.min(hops, 255)),
                    mask.path("source").asBoolean(false), java.util.Set.of());
        }
        library = n.path("library").asText(library);
        application = n.path("application").asText("");
        segment = n.path("segment").asInt(1);
        try {
            recordedAt = Instant.parse(n.path("recordedAt").asText(""));
        } catch (DateTimeParseException e) {
            throw bad("has no valid recordedAt", e);
        }
        if (format > io.pathprobe.evidence.ReplayResult.FORMAT || format < 1) {
            throw new RecordingException(file, "was recorded by " + library + " in recording format " + format
                    + "; this library reads formats 1 to " + io.pathprobe.evidence.ReplayResult.FORMAT
                    + ": replay it with " + library
                    + " or later", null);
        }
    }

    private void entry(JsonNode n, String type) {
        switch (type) {
            case "tracer" -> tracer = n;
            case "userTransport" -> userTransport = n;
            case "lookups" -> lookups = n;
            case "provider" -> providers.put(Codec.string(n, "name"), n);
            case "availability" -> availability.computeIfAbsent(Codec.string(n, "name"), k -> new ArrayDeque<>())
                    .add(n);
            case "opened" -> opened.computeIfAbsent(Codec.string(n, "name"), k -> new ArrayDeque<>()).add(n);
            case "session" -> sessions.add(new Session(Codec.integer(n, "s"), Codec.string(n, "transport"),
                    n.path("spec"), Codec.optString(n, "error"), n.path("maxSequence").asInt(0),
                    n.path("maxFlow").asInt(0), n.path("maxInFlight").asInt(Integer.MAX_VALUE)));
            case "send" -> {
                sends.computeIfAbsent(Codec.integer(n, "s"), k -> new ArrayDeque<>()).add(n);
                probes++;
            }
            case "answer" -> answers.put(Codec.integer(n, "n"), n);
            case "pending" -> {
                int p = Codec.integer(n, "n");
                pendings.put(p, Codec.bool(n, "sync"));
                String from = Codec.optString(n, "from");
                if (from != null) {
                    askedIn.put("P" + p, from);
                }
            }
            case "job" -> askedIn.put(Codec.string(n, "k"), Codec.string(n, "from"));
            case "launched" -> {
                long m = Codec.number(n, "m");
                launchedPooled.put(m, Codec.bool(n, "pooled"));
                String during = Codec.optString(n, "during");
                Measurement launched = measurements.get(m);
                if (during != null && launched != null) {
                    launched.during = during;
                }
            }
            case "ran" -> {
                String k = Codec.string(n, "k");
                jobEnds.put(k, jobEnds.size());
                jobEndLines.put(k, lines);
                serial(k, n);
            }
            case "asAlias" -> asAliases.put(Codec.number(n, "standIn"), Codec.string(n, "subject"));
            case "lookup" -> {
                String k = Codec.string(n, "k");
                lookupAnswers.put(k, n);
                JsonNode value = n.path("result").get("value");
                if (n.path("what").asText().equals("a") && value != null) {
                    asFound.putIfAbsent(Codec.string(n, "subject"), value);
                }
                serial(k, n);
                String from = Codec.optString(n, "from");
                if (from != null) {
                    askedIn.put(k, from);
                }
            }
            case "resolve" -> resolutions.put(Codec.string(n, "name") + "#" + Codec.integer(n, "n"), n);
            case "act" -> {
                JsonNode t = n.get("t");
                long[] reads = new long[t == null ? 0 : t.size()];
                for (int i = 0; i < reads.length; i++) {
                    reads[i] = t.get(i).asLong();
                    lastTick = Math.max(lastTick, reads[i]);
                }
                String key = Codec.string(n, "k");
                acts.add(new Act(key, Codec.optString(n, "via"), reads, n.path("cancel").asLong(0),
                        n.path("s").asInt(0), lines));
                for (Measurement m : launchedAfterAResult) {
                    if (m.during == null) {
                        m.during = key;
                    }
                }
                launchedAfterAResult.clear();
                resultSinceAct = false;
            }
            case "tick" -> {
                long v = Codec.number(n, "v");
                lastTick = Math.max(lastTick, v);
                ticks.computeIfAbsent(Codec.string(n, "c"), k -> new ArrayDeque<>()).add(v);
            }
            case "wall" -> walls.computeIfAbsent(Codec.string(n, "c"), k -> new ArrayDeque<>())
                    .add(Instant.parse(Codec.string(n, "v")));
            case "request" -> {
                long m = Codec.number(n, "m");
                Measurement made = new Measurement(m, Codec.string(n, "measurement"), n.path("request"), lines);
                if (measurements.putIfAbsent(m, made) == null && resultSinceAct) {
                    launchedAfterAResult.add(made);
                }
            }
            case "result" -> {
                resultSinceAct = true;
                Measurement m = measurements.get(Codec.number(n, "m"));
                if (m != null) {
                    m.result = n.get("result");
                    m.failure = Codec.optString(n, "failure");
                }
            }
            default -> {
                // a line of a kind this library does not know (a newer minor addition): skipped
            }
        }
    }

    private void serial(String key, JsonNode n) {
        JsonNode seq = n.get("seq");
        if (seq != null && seq.canConvertToInt()) {
            serial.put(seq.asInt(), key);
            serialOf.put(key, seq.asInt());
        }
    }

    private RecordingException bad(@Nullable String what, @Nullable Throwable cause) {
        return new RecordingException(file, "line " + lines + " " + what, cause);
    }
}
