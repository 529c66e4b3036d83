package io.pathprobe.json;

import io.pathprobe.bufferbloat.BufferbloatResult;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.monitor.MonitorRound;
import io.pathprobe.mtu.MtuResult;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.trace.TraceResult;
import java.io.IOException;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Every one of pathprobe's JSON documents from one class: each method hands over to the writer of its
 * document ({@link TraceJson}, {@link PingJson}, {@link MultipathJson}, {@link BufferbloatJson},
 * {@link MonitorJson}, {@link MtuJson}, {@link ErrorJson}), which writes the same text, and whose {@code tree}
 * methods give the document or its parts as a tree; any such tree as text ({@link #write(Object)},
 * {@link #line(Object)}); the parts the documents share as trees. The conventions the documents follow, and
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
     * {@return any tree of the kind the writers' {@code tree} methods return ({@link TraceJson#tree(TraceResult)}),
     * as indented JSON text}
     *
     * @param tree a tree of the kind the writers' {@code tree} methods return
     */
    public static String write(@Nullable Object tree) {
        return JsonText.write(tree, true);
    }

    /**
     * {@return any tree of the kind the writers' {@code tree} methods return, as compact JSON on one line (no line
     * break inside: one line of an NDJSON stream, e.g. {@code pathprobe mtr --ndjson})}
     *
     * @param tree a tree of the kind the writers' {@code tree} methods return
     */
    public static String line(@Nullable Object tree) {
        return JsonText.write(tree, false);
    }

    // ---- trees -------------------------------------------------------------------------------

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
}
