package io.pathprobe.json;

import static io.pathprobe.json.JsonTrees.address;
import static io.pathprobe.json.JsonTrees.boxed;
import static io.pathprobe.json.JsonTrees.list;
import static io.pathprobe.json.JsonTrees.ms;

import io.pathprobe.diff.HopChange;
import io.pathprobe.diff.PathDiff;
import io.pathprobe.diff.TargetDiff;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.probe.AddressText;
import io.pathprobe.trace.TraceResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The diff document ({@code pathprobe diff A B --json}), docs/schema/diff.schema.json: whether anything changed,
 * per target compared its two paths and its changes (each with its kind, its hop, its line of text and its own
 * fields), and the targets measured on one side only. The conventions every document follows are the
 * {@linkplain io.pathprobe.json package's}.
 */
public final class DiffJson {
    /** The diff document's version. 1: the first; 2 added the change kind RESPONDER_IDENTITY_CHANGED. */
    public static final int SCHEMA_VERSION = 2;

    private DiffJson() {}

    /**
     * What one side of a diff holds, as {@link #read(String)} and {@link #readResultLine(String)} read it: traces (a
     * trace or a traceAll) or monitor runs, the results their documents hold.
     *
     * @param traces the traces, in the document's order; empty when it holds monitor runs
     * @param monitors the monitor runs, in the document's order; empty when it holds traces
     * @param what the content in words ({@code "a trace document"}, {@code "a recording's traceAll"})
     */
    public record Measured(List<TraceResult> traces, List<MonitorResult> monitors, String what) {
        /**
         * Checks the components (see the record's description) and copies the lists.
         *
         * @param traces the traces; empty when it holds monitor runs
         * @param monitors the monitor runs; empty when it holds traces
         * @param what the content in words
         * @throws NullPointerException if a component is or a list holds null
         */
        public Measured {
            traces = List.copyOf(traces);
            monitors = List.copyOf(monitors);
            java.util.Objects.requireNonNull(what, "what");
        }

        /** {@return whether it holds monitor runs (else traces)} */
        public boolean monitor() {
            return !monitors.isEmpty();
        }

        /** {@return what it holds and its targets: {@code "a traceAll: a.example, b.example"}} */
        @Override
        public String toString() {
            return what + ": " + String.join(", ", java.util.stream.Stream.concat(traces.stream()
                    .map(TraceResult::target), monitors.stream().map(MonitorResult::target)).toList());
        }
    }

    /**
     * {@return what {@code pathprobe diff} compares, read from a whole text: a trace document (every version, see
     * {@link TraceJson#read(String)}), a traceAll's (an array of trace documents), a monitor document, an array of
     * them, or an {@code mtr --ndjson} stream (its last monitor document); a leading byte order mark is skipped}
     *
     * @param text the text
     * @throws JsonReadException if the text is none of these; the message says what it is and what is wrong
     *     ({@code "element 2: a hop without a ttl"}, {@code "not JSON (expected ... at line 1, column 1)"})
     */
    public static Measured read(String text) {
        return DiffReader.document(text);
    }

    /**
     * {@return the {@code type} of a recording's line (the first's is {@code "recording"}; a result's
     * {@code "result"}): {@code ""} for a line that is JSON without one, null for a line that is not JSON}
     *
     * @param line one line of a recording
     */
    public static @Nullable String recordingLineType(String line) {
        return DiffReader.lineType(line);
    }

    /**
     * {@return the measurement of a recording's result line ({@code {"type":"result","measurement":"trace",
     * "result":{...}}}) of a trace, a traceAll or a monitor run}
     *
     * @param line the result line
     * @throws JsonReadException if the line is not JSON, holds no result or a result of another kind
     */
    public static Measured readResultLine(String line) {
        return DiffReader.resultLine(line);
    }

    /**
     * {@return the diff document}
     *
     * @param diff the diff
     */
    public static String write(PathDiff diff) {
        return JsonText.write(tree(diff), true);
    }

    /**
     * {@return the diff document as a tree}
     *
     * @param d the diff
     */
    public static Map<String, @Nullable Object> tree(PathDiff d) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", SCHEMA_VERSION);
        m.put("changed", d.changed());
        m.put("targets", list(d.targets(), DiffJson::tree));
        m.put("onlyBefore", list(d.onlyBefore(), DiffJson::only));
        m.put("onlyAfter", list(d.onlyAfter(), DiffJson::only));
        return m;
    }

    /**
     * {@return one target's diff as a tree (an element of the diff document's {@code targets}): the target (and its
     * name after, where it differs), each side's destination, the TTL it answered at and its path, and the changes}
     *
     * @param t the target's diff
     */
    public static Map<String, @Nullable Object> tree(TargetDiff t) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("target", t.target());
        m.put("targetAfter", t.after().target());
        m.put("destinationBefore", address(t.before().destination()));
        m.put("destinationAfter", address(t.after().destination()));
        m.put("destinationTtlBefore", boxed(t.before().destinationTtl()));
        m.put("destinationTtlAfter", boxed(t.after().destinationTtl()));
        m.put("pathBefore", path(t.before()));
        m.put("pathAfter", path(t.after()));
        m.put("changed", t.changed());
        m.put("changes", list(t.changes(), DiffJson::tree));
        return m;
    }

    /**
     * {@return a change as a tree: {@code kind} (the {@link HopChange.Kind} name), {@code ttl} (null for a change
     * naming no hop), {@code text} (its line) and the kind's own fields}
     *
     * @param c the change
     */
    public static Map<String, @Nullable Object> tree(HopChange c) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("kind", c.kind().name());
        m.put("ttl", boxed(c.ttl()));
        m.put("text", c.toString());
        if (c instanceof HopChange.Responders r) {
            m.put("before", list(r.before(), AddressText::of));
            m.put("after", list(r.after(), AddressText::of));
            m.put("asBefore", list(r.asBefore(), a -> a));
            m.put("asAfter", list(r.asAfter(), a -> a));
        } else if (c instanceof HopChange.Identities i) {
            m.put("addresses", list(i.addresses(), AddressText::of));
            m.put("before", list(i.before(), x -> x));
            m.put("after", list(i.after(), x -> x));
        } else if (c instanceof HopChange.RttShift r) {
            m.put("beforeMs", ms(r.before()));
            m.put("afterMs", ms(r.after()));
            m.put("boundMs", ms(r.bound()));
        } else if (c instanceof HopChange.LossShift l) {
            m.put("lostBefore", l.lostBefore());
            m.put("decidedBefore", l.decidedBefore());
            m.put("lossBefore", l.lossBefore());
            m.put("lostAfter", l.lostAfter());
            m.put("decidedAfter", l.decidedAfter());
            m.put("lossAfter", l.lossAfter());
            m.put("pValue", l.pValue());
        } else if (c instanceof HopChange.AsPath a) {
            m.put("before", list(a.before(), x -> x));
            m.put("after", list(a.after(), x -> x));
        } else if (c instanceof HopChange.Destination x) {
            m.put("before", boxed(x.before()));
            m.put("after", boxed(x.after()));
        }
        return m;
    }

    /** A path up to its end: per TTL from its first the addresses that answered (sorted; empty where silent). */
    private static List<@Nullable Object> path(PathDiff.Side p) {
        List<@Nullable Object> hops = new ArrayList<>();
        p.path().forEach((ttl, addresses) -> {
            Map<String, @Nullable Object> m = new LinkedHashMap<>();
            m.put("ttl", ttl);
            m.put("addresses", list(addresses, AddressText::of));
            hops.add(m);
        });
        return hops;
    }

    private static Map<String, @Nullable Object> only(PathDiff.Side p) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("target", p.target());
        m.put("destination", address(p.destination()));
        m.put("destinationTtl", boxed(p.destinationTtl()));
        return m;
    }
}
