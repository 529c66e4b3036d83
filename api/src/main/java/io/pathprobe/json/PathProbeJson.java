package io.pathprobe.json;

import io.pathprobe.bufferbloat.BufferbloatLoad;
import io.pathprobe.bufferbloat.BufferbloatResult;
import io.pathprobe.bufferbloat.LatencySample;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.enrich.Responder;
import io.pathprobe.monitor.MonitorEvent;
import io.pathprobe.monitor.MonitorHop;
import io.pathprobe.monitor.MonitorPath;
import io.pathprobe.monitor.MonitorResponder;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.monitor.MonitorRound;
import io.pathprobe.monitor.MonitorStatistics;
import io.pathprobe.mtu.MtuResult;
import io.pathprobe.multipath.Diamond;
import io.pathprobe.multipath.MultipathLink;
import io.pathprobe.multipath.MultipathNode;
import io.pathprobe.multipath.MultipathPath;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.multipath.PathHop;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceResult;
import java.io.IOException;
import java.util.Map;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * Every one of pathprobe's JSON documents from one class: each method hands over to the writer of its
 * document ({@link TraceJson}, {@link PingJson}, {@link MultipathJson}, {@link BufferbloatJson},
 * {@link MonitorJson}, {@link MtuJson}, {@link ErrorJson}), which writes the same text; and any tree
 * as text ({@link #write(Object)}, {@link #line(Object)}). The conventions the documents follow, and
 * the kinds of values in a tree, are the {@linkplain io.pathprobe.json package's}.
 */
public final class PathProbeJson {
    /** The trace document's version, {@link TraceJson#SCHEMA_VERSION} (whose documentation lists each). */
    public static final int TRACE_SCHEMA_VERSION = TraceJson.SCHEMA_VERSION;

    /** The ping document's version, {@link PingJson#SCHEMA_VERSION} (whose documentation lists each). */
    public static final int PING_SCHEMA_VERSION = PingJson.SCHEMA_VERSION;

    /** The multipath document's version, {@link MultipathJson#SCHEMA_VERSION} (whose documentation lists each). */
    public static final int MULTIPATH_SCHEMA_VERSION = MultipathJson.SCHEMA_VERSION;

    /**
     * The bufferbloat document's version, {@link BufferbloatJson#SCHEMA_VERSION} (whose documentation
     * lists each).
     */
    public static final int BUFFERBLOAT_SCHEMA_VERSION = BufferbloatJson.SCHEMA_VERSION;

    /** The monitor document's version, {@link MonitorJson#SCHEMA_VERSION} (whose documentation lists each). */
    public static final int MONITOR_SCHEMA_VERSION = MonitorJson.SCHEMA_VERSION;

    /** The path MTU document's version, {@link MtuJson#SCHEMA_VERSION} (whose documentation lists each). */
    public static final int MTU_SCHEMA_VERSION = MtuJson.SCHEMA_VERSION;
    /** The comparison document's version, {@link CompareJson#SCHEMA_VERSION} (whose documentation lists each). */
    public static final int COMPARE_SCHEMA_VERSION = CompareJson.SCHEMA_VERSION;
    /** The diff document's version, {@link DiffJson#SCHEMA_VERSION} (whose documentation lists each). */
    public static final int DIFF_SCHEMA_VERSION = DiffJson.SCHEMA_VERSION;

    /**
     * The monitor round line's version, {@link MonitorJson#ROUND_SCHEMA_VERSION} (whose documentation
     * lists each).
     */
    public static final int MONITOR_ROUND_SCHEMA_VERSION = MonitorJson.ROUND_SCHEMA_VERSION;

    /** The error document's version, {@link ErrorJson#SCHEMA_VERSION} (whose documentation lists each). */
    public static final int ERROR_SCHEMA_VERSION = ErrorJson.SCHEMA_VERSION;

    private PathProbeJson() {}

    // ---- text --------------------------------------------------------------------------------

    /**
     * {@return the trace document, as {@link TraceJson#write(TraceResult)} writes it}
     *
     * @param result the trace result
     */
    public static String trace(TraceResult result) {
        return TraceJson.write(result);
    }

    /**
     * Writes the trace document to {@code out}, as {@link TraceJson#write(TraceResult, Appendable)} does.
     *
     * @param result the trace result
     * @param out where the document is written
     * @throws IOException if {@code out} fails
     */
    public static void trace(TraceResult result, Appendable out) throws IOException {
        TraceJson.write(result, out);
    }

    /**
     * {@return the ping document, with {@code payloadSize} from the request the result carries, as
     * {@link PingJson#write(PingResult)} writes it}
     *
     * @param result the ping result
     */
    public static String ping(PingResult result) {
        return PingJson.write(result);
    }

    /**
     * {@return the ping document, with {@code payloadSize} from the request that measured it, as
     * {@link PingJson#write(PingResult, PingRequest)} writes it}
     *
     * @param result the ping result
     * @param request the request that measured it
     */
    public static String ping(PingResult result, PingRequest request) {
        return PingJson.write(result, request);
    }

    /**
     * Writes the ping document to {@code out}, with {@code payloadSize} from the request the result
     * carries, as {@link PingJson#write(PingResult, Appendable)} does.
     *
     * @param result the ping result
     * @param out where the document is written
     * @throws IOException if {@code out} fails
     */
    public static void ping(PingResult result, Appendable out) throws IOException {
        PingJson.write(result, out);
    }

    /**
     * Writes the ping document to {@code out}, with {@code payloadSize} from the request, as
     * {@link PingJson#write(PingResult, PingRequest, Appendable)} does.
     *
     * @param result the ping result
     * @param request the request that measured it
     * @param out where the document is written
     * @throws IOException if {@code out} fails
     */
    public static void ping(PingResult result, PingRequest request, Appendable out) throws IOException {
        PingJson.write(result, request, out);
    }

    /**
     * {@return the multipath document, as {@link MultipathJson#write(MultipathResult)} writes it}
     *
     * @param result the multipath result
     */
    public static String multipath(MultipathResult result) {
        return MultipathJson.write(result);
    }

    /**
     * Writes the multipath document to {@code out}, as
     * {@link MultipathJson#write(MultipathResult, Appendable)} does.
     *
     * @param result the multipath result
     * @param out where the document is written
     * @throws IOException if {@code out} fails
     */
    public static void multipath(MultipathResult result, Appendable out) throws IOException {
        MultipathJson.write(result, out);
    }

    /**
     * {@return the bufferbloat document, as {@link BufferbloatJson#write(BufferbloatResult)} writes it}
     *
     * @param result the bufferbloat result
     */
    public static String bufferbloat(BufferbloatResult result) {
        return BufferbloatJson.write(result);
    }

    /**
     * Writes the bufferbloat document to {@code out}, as
     * {@link BufferbloatJson#write(BufferbloatResult, Appendable)} does.
     *
     * @param result the bufferbloat result
     * @param out where the document is written
     * @throws IOException if {@code out} fails
     */
    public static void bufferbloat(BufferbloatResult result, Appendable out) throws IOException {
        BufferbloatJson.write(result, out);
    }

    /**
     * {@return the monitor document ({@code pathprobe mtr --format json}), as
     * {@link MonitorJson#write(MonitorResult)} writes it}
     *
     * @param result the monitor's result (a snapshot or the final one)
     */
    public static String monitor(MonitorResult result) {
        return MonitorJson.write(result);
    }

    /**
     * {@return one round of a monitor as one line of compact JSON ({@code pathprobe mtr --ndjson}), as
     * {@link MonitorJson#line(MonitorRound)} writes it}
     *
     * @param round the round
     */
    public static String monitorRound(MonitorRound round) {
        return MonitorJson.line(round);
    }

    /**
     * {@return the path MTU document ({@code pathprobe mtu --format json}), as
     * {@link MtuJson#write(MtuResult)} writes it}
     *
     * @param result the discovery's result
     */
    public static String mtu(MtuResult result) {
        return MtuJson.write(result);
    }

    /**
     * {@return the comparison document ({@code pathprobe compare --json}), as
     * {@link CompareJson#write(io.pathprobe.compare.CompareResult)} writes it}
     *
     * @param result the comparison's result
     */
    public static String compare(io.pathprobe.compare.CompareResult result) {
        return CompareJson.write(result);
    }

    /**
     * {@return the diff document ({@link DiffJson#write})}
     *
     * @param diff the diff of two measurements
     */
    public static String diff(io.pathprobe.diff.PathDiff diff) {
        return DiffJson.write(diff);
    }

    /**
     * {@return the error document, as {@link ErrorJson#write(String, String)} writes it}
     *
     * @param type the error's type
     * @param message the error's message
     */
    public static String error(String type, String message) {
        return ErrorJson.write(type, message);
    }

    /**
     * {@return any tree of the kind the {@code tree} methods return, as indented JSON text}
     *
     * @param tree a tree of the kind the {@code tree} methods return
     */
    public static String write(@Nullable Object tree) {
        return JsonText.write(tree, true);
    }

    /**
     * {@return any tree of the kind the {@code tree} methods return, as compact JSON on one line (no line
     * break inside: one line of an NDJSON stream, e.g. {@code pathprobe mtr --ndjson})}
     *
     * @param tree a tree of the kind the {@code tree} methods return
     */
    public static String line(@Nullable Object tree) {
        return JsonText.write(tree, false);
    }

    // ---- trees -------------------------------------------------------------------------------

    /**
     * {@return the trace document as a tree, {@link TraceJson#tree(TraceResult)}}
     *
     * @param r the trace result
     */
    public static Map<String, @Nullable Object> tree(TraceResult r) {
        return TraceJson.tree(r);
    }

    /**
     * {@return a trace hop as a tree, {@link TraceJson#tree(Hop)}}
     *
     * @param h the hop
     */
    public static Map<String, @Nullable Object> tree(Hop h) {
        return TraceJson.tree(h);
    }

    /**
     * {@return a hop's responder as a tree, {@link TraceJson#tree(Responder)}}
     *
     * @param x the responder
     */
    public static Map<String, @Nullable Object> tree(Responder x) {
        return TraceJson.tree(x);
    }

    /**
     * {@return a trace probe as a tree, {@link TraceJson#tree(ProbeResult)}}
     *
     * @param p the probe
     */
    public static Map<String, @Nullable Object> tree(ProbeResult p) {
        return TraceJson.tree(p);
    }

    /**
     * {@return what enrichment learned about the ends of a path as a tree (the trace and multipath
     * documents' {@code context}): each status FOUND, NOT_FOUND, FAILED, PENDING or OFF, with the failure
     * when FAILED}
     *
     * @param c what enrichment learned about the ends of the path
     */
    public static Map<String, @Nullable Object> tree(PathContext c) {
        return JsonTrees.tree(c);
    }

    /**
     * {@return an AS as a tree: {@code {number, prefix, name}}, prefix and name null when unknown}
     *
     * @param a the AS
     */
    public static Map<String, @Nullable Object> tree(AsnInfo a) {
        return JsonTrees.tree(a);
    }

    /**
     * {@return the ping document as a tree, {@link PingJson#tree(PingResult)}}
     *
     * @param r the ping result
     */
    public static Map<String, @Nullable Object> tree(PingResult r) {
        return PingJson.tree(r);
    }

    /**
     * {@return the ping document as a tree with the payload size the request gave,
     * {@link PingJson#tree(PingResult, OptionalInt)}}
     *
     * @param r the ping result
     * @param payloadSize the payload size the request gave, empty if it gave none
     */
    public static Map<String, @Nullable Object> tree(PingResult r, OptionalInt payloadSize) {
        return PingJson.tree(r, payloadSize);
    }

    /**
     * {@return a ping target as a tree, {@link PingJson#tree(PingTargetResult)}}
     *
     * @param t the target's result
     */
    public static Map<String, @Nullable Object> tree(PingTargetResult t) {
        return PingJson.tree(t);
    }

    /**
     * {@return the multipath document as a tree, {@link MultipathJson#tree(MultipathResult)}}
     *
     * @param r the multipath result
     */
    public static Map<String, @Nullable Object> tree(MultipathResult r) {
        return MultipathJson.tree(r);
    }

    /**
     * {@return a multipath node as a tree, {@link MultipathJson#tree(MultipathNode)}}
     *
     * @param n the node
     */
    public static Map<String, @Nullable Object> tree(MultipathNode n) {
        return MultipathJson.tree(n);
    }

    /**
     * {@return a multipath link as a tree, {@link MultipathJson#tree(MultipathLink)}}
     *
     * @param l the link
     */
    public static Map<String, @Nullable Object> tree(MultipathLink l) {
        return MultipathJson.tree(l);
    }

    /**
     * {@return a diamond as a tree, {@link MultipathJson#tree(Diamond)}}
     *
     * @param d the diamond
     */
    public static Map<String, @Nullable Object> tree(Diamond d) {
        return MultipathJson.tree(d);
    }

    /**
     * {@return a path as a tree, {@link MultipathJson#tree(MultipathPath)}}
     *
     * @param p the path
     */
    public static Map<String, @Nullable Object> tree(MultipathPath p) {
        return MultipathJson.tree(p);
    }

    /**
     * {@return a hop of a path as a tree, {@link MultipathJson#tree(PathHop)}}
     *
     * @param h the hop
     */
    public static Map<String, @Nullable Object> tree(PathHop h) {
        return MultipathJson.tree(h);
    }

    /**
     * {@return RTT statistics as a tree, {@link MultipathJson#tree(RttStatistics)}}
     *
     * @param s the RTT statistics
     */
    public static Map<String, @Nullable Object> tree(RttStatistics s) {
        return MultipathJson.tree(s);
    }

    /**
     * {@return the monitor document as a tree, {@link MonitorJson#tree(MonitorResult)}}
     *
     * @param r the monitor's result
     */
    public static Map<String, @Nullable Object> tree(MonitorResult r) {
        return MonitorJson.tree(r);
    }

    /**
     * {@return a monitor's round as a tree, {@link MonitorJson#tree(MonitorRound)}}
     *
     * @param r the round
     */
    public static Map<String, @Nullable Object> tree(MonitorRound r) {
        return MonitorJson.tree(r);
    }

    /**
     * {@return a monitor's event as a tree, {@link MonitorJson#tree(MonitorEvent)}}
     *
     * @param e the event
     */
    public static Map<String, @Nullable Object> tree(MonitorEvent e) {
        return MonitorJson.tree(e);
    }

    /**
     * {@return a monitored hop as a tree, {@link MonitorJson#tree(MonitorHop)}}
     *
     * @param h the hop
     */
    public static Map<String, @Nullable Object> tree(MonitorHop h) {
        return MonitorJson.tree(h);
    }

    /**
     * {@return a responder seen at a monitored hop as a tree, {@link MonitorJson#tree(MonitorResponder)}}
     *
     * @param r the responder
     */
    public static Map<String, @Nullable Object> tree(MonitorResponder r) {
        return MonitorJson.tree(r);
    }

    /**
     * {@return a monitor's statistics as a tree, {@link MonitorJson#tree(MonitorStatistics)}}
     *
     * @param s the statistics
     */
    public static Map<String, @Nullable Object> tree(MonitorStatistics s) {
        return MonitorJson.tree(s);
    }

    /**
     * {@return a monitor's path as a tree, {@link MonitorJson#tree(MonitorPath)}}
     *
     * @param p the path
     */
    public static Map<String, @Nullable Object> tree(MonitorPath p) {
        return MonitorJson.tree(p);
    }

    /**
     * {@return the path MTU document as a tree, {@link MtuJson#tree(MtuResult)}}
     *
     * @param r the discovery's result
     */
    public static Map<String, @Nullable Object> tree(MtuResult r) {
        return MtuJson.tree(r);
    }

    /**
     * {@return the bufferbloat document as a tree, {@link BufferbloatJson#tree(BufferbloatResult)}}
     *
     * @param r the bufferbloat result
     */
    public static Map<String, @Nullable Object> tree(BufferbloatResult r) {
        return BufferbloatJson.tree(r);
    }

    /**
     * {@return a latency sample as a tree, {@link BufferbloatJson#tree(LatencySample)}}
     *
     * @param s the sample
     */
    public static Map<String, @Nullable Object> tree(LatencySample s) {
        return BufferbloatJson.tree(s);
    }

    /**
     * {@return the load one direction was measured under as a tree, {@link BufferbloatJson#tree(BufferbloatLoad)}}
     *
     * @param l the load
     */
    public static Map<String, @Nullable Object> tree(BufferbloatLoad l) {
        return BufferbloatJson.tree(l);
    }
}
