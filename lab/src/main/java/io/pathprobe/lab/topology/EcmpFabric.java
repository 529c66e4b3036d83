package io.pathprobe.lab.topology;

import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.LabBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The load-balanced part of a lab ({@link LabBuilder#fabric(int, EcmpFabric, EcmpHash)}): layers of
 * parallel routers between a branching router and a merging router, one layer per TTL, and which
 * router of a layer forwards to which of the next. The branching router (a chain router, one TTL
 * before the first layer) forwards to every router of the first layer; every router of the last
 * layer forwards to the merging router (a chain router, one TTL after the last layer). A router with
 * several successors spreads packets over them by the lab's {@link EcmpHash}; one with a single
 * successor just forwards. Every router routes back toward the host through its first predecessor,
 * so it answers from its address on that link.
 *
 * <pre>
 * diamond(4):        b → {1, 2, 3, 4} → m
 * nested(2, 3):      b → {1, 2} → c → {1, 2, 3} → m          (a diamond after a diamond)
 * asymmetric():      b → {a, b'}; a → {a1, a2}; b' → {b1} → m (widths 2 then 3, unequal fan-out)
 * meshed(2):         b → {a, b'} → each of them to both {c, d} → m (c and d have two predecessors)
 * </pre>
 *
 * <p>Immutable. At most {@value #MAX_LAYERS} layers, {@value #MAX_WIDTH} routers per layer and
 * {@value #MAX_EDGES} links between two successive TTLs.
 */
public final class EcmpFabric {
    /** Most layers (TTLs of parallel routers). */
    public static final int MAX_LAYERS = 8;
    /** Most routers at one TTL. */
    public static final int MAX_WIDTH = 16;
    /** Most links between two successive TTLs (each is a /30 of a /24 of its own). */
    public static final int MAX_EDGES = 64;

    /**
     * successors.get(i).get(j): the indexes in layer i+1 that router j of layer i forwards to; the last layer's lists
     * are empty.
     */
    private final List<List<List<Integer>>> successors;
    private final List<Integer> widths;
    private final String description;

    private EcmpFabric(List<List<List<Integer>>> successors, String description) {
        this.successors = successors;
        this.description = description;
        List<Integer> w = new ArrayList<>();
        for (List<List<Integer>> layer : successors) {
            w.add(layer.size());
        }
        this.widths = List.copyOf(w);
    }

    /** One layer of {@code width} (2..16) routers: the classic ECMP diamond. */
    public static EcmpFabric diamond(int width) {
        checkWidth(width);
        return of(List.of(Collections.nCopies(width, List.of())), "diamond(" + width + ")");
    }

    /**
     * A diamond after a diamond: {@code first} parallel routers, one router where they all meet (and
     * which branches again), then {@code second} parallel routers: three layers, widths
     * {@code first, 1, second}.
     */
    public static EcmpFabric nested(int first, int second) {
        checkWidth(first);
        checkWidth(second);
        List<Integer> toMiddle = List.of(0);
        return of(List.of(Collections.nCopies(first, toMiddle), List.of(range(second)),
                Collections.nCopies(second, List.of())), "nested(" + first + ", " + second + ")");
    }

    /**
     * Unequal widths and fan-outs: the branching router → {a, b}; a → {a1, a2}; b → {b1}; all three
     * → the merging router. Two layers, widths 2 and 3; a flow through b reaches b1 for sure, one
     * through a picks a1 or a2: the nodes of the second layer are not equally likely (b1 gets half of
     * the flows).
     */
    public static EcmpFabric asymmetric() {
        return of(List.of(List.of(List.of(0, 1), List.of(2)), List.of(List.of(), List.of(), List.of())), "asymmetric");
    }

    /**
     * A meshed diamond: two layers of {@code width} routers each, every router of the first forwarding
     * to every router of the second (a full mesh: each second-layer router has {@code width}
     * predecessors).
     */
    public static EcmpFabric meshed(int width) {
        checkWidth(width);
        return of(List.of(Collections.nCopies(width, range(width)), Collections.nCopies(width, List.of())),
                "meshed(" + width + ")");
    }

    /**
     * Any layered shape: {@code successors.get(i).get(j)} lists the routers of layer {@code i+1} that
     * router {@code j} of layer {@code i} forwards to (the last layer's lists must be empty: they all
     * forward to the merging router). Every router of a layer after the first needs a predecessor.
     *
     * @throws IllegalArgumentException if the shape is empty, too large, or has an unreachable router
     */
    public static EcmpFabric of(List<List<List<Integer>>> successors) {
        return of(successors, "fabric" + successors);
    }

    private static EcmpFabric of(List<List<List<Integer>>> successors, String description) {
        Objects.requireNonNull(successors, "successors");
        if (successors.isEmpty() || successors.size() > MAX_LAYERS) {
            throw new IllegalArgumentException("a fabric has 1.." + MAX_LAYERS + " layers, was " + successors.size());
        }
        List<List<List<Integer>>> copy = new ArrayList<>();
        for (int i = 0; i < successors.size(); i++) {
            List<List<Integer>> layer = successors.get(i);
            if (layer.isEmpty() || layer.size() > MAX_WIDTH) {
                throw new IllegalArgumentException("layer " + i + " must have 1.." + MAX_WIDTH
                        + " routers, had " + layer.size());
            }
            boolean last = i == successors.size() - 1;
            int next = last ? 0 : successors.get(i + 1).size();
            boolean[] reached = new boolean[next];
            int edges = 0;
            List<List<Integer>> layerCopy = new ArrayList<>();
            for (int j = 0; j < layer.size(); j++) {
                List<Integer> succ = List.copyOf(layer.get(j));
                if (last != succ.isEmpty()) {
                    throw new IllegalArgumentException(last
                            ? "routers of the last layer forward to the merging router only"
                            : "router " + j + " of layer " + i + " forwards nowhere");
                }
                if (succ.stream().distinct().count() != succ.size()) {
                    throw new IllegalArgumentException("router " + j + " of layer " + i + " lists a successor twice");
                }
                for (int s : succ) {
                    if (s < 0 || s >= next) {
                        throw new IllegalArgumentException("router " + j + " of layer " + i + ": no router " + s
                                + " in layer " + (i + 1));
                    }
                    reached[s] = true;
                }
                edges += succ.size();
                layerCopy.add(succ);
            }
            for (int s = 0; s < next; s++) {
                if (!reached[s]) {
                    throw new IllegalArgumentException("router " + s + " of layer " + (i + 1) + " has no predecessor");
                }
            }
            if (edges > MAX_EDGES || layer.size() > MAX_EDGES) {
                throw new IllegalArgumentException("more than " + MAX_EDGES + " links after layer " + i);
            }
            copy.add(List.copyOf(layerCopy));
        }
        return new EcmpFabric(List.copyOf(copy), description);
    }

    /** The number of layers: the TTLs of parallel routers. */
    public int layers() {
        return widths.size();
    }

    /** The number of routers at each layer, nearest first. */
    public List<Integer> widths() {
        return widths;
    }

    /** The largest layer. */
    public int maxWidth() {
        return widths.stream().mapToInt(Integer::intValue).max().orElseThrow();
    }

    /**
     * The routers of layer {@code layer + 1} that router {@code router} of {@code layer} forwards to (empty for the
     * last layer).
     */
    public List<Integer> successors(int layer, int router) {
        return successors.get(layer).get(router);
    }

    /**
     * The routers of layer {@code layer - 1} that forward to router {@code router} of {@code layer} ({@code layer >=
     * 1}), ascending.
     */
    public List<Integer> predecessors(int layer, int router) {
        List<Integer> out = new ArrayList<>();
        List<List<Integer>> prev = successors.get(layer - 1);
        for (int j = 0; j < prev.size(); j++) {
            if (prev.get(j).contains(router)) {
                out.add(j);
            }
        }
        return out;
    }

    /**
     * Whether some router of a layer after the first, in a layer of two or more routers, has two or
     * more predecessors: cross links between branches. (A single router where branches meet is the
     * end of one diamond, and the start of a nested one: not a mesh.)
     */
    public boolean meshed() {
        for (int i = 1; i < widths.size(); i++) {
            for (int r = 0; r < widths.get(i) && widths.get(i) > 1; r++) {
                if (predecessors(i, r).size() > 1) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<Integer> range(int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(i);
        }
        return List.copyOf(out);
    }

    private static void checkWidth(int width) {
        if (width < 2 || width > MAX_WIDTH) {
            throw new IllegalArgumentException("width must be 2.." + MAX_WIDTH + ", was " + width);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EcmpFabric f && f.successors.equals(successors);
    }

    @Override
    public int hashCode() {
        return successors.hashCode();
    }

    @Override
    public String toString() {
        return description;
    }
}
