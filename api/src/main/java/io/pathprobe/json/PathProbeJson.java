package io.pathprobe.json;

import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.PathContext;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What pathprobe's JSON documents share, from one class: any tree of the kind the writers' {@code tree} methods
 * return as text ({@link #write(Object)}, {@link #line(Object)}), and the parts the documents share as trees. Each
 * document has its own writer beside its feature ({@link TraceJson}, {@link PingJson}, {@link MultipathJson},
 * {@link BufferbloatJson}, {@link MonitorJson}, {@link MtuJson}, {@link CompareJson}, {@link DiffJson},
 * {@link ErrorJson}), with its {@code write}, {@code tree} and {@code SCHEMA_VERSION}. The conventions the documents
 * follow, and the kinds of values in a tree, are the {@linkplain io.pathprobe.json package's}.
 */
public final class PathProbeJson {
    private PathProbeJson() {}

    /**
     * {@return any tree of the kind the writers' {@code tree} methods return
     * ({@link TraceJson#tree(io.pathprobe.trace.TraceResult)}), as indented JSON text}
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
