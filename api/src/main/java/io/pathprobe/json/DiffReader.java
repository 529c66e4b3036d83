package io.pathprobe.json;

import io.pathprobe.monitor.MonitorHop;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.util.Checks;
import io.pathprobe.util.JsonParser;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads trace and monitor documents (trees {@link JsonParser} read) into their results, what
 * {@link DiffJson#read(String)} returns, with the tree helpers {@link TraceJson#read(String)} and
 * {@link MonitorJson#read(String)} read with (and {@link #one(String, boolean, Function)}). Every trace document
 * version with hops is read (fields a version lacks take their meaning's default: no rate-limited probes, losses all
 * forward); a field of the wrong type reads as absent where that is its default's meaning.
 */
final class DiffReader {
    private DiffReader() {}

    /** An address literal: digits and dots, or hex digits and colons (a zone after %); never a name to look up. */
    private static final Pattern LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*"
            + "(%[\\w.-]+)?");

    /** {@return the tree of {@code text}, a {@link JsonReadException} saying where it is not JSON} */
    static @Nullable Object parse(String text) {
        try {
            return JsonParser.parse(text);
        } catch (JsonParser.JsonParseException e) {
            int line = 1;
            int column = 1;
            for (int i = 0; i < e.position() && i < text.length(); i++) {
                boolean newLine = text.charAt(i) == '\n';
                line += newLine ? 1 : 0;
                column = newLine ? 1 : column + 1;
            }
            throw new JsonReadException("not JSON (" + e.expected() + " at line " + line + ", column " + column + ")");
        }
    }

    private static @Nullable Object parseOrNull(String text) {
        try {
            return JsonParser.parse(text);
        } catch (JsonParser.JsonParseException e) {
            return null;
        }
    }

    /** {@return field {@code key} of an object; null where it is absent or {@code v} is no object} */
    static @Nullable Object get(@Nullable Object v, String key) {
        return v instanceof Map<?, ?> m ? m.get(key) : null;
    }

    static boolean has(@Nullable Object v, String key) {
        return v instanceof Map<?, ?> m && m.containsKey(key);
    }

    /** A value as text: a string itself, a number or truth its literal, else {@code otherwise}. */
    static String text(@Nullable Object v, String otherwise) {
        if (v == null) {
            return otherwise;
        }
        return v instanceof String || v instanceof Number || v instanceof Boolean ? v.toString() : "";
    }

    /** {@return the constant {@code v} names in any case, {@code otherwise} for null or a name of none} */
    static <E extends Enum<E>> E named(Class<E> type, @Nullable Object v, E otherwise) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(text(v, ""))) {
                return e;
            }
        }
        return otherwise;
    }

    static Optional<String> string(@Nullable Object v) {
        return v instanceof String s ? Optional.of(s) : Optional.empty();
    }

    static OptionalInt whole(@Nullable Object v) {
        return v instanceof Number n && integral(v) ? OptionalInt.of(n.intValue()) : OptionalInt.empty();
    }

    static OptionalDouble decimal(@Nullable Object v) {
        return v instanceof Number n ? OptionalDouble.of(n.doubleValue()) : OptionalDouble.empty();
    }

    static boolean truth(@Nullable Object v) {
        return v instanceof Boolean b ? b : v instanceof Number n ? n.doubleValue() != 0 : "true".equals(v);
    }

    static boolean integral(@Nullable Object v) {
        return v instanceof Long || v instanceof BigDecimal d && d.scale() <= 0;
    }

    static int integer(@Nullable Object v, int otherwise) {
        return v instanceof Number n ? n.intValue() : otherwise;
    }

    static List<?> list(@Nullable Object v) {
        return v instanceof List<?> l ? l : List.of();
    }

    /** {@return one document of the kind asked for, read whole from {@code text} by {@code reader}} */
    static <T> T one(String text, boolean monitor, Function<@Nullable Object, T> reader) {
        Object d = parse(text);
        if (monitor(d, "it") != monitor) {
            throw new JsonReadException(monitor ? "a trace document, not a monitor document"
                    : "a monitor document, not a trace document");
        }
        return read(d, "", reader);
    }

    /** {@link DiffJson#read(String)}. */
    static DiffJson.Measured document(String text) {
        text = text.startsWith("\uFEFF") ? text.substring(1) : text;
        if (text.isBlank()) {
            throw new JsonReadException("is empty");
        }
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        Object whole;
        try {
            whole = parse(text);
        } catch (JsonReadException e) {
            if (lines.size() > 1 && lineType(lines.get(0)) != null) {
                return ndjson(lines);
            }
            throw e;
        }
        return value(whole, "a ");
    }

    /** {@link DiffJson#recordingLineType(String)}. */
    static @Nullable String lineType(String line) {
        try {
            return text(get(JsonParser.parse(line), "type"), "");
        } catch (JsonParser.JsonParseException e) {
            return null;
        }
    }

    /** {@link DiffJson#readResultLine(String)}. */
    static DiffJson.Measured resultLine(String line) {
        Object result = parse(line);
        String measurement = text(get(result, "measurement"), "");
        Object doc = get(result, "result");
        if (doc == null) {
            throw new JsonReadException("a recording whose result line has no result");
        }
        if (!List.of("trace", "traceAll", "monitor").contains(measurement)) {
            throw new JsonReadException("a recording of a " + (measurement.isEmpty() ? "measurement not named"
                    : measurement) + " result: diff compares traces, traceAll sets and monitor runs");
        }
        DiffJson.Measured m = value(doc, "a recording's ");
        if (m.monitor() != measurement.equals("monitor")) {
            throw new JsonReadException("a recording whose " + measurement + " result is not a " + measurement
                    + " document");
        }
        return new DiffJson.Measured(m.traces(), m.monitors(), "a recording's " + measurement);
    }

    /** {@code mtr --ndjson}: round lines, then the monitor document on its last line. */
    private static DiffJson.Measured ndjson(List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            Object line = parseOrNull(lines.get(i));
            if (line instanceof Map && !has(line, "type") && has(line, "endToEnd")) {
                return new DiffJson.Measured(List.of(), List.of(read(line, "", MonitorJson::result)),
                        "an mtr --ndjson stream");
            }
        }
        throw new JsonReadException("JSON lines without a monitor document (an mtr --ndjson stream cut before its "
                + "end?) and not a recording");
    }

    /** One document, or an array of documents of one kind; a hop out of TTL order is a value out of range. */
    private static DiffJson.Measured value(@Nullable Object v, String prefix) {
        boolean list = v instanceof List;
        List<?> all = v instanceof List<?> l ? l : java.util.Collections.singletonList(v);
        if (all.isEmpty()) {
            throw new JsonReadException("an empty list: no measurement to compare");
        }
        boolean monitor = monitor(all.get(0), list ? "element 1 of the list" : "it");
        List<TraceResult> traces = new ArrayList<>();
        List<MonitorResult> monitors = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (i > 0 && monitor(all.get(i), "element " + (i + 1) + " of the list") != monitor) {
                throw new JsonReadException("a list of traces and monitor documents mixed");
            }
            String where = list ? "element " + (i + 1) + ": " : "";
            if (monitor) {
                monitors.add(read(all.get(i), where, x -> ordered(MonitorJson.result(x), MonitorResult::hops,
                        MonitorHop::ttl)));
            } else {
                traces.add(read(all.get(i), where, x -> ordered(TraceJson.result(x), TraceResult::hops, Hop::ttl)));
            }
        }
        return new DiffJson.Measured(traces, monitors, prefix + (!list ? (monitor ? "monitor" : "trace") + " document"
                : monitor ? "list of monitor documents" : "traceAll"));
    }

    /**
     * {@return {@code result}, an {@link IllegalArgumentException} unless its hops' TTLs are 1 to 255 and in
     * increasing order}
     */
    private static <R, H> R ordered(R result, Function<R, List<H>> hops, java.util.function.ToIntFunction<H> ttl) {
        List<H> all = hops.apply(result);
        for (int i = 0; i < all.size(); i++) {
            Checks.ttl(ttl.applyAsInt(all.get(i)), "ttl");
            if (i > 0 && ttl.applyAsInt(all.get(i)) <= ttl.applyAsInt(all.get(i - 1))) {
                throw new IllegalArgumentException("hops must be in increasing TTL order: "
                        + ttl.applyAsInt(all.get(i - 1)) + " before " + ttl.applyAsInt(all.get(i)));
            }
        }
        return result;
    }

    /** {@return whether {@code d} is a monitor document (else a trace document)} */
    private static boolean monitor(@Nullable Object d, String who) {
        if (!(d instanceof Map)) {
            throw new JsonReadException(who + " is not a JSON object");
        }
        if (has(d, "error") && !has(d, "hops")) {
            throw new JsonReadException("an error document (" + text(get(get(d, "error"), "message"), "no message")
                    + ")");
        }
        if ("round".equals(text(get(d, "type"), ""))) {
            throw new JsonReadException("a monitor round line, not a result");
        }
        boolean hops = get(d, "hops") instanceof List;
        if (has(d, "endToEnd") && hops) {
            return true;
        }
        if (hops && has(d, "target")) {
            return false;
        }
        throw new JsonReadException("not a trace, traceAll or monitor document (" + who + " has no hops"
                + (has(d, "schemaVersion") ? "; another document" : "") + ")");
    }

    /** {@return {@code reader}'s reading of {@code d}, its errors (a value out of range) prefixed by {@code where}} */
    private static <T> T read(@Nullable Object d, String where, Function<@Nullable Object, T> reader) {
        try {
            return reader.apply(d);
        } catch (JsonReadException e) {
            throw new JsonReadException(where + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new JsonReadException(where + "a value out of range: " + e.getMessage());
        }
    }

    static String target(@Nullable Object d) {
        if (!(get(d, "target") instanceof String t)) {
            throw new JsonReadException("no target");
        }
        return t;
    }

    static int ttl(@Nullable Object h) {
        Object v = get(h, "ttl");
        if (!(v instanceof Long n) || n != n.intValue()) {
            throw new JsonReadException("a hop without a ttl");
        }
        return n.intValue();
    }

    static long count(@Nullable Object n, String field, long otherwise) {
        Object v = get(n, field);
        if (v == null) {
            return otherwise;
        }
        if (!integral(v) || ((Number) v).longValue() < 0) {
            throw new JsonReadException("a hop whose " + field + " is not a count: " + JsonText.write(v, false));
        }
        return ((Number) v).longValue();
    }

    static Duration millis(@Nullable Object ms) {
        if (!(ms instanceof Number n) || n.doubleValue() < 0 || !Double.isFinite(n.doubleValue())) {
            throw new JsonReadException("an RTT that is not a number of milliseconds: " + JsonText.write(ms, false));
        }
        return Duration.ofNanos(Math.round(n.doubleValue() * 1e6));
    }

    /** An address literal, or empty for null; a name is never looked up. */
    static Optional<InetAddress> address(@Nullable Object v) {
        if (v == null) {
            return Optional.empty();
        }
        String s = text(v, "");
        if (!(v instanceof String) || !LITERAL.matcher(s).matches()) {
            throw new JsonReadException("'" + s + "' is not an IP address");
        }
        try {
            return Optional.of(InetAddress.getByName(s));
        } catch (UnknownHostException e) {
            throw new JsonReadException("'" + s + "' is not an IP address");
        }
    }
}
