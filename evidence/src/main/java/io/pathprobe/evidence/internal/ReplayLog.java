package io.pathprobe.evidence.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.RecordingException;
import io.pathprobe.core.internal.record.spi.RecordingLines;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

/**
 * A recording, indexed as the replay looks things up: what is small or per measurement (its header, transports,
 * sessions, measurements, lookups, jobs) in memory, the per-probe lines (loop work, sends, answers, hand-overs) as
 * their places in the file ({@link LineIndex}), read back when the replay asks for one through the file kept open
 * until {@link #close}. Every line is at most {@link RecordingLines#CAP} bytes.
 */
final class ReplayLog implements AutoCloseable {
    /**
     * One piece of the loop's work as it ran: its name, the event it came from, its clock readings, where its line
     * begins in the file (the order of the lines).
     */
    record Act(String key, @Nullable String via, long[] reads, long cancels, int serialBefore, long at) {}

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

        /** Where its request's line begins in the recording (where its launch began). */
        final long at;
        /**
         * The piece of loop work under way when the application launched it (its act line comes after the launch's
         * lines): the launch followed that piece's start, and a replay runs the piece first; null: none.
         */
        @Nullable String during;

        Measurement(long id, String kind, JsonNode request, long at) {
            this.at = at;
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
    /** Each session's send lines, in order. */
    private final Map<Integer, LineIndex.Queue> sends = new HashMap<>();
    /** The probes the recording holds (its send lines). */
    long probes;
    private final LineIndex.ByNumber answers = new LineIndex.ByNumber();
    private final LineIndex.ByNumber pendings = new LineIndex.ByNumber();
    /** The event each job and lookup ({@code K...}) was asked for in, if any (a hand-over's: its pending line). */
    private final Map<String, String> askedIn = new HashMap<>();
    final Map<String, JsonNode> lookupAnswers = new HashMap<>();
    /** A masked recording's hidden AS numbers that are another address's AS: that address (as written). */
    final Map<Long, String> asAliases = new HashMap<>();
    /** Each address's AS as first found (what an {@link #asAliases alias} stands for). */
    final Map<String, JsonNode> asFound = new HashMap<>();
    /** Where each job's line (its end) begins in the recording. */
    final Map<String, Long> jobEndsAt = new HashMap<>();
    /** Whether each measurement's launch set it up on a pool (its "launched" line; absent: unknown). */
    final Map<Long, Boolean> launchedPooled = new HashMap<>();
    /** Each job's place in the order the jobs ended in while recording. */
    final Map<String, Integer> jobEnds = new HashMap<>();
    /** Lookup ends and enrichment jobs, in the one order they happened in while recording. */
    final java.util.TreeMap<Integer, String> serial = new java.util.TreeMap<>();
    final Map<String, Integer> serialOf = new HashMap<>();
    final Map<String, JsonNode> resolutions = new HashMap<>();
    /** Which lines (numbered from 0) are act lines: the replay reads them in order ({@link #act}). */
    private final java.util.BitSet actLines = new java.util.BitSet();
    private int actCount;
    private final LineIndex.FirstPlaces actPlaces = new LineIndex.FirstPlaces();
    private boolean hashedActPlaces;
    /** The act lines read so far, in order, and the last one. */
    private @Nullable RecordingLines actReader;
    private java.io.@Nullable InputStream actStream;
    private int actsRead;
    private @Nullable Act lastAct;
    private final FileChannel channel;
    /** Where the line being read begins. */
    private long at;
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

    private ReplayLog(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /**
     * Reads {@code file}.
     *
     * @throws RecordingException if it cannot be read, is not a recording, or needs a newer library
     */
    static ReplayLog read(Path file) {
        if (Files.isDirectory(file)) {
            throw new RecordingException(file, "is a directory, not a recording", null);
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            // never opened: a FIFO would block until a writer came, a device such as /dev/zero never ends
            throw new RecordingException(file, "is not a regular file (a FIFO, device or socket): not a recording",
                    null);
        }
        FileChannel channel;
        try {
            channel = new java.io.RandomAccessFile(file.toFile(), "r").getChannel(); // closed by close()
        } catch (java.io.FileNotFoundException e) {
            throw new RecordingException(file, "cannot be read: no such file", e);
        } catch (IOException e) {
            throw new RecordingException(file, "cannot be read: " + e, e);
        }
        ReplayLog log = new ReplayLog(file, channel);
        try {
            log.index();
            return log;
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
    }

    private void index() {
        try {
            if (channel.size() == 0) {
                throw new RecordingException(file, "is empty: not a pathprobe recording", null);
            }
            RecordingLines in = new RecordingLines(new java.io.BufferedInputStream(
                    java.nio.channels.Channels.newInputStream(channel.position(0)), 1 << 16), false);
            String line;
            String pending = null;
            long pendingAt = 0;
            while ((line = in.next()) != null) {
                if (pending != null) {
                    at = pendingAt;
                    take(pending);
                }
                pending = line;
                pendingAt = in.start();
            }
            if (pending != null) {
                if (!in.ended()) {
                    truncated = true; // the last line was being written: everything before it counts
                } else {
                    at = pendingAt;
                    take(pending);
                }
            }
        } catch (RecordingLines.TooLong e) {
            throw new RecordingException(file, e.getMessage(), e);
        } catch (IOException e) {
            throw new RecordingException(file, "cannot be read: " + e, e);
        }
        if (format == 0) {
            throw new RecordingException(file, "is not a pathprobe recording (its first line is not a recording "
                    + "header)", null);
        }
    }

    /** Closes the file. */
    @Override
    public void close() {
        closeActs();
        try {
            channel.close();
        } catch (IOException e) {
            // read only: nothing is lost
        }
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
                sends.computeIfAbsent(Codec.integer(n, "s"), k -> new LineIndex.Queue()).add(at);
                probes++;
            }
            case "answer" -> answers.put(Codec.integer(n, "n"), at, lines);
            case "pending" -> {
                int p = Codec.integer(n, "n");
                Codec.bool(n, "sync");
                Codec.optString(n, "from");
                pendings.put(p, at, lines);
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
                jobEndsAt.put(k, at);
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
                Act a = act(n, at);
                for (long read : a.reads()) {
                    lastTick = Math.max(lastTick, read);
                }
                String key = a.key();
                actLines.set(Math.toIntExact(lines - 1));
                actPlaces.add(key, actCount++, false);
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
                Measurement made = new Measurement(m, Codec.string(n, "measurement"), n.path("request"), at);
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

    private static Act act(JsonNode n, long at) {
        JsonNode t = n.get("t");
        long[] reads = new long[t == null ? 0 : t.size()];
        for (int i = 0; i < reads.length; i++) {
            reads[i] = t.get(i).asLong();
        }
        return new Act(Codec.string(n, "k"), Codec.optString(n, "via"), reads, n.path("cancel").asLong(0),
                n.path("s").asInt(0), at);
    }

    /** {@return the pieces of loop work the recording holds (its act lines)} */
    int acts() {
        return actCount;
    }

    /**
     * {@return the {@code i}-th piece of loop work, read from its line} The replay asks for them in order: the act
     * lines are read forward, each once (asked for an earlier one, they are read again from the start).
     */
    Act act(int i) {
        Act last = lastAct;
        if (last != null && actsRead == i + 1) {
            return last;
        }
        if (i < 0 || i >= actCount) {
            throw new IndexOutOfBoundsException(i);
        }
        try {
            RecordingLines in = actReader;
            if (in == null || actsRead > i) {
                closeActs();
                java.io.InputStream s = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16);
                actStream = s;
                in = new RecordingLines(s, false);
                actReader = in;
                actsRead = 0;
            }
            while (true) {
                String line = in.next();
                if (line == null) {
                    throw new IOException("its act line " + (i + 1) + " is gone");
                }
                if (actLines.get(Math.toIntExact(in.number() - 1)) && actsRead++ == i) {
                    Act a = act(Codec.JSON.readTree(line), in.start());
                    lastAct = a;
                    return a;
                }
            }
        } catch (IOException e) {
            throw new RecordingException(file, "cannot be read again (changed while replayed?): " + e, e);
        }
    }

    private void closeActs() {
        java.io.InputStream s = actStream;
        actStream = null;
        actReader = null;
        lastAct = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // read only: nothing is lost
            }
        }
    }

    /** {@return the first place of the piece of loop work named {@code key} among the acts, or -1} */
    int firstAct(String key) {
        if (!hashedActPlaces && LineIndex.FirstPlaces.hashed(key)) {
            // the recorder's names, first asked for (a job that raced): every act's, read once
            hashedActPlaces = true;
            try (java.io.InputStream s = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                RecordingLines in = new RecordingLines(s, false);
                int place = 0;
                for (String line = in.next(); line != null && place < actCount; line = in.next()) {
                    if (actLines.get(Math.toIntExact(in.number() - 1))) {
                        actPlaces.add(Codec.string(Codec.JSON.readTree(line), "k"), place++, true);
                    }
                }
            } catch (IOException e) {
                throw new RecordingException(file, "cannot be read again (changed while replayed?): " + e, e);
            }
        }
        return actPlaces.first(key);
    }

    /** {@return session {@code s}'s next send line not taken yet, or null} */
    @Nullable JsonNode nextSend(int s) {
        LineIndex.Queue q = sends.get(s);
        long offset = q == null ? -1 : q.peek();
        return offset < 0 ? null : line(offset);
    }

    /** Session {@code s}'s next send line is taken. */
    void sent(int s) {
        LineIndex.Queue q = sends.get(s);
        if (q != null) {
            q.poll();
        }
    }

    /** {@return answer {@code n}'s line, or null} */
    @Nullable JsonNode answer(int n) {
        long offset = answers.get(n);
        return offset < 0 ? null : line(offset);
    }

    /** {@return whether hand-over {@code p} ran at once (its pending line's {@code sync}), or null if not recorded} */
    @Nullable Boolean pendingSync(int p) {
        long offset = pendings.get(p);
        return offset < 0 ? null : Codec.bool(line(offset), "sync");
    }

    /** {@return the event a hand-over ({@code P<n>}), job or lookup was asked for in, or null} */
    @Nullable String askedIn(String root) {
        String from = askedIn.get(root);
        if (from != null || !root.startsWith("P")) {
            return from;
        }
        int p;
        try {
            p = Integer.parseInt(root, 1, root.length(), 10);
        } catch (NumberFormatException e) {
            return null;
        }
        long offset = ("P" + p).equals(root) ? pendings.get(p) : -1;
        return offset < 0 ? null : Codec.optString(line(offset), "from");
    }

    /** {@return the line that begins at {@code offset}, read again (it was read whole once: it is a JSON object)} */
    private synchronized JsonNode line(long offset) {
        try {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 << 12);
            while (true) {
                int n = channel.read(b, offset + b.position());
                for (int i = b.position() - Math.max(n, 0); i < b.position(); i++) {
                    if (b.get(i) == '\n') {
                        return Codec.JSON.readTree(new String(b.array(), 0, i, StandardCharsets.UTF_8));
                    }
                }
                if (n < 0) {
                    return Codec.JSON.readTree(new String(b.array(), 0, b.position(), StandardCharsets.UTF_8));
                }
                if (!b.hasRemaining()) {
                    if (b.capacity() > RecordingLines.CAP) {
                        throw new IOException("the line at byte " + offset + " is longer than it was");
                    }
                    b = java.nio.ByteBuffer.allocate(b.capacity() * 2).put(b.flip());
                }
            }
        } catch (IOException e) {
            throw new RecordingException(file, "cannot be read again (changed while replayed?): " + e, e);
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
