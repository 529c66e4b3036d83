package io.pathprobe.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathprobe.MeasurementType;
import io.pathprobe.core.internal.record.spi.RecordingLines;
import io.pathprobe.diff.HopSnapshot;
import io.pathprobe.diff.PathSnapshot;
import io.pathprobe.diff.ResponderSnapshot;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What {@code pathprobe diff} reads: a trace document ({@code trace --json}), a traceAll's (a JSON array of trace
 * documents), a monitor document ({@code mtr --json}, an array of them, or the last line of {@code mtr --ndjson}),
 * or a recording (NDJSON whose first line is {@code {"type":"recording",...}}: its last complete {@code "result"}
 * line), brought to {@link PathSnapshot}s. Every trace document version with hops is read (fields a version lacks
 * take their meaning's default: no rate-limited probes, losses all forward). A file that is none of these is a
 * {@link BadFile}, whose message says what is wrong with it.
 */
final class DiffFiles {
    private DiffFiles() {}

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** An address literal: digits and dots, or hex digits and colons (a zone after %); never a name to look up. */
    private static final Pattern LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*"
            + "(%[\\w.-]+)?");

    /** The kind of measurement a file holds: only measurements of one kind are compared. */
    enum Kind {
        /** Traces: a trace or a traceAll. */
        TRACE("traces"),
        /** Monitor runs. */
        MONITOR("monitor runs");

        final String words;

        Kind(String words) {
            this.words = words;
        }
    }

    /**
     * What a file held.
     *
     * @param kind traces or monitor runs
     * @param snapshots one per target
     * @param what the file's content in words ({@code "a trace document"}, {@code "a recording's traceAll"})
     */
    record Measured(Kind kind, List<PathSnapshot> snapshots, String what) {}

    /** A file that holds no measurement diff can read; the message names what is wrong (the caller names the file). */
    static final class BadFile extends Exception {
        private static final long serialVersionUID = 1L;

        BadFile(String message) {
            super(message);
        }
    }

    /** The largest JSON document diff reads (a recording streams, each line at most {@link RecordingLines#CAP}). */
    static final long DOCUMENT_CAP = 64L << 20;

    /**
     * Reads {@code file}: a regular file only (a directory, FIFO or device is refused before it is opened); a
     * recording is read line by line, each line at most {@link RecordingLines#CAP} bytes, keeping only its last result
     * line; a JSON document at most {@link #DOCUMENT_CAP} bytes.
     */
    static Measured read(Path file) throws BadFile {
        regular(file);
        try (java.io.InputStream in = Files.newInputStream(file)) {
            RecordingLines lines = new RecordingLines(in, true);
            @Nullable String head = lines.next();
            while (head != null && head.isBlank()) {
                head = lines.next();
            }
            if (head == null) {
                throw new BadFile("is empty");
            }
            if (head.startsWith("\uFEFF")) {
                head = head.substring(1);
            }
            @Nullable JsonNode first = parseOrNull(head);
            if (first != null && first.isObject() && "recording".equals(first.path("type").asText())) {
                return recording(lines);
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new BadFile("not UTF-8 text (not JSON)");
        } catch (RecordingLines.TooLong e) {
            throw new BadFile("line " + e.line() + " is longer than " + (RecordingLines.CAP >> 20)
                    + " MiB, the most diff reads of one line");
        } catch (IOException e) {
            throw new BadFile("cannot be read: " + e.getMessage());
        }
        return document(file);
    }

    /** A usage error unless {@code file} is a regular file; never opens a FIFO or device. */
    private static void regular(Path file) throws BadFile {
        if (Files.isDirectory(file)) {
            throw new BadFile("is a directory, not a file");
        }
        if (!Files.exists(file)) {
            throw new BadFile("no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new BadFile("not a regular file (a FIFO, device or socket): diff reads files");
        }
    }

    /** A JSON document, a list of them or an {@code mtr --ndjson} stream, read whole up to its cap. */
    private static Measured document(Path file) throws BadFile {
        String text;
        try {
            if (Files.size(file) > DOCUMENT_CAP) {
                throw new BadFile("larger than " + (DOCUMENT_CAP >> 20) + " MiB, the most diff reads of a JSON "
                        + "document (a recording is read line by line)");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BadFile("no such file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new BadFile("not UTF-8 text (not JSON)");
        } catch (IOException e) {
            throw new BadFile("cannot be read: " + e.getMessage());
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text.isBlank()) {
            throw new BadFile("is empty");
        }
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        @Nullable JsonNode first = parseOrNull(lines.get(0));
        JsonNode whole;
        try {
            whole = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            if (lines.size() > 1 && first != null) {
                return ndjson(lines);
            }
            com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
            throw new BadFile("not JSON (" + e.getOriginalMessage() + (at == null ? "" : " at line " + at.getLineNr()
                    + ", column " + at.getColumnNr()) + ")");
        }
        return value(whole, "a ");
    }

    private static @Nullable JsonNode parseOrNull(String line) {
        try {
            return JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** A recording, after its header line: its last complete result line; a last line cut short is left out. */
    private static Measured recording(RecordingLines lines) throws IOException, BadFile {
        @Nullable JsonNode result = null;
        @Nullable String line;
        long bad = 0;
        while ((line = lines.next()) != null) {
            if (line.isBlank()) {
                continue;
            }
            if (bad > 0) {
                throw new BadFile("a recording whose line " + bad + " is not JSON");
            }
            JsonNode n = parseOrNull(line);
            if (n == null) {
                bad = lines.number(); // if it is the last line, cut mid-line: the last result line before it counts
                continue;
            }
            if ("result".equals(n.path("type").asText())) {
                result = n;
            }
        }
        if (result == null) {
            throw new BadFile("a recording that holds no complete result line (cut before its measurement ended?)");
        }
        String measurement = result.path("measurement").asText("");
        JsonNode doc = result.get("result");
        if (doc == null || doc.isNull()) {
            throw new BadFile("a recording whose result line has no result");
        }
        MeasurementType<?, ?> type = MeasurementType.named(measurement).orElse(null);
        if (type != MeasurementType.TRACE && type != MeasurementType.TRACE_ALL && type != MeasurementType.MONITOR) {
            throw new BadFile("a recording of a " + (measurement.isEmpty() ? "measurement not named"
                    : measurement) + " result: diff compares traces, traceAll sets and monitor runs");
        }
        Measured m = value(doc, "a recording's ");
        if ((m.kind() == Kind.MONITOR) != (type == MeasurementType.MONITOR)) {
            throw new BadFile("a recording whose " + measurement + " result is not a " + measurement + " document");
        }
        return new Measured(m.kind(), m.snapshots(), "a recording's " + measurement);
    }

    /** {@code mtr --ndjson}: round lines, then the monitor document on its last line. */
    private static Measured ndjson(List<String> lines) throws BadFile {
        for (int i = lines.size() - 1; i >= 0; i--) {
            JsonNode line = parseOrNull(lines.get(i));
            if (line != null && line.isObject() && !line.has("type") && line.has("endToEnd")) {
                return new Measured(Kind.MONITOR, List.of(monitor(line)), "an mtr --ndjson stream");
            }
        }
        throw new BadFile("JSON lines without a monitor document (an mtr --ndjson stream cut before its end?) and "
                + "not a recording");
    }

    /** One document, or an array of documents of one kind. */
    private static Measured value(JsonNode v, String prefix) throws BadFile {
        if (v.isArray()) {
            if (v.isEmpty()) {
                throw new BadFile("an empty list: no measurement to compare");
            }
            List<PathSnapshot> all = new ArrayList<>();
            Kind kind = kind(v.get(0), "element 1 of the list");
            for (int i = 0; i < v.size(); i++) {
                Kind k = i == 0 ? kind : kind(v.get(i), "element " + (i + 1) + " of the list");
                if (k != kind) {
                    throw new BadFile("a list of traces and monitor documents mixed");
                }
                all.add(snapshot(v.get(i), k, "element " + (i + 1) + ": "));
            }
            return new Measured(kind, all, prefix + (kind == Kind.TRACE ? "traceAll" : "list of monitor documents"));
        }
        Kind k = kind(v, "it");
        return new Measured(k, List.of(snapshot(v, k, "")), prefix + (k == Kind.TRACE ? "trace" : "monitor")
                + " document");
    }

    private static Kind kind(JsonNode d, String who) throws BadFile {
        if (!d.isObject()) {
            throw new BadFile(who + " is not a JSON object");
        }
        if (d.has("error") && !d.has("hops")) {
            throw new BadFile("an error document (" + d.path("error").path("message").asText("no message") + ")");
        }
        if ("round".equals(d.path("type").asText())) {
            throw new BadFile("a monitor round line, not a result");
        }
        if (d.has("endToEnd") && d.path("hops").isArray()) {
            return Kind.MONITOR;
        }
        if (d.path("hops").isArray() && d.has("target")) {
            return Kind.TRACE;
        }
        throw new BadFile("not a trace, traceAll or monitor document (" + who + " has no hops"
                + (d.has("schemaVersion") ? "; another document" : "") + ")");
    }

    private static PathSnapshot snapshot(JsonNode d, Kind k, String where) throws BadFile {
        try {
            return k == Kind.TRACE ? trace(d) : monitor(d);
        } catch (BadFile e) {
            throw new BadFile(where + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new BadFile(where + "a value out of range: " + e.getMessage());
        }
    }

    /** A trace document (every version): per hop its responders, counts, RTTs and whether the destination answered. */
    static PathSnapshot trace(JsonNode d) throws BadFile {
        List<HopSnapshot> hops = new ArrayList<>();
        OptionalInt destinationTtl = OptionalInt.empty();
        Optional<InetAddress> destination = address(d.get("destination"));
        for (JsonNode h : d.get("hops")) {
            int ttl = ttl(h);
            long sent = count(h, "sent", 0);
            long received = count(h, "received", 0);
            long rateLimited = count(h, "rateLimited", 0);
            long lost = count(h, "lost", Math.max(0, sent - received - count(h, "abandoned", 0) - rateLimited));
            long forward = count(h, "forwardLost", lost);
            long backward = count(h, "backwardLost", lost - forward);
            List<Duration> rtts = new ArrayList<>();
            for (JsonNode r : h.path("rtts")) {
                rtts.add(millis(r));
            }
            boolean dest = false;
            for (JsonNode p : h.path("probes")) {
                dest |= p.path("destination").asBoolean(false);
            }
            List<ResponderSnapshot> responders = responders(h, received);
            if (!dest && d.path("destinationReached").asBoolean(false) && destination.isPresent()
                    && !h.has("probes")) {
                dest = responders.stream().anyMatch(r -> r.address().equals(destination.get()));
            }
            if (dest && destinationTtl.isEmpty()) {
                destinationTtl = OptionalInt.of(ttl);
            }
            Duration sd = h.path("stdDevMs").isNumber() ? millis(h.get("stdDevMs")) : Duration.ZERO;
            hops.add(new HopSnapshot(ttl, responders, sent, received, forward, backward, rateLimited, rtts, sd, dest,
                    h.path("fromStopSet").asBoolean(false)));
        }
        return new PathSnapshot(target(d), destination, hops, destinationTtl);
    }

    /** A monitor document: per hop its responders and whole-run statistics ({@code total}). */
    static PathSnapshot monitor(JsonNode d) throws BadFile {
        JsonNode path = d.path("path");
        int firstTtl = path.path("firstTtl").asInt(1);
        OptionalInt destinationTtl = PathSnapshot.monitorDestinationTtl(path.path("destinationReached").asBoolean(),
                firstTtl + path.path("hops").size() - 1, d.path("hopCount").path("max").asInt(0));
        List<HopSnapshot> hops = new ArrayList<>();
        for (JsonNode h : d.get("hops")) {
            int ttl = ttl(h);
            JsonNode t = h.path("total");
            long sent = count(t, "sent", 0);
            long received = count(t, "received", 0);
            long rateLimited = count(t, "rateLimited", 0);
            Optional<Duration> best = t.path("bestMs").isNumber() ? Optional.of(millis(t.get("bestMs")))
                    : Optional.empty();
            Duration sd = t.path("stdDevMs").isNumber() ? millis(t.get("stdDevMs")) : Duration.ZERO;
            hops.add(new HopSnapshot(ttl, responders(h, received), sent, received,
                    Math.max(0, sent - received - rateLimited), 0, rateLimited, List.of(), best, sd,
                    destinationTtl.isPresent() && destinationTtl.getAsInt() == ttl, false));
        }
        return new PathSnapshot(target(d), address(d.get("destination")), hops, destinationTtl);
    }

    private static String target(JsonNode d) throws BadFile {
        JsonNode t = d.get("target");
        if (t == null || !t.isTextual()) {
            throw new BadFile("no target");
        }
        return t.asText();
    }

    private static int ttl(JsonNode h) throws BadFile {
        if (!h.path("ttl").canConvertToInt() || !h.path("ttl").isIntegralNumber()) {
            throw new BadFile("a hop without a ttl");
        }
        return h.get("ttl").asInt();
    }

    private static long count(JsonNode n, String field, long otherwise) throws BadFile {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return otherwise;
        }
        if (!v.isIntegralNumber() || v.asLong() < 0) {
            throw new BadFile("a hop whose " + field + " is not a count: " + v);
        }
        return v.asLong();
    }

    private static Duration millis(JsonNode ms) throws BadFile {
        if (!ms.isNumber() || ms.asDouble() < 0 || !Double.isFinite(ms.asDouble())) {
            throw new BadFile("an RTT that is not a number of milliseconds: " + ms);
        }
        return Duration.ofNanos(Math.round(ms.asDouble() * 1e6));
    }

    /** A hop's responders; a document without them (none of pathprobe's) gives its one address. */
    private static List<ResponderSnapshot> responders(JsonNode h, long received) throws BadFile {
        List<ResponderSnapshot> out = new ArrayList<>();
        if (h.path("responders").isArray()) {
            for (JsonNode r : h.get("responders")) {
                InetAddress a = address(r.get("address"))
                        .orElseThrow(() -> new BadFile("a responder without an address"));
                JsonNode asn = r.path("asn").path("number");
                out.add(new ResponderSnapshot(a, count(r, "replies", 0),
                        asn.isIntegralNumber() ? OptionalLong.of(asn.asLong()) : OptionalLong.empty()));
            }
        } else {
            Optional<InetAddress> a = address(h.get("address"));
            if (a.isPresent()) {
                out.add(new ResponderSnapshot(a.get(), received, OptionalLong.empty()));
            }
        }
        return out;
    }

    /** An address literal, or empty for null; a name is never looked up. */
    static Optional<InetAddress> address(@Nullable JsonNode v) throws BadFile {
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        String s = v.asText();
        if (!v.isTextual() || !LITERAL.matcher(s).matches()) {
            throw new BadFile("'" + s + "' is not an IP address");
        }
        try {
            return Optional.of(InetAddress.getByName(s));
        } catch (UnknownHostException e) {
            throw new BadFile("'" + s + "' is not an IP address");
        }
    }
}
