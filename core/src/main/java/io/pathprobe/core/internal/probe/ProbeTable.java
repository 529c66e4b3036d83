package io.pathprobe.core.internal.probe;

import java.util.List;

/** The probes of a measurement by (TTL, attempt): TTLs {@code firstTtl..lastTtl}, {@code perHop} attempts each. */
public final class ProbeTable {
    private final int firstTtl;
    private final int lastTtl;
    private final int perHop;
    private final ProbeState[] probes;
    /** {@link #hop}'s views, by TTL, made when first asked. */
    private final List<ProbeState>[] hops;

    public ProbeTable(int firstTtl, int lastTtl, int perHop) {
        if (firstTtl < 1 || lastTtl < firstTtl || perHop < 1) {
            throw new IllegalArgumentException("ttl " + firstTtl + ".." + lastTtl + ", " + perHop + " per hop");
        }
        this.firstTtl = firstTtl;
        this.lastTtl = lastTtl;
        this.perHop = perHop;
        this.probes = new ProbeState[(lastTtl - firstTtl + 1) * perHop];
        @SuppressWarnings("unchecked")
        List<ProbeState>[] views = new List[lastTtl - firstTtl + 1];
        this.hops = views;
        for (int i = 0; i < probes.length; i++) {
            probes[i] = new ProbeState(firstTtl + i / perHop, i % perHop, i);
        }
    }

    public int firstTtl() {
        return firstTtl;
    }

    public int lastTtl() {
        return lastTtl;
    }

    public int perHop() {
        return perHop;
    }

    public int size() {
        return probes.length;
    }

    public ProbeState probe(int ttl, int attempt) {
        return probes[(ttl - firstTtl) * perHop + attempt];
    }

    public ProbeState at(int index) {
        return probes[index];
    }

    /** The probes of one TTL, by attempt (a view, made once per TTL: asked of every earlier hop per result). */
    public List<ProbeState> hop(int ttl) {
        int i = ttl - firstTtl;
        List<ProbeState> h = hops[i];
        if (h == null) {
            h = new Hop(i * perHop);
            hops[i] = h;
        }
        return h;
    }

    /** Index just past the last probe with TTL at most {@code ttl}. */
    public int endOf(int ttl) {
        return (Math.min(ttl, lastTtl) - firstTtl + 1) * perHop;
    }

    /**
     * One TTL's probes: a fixed-size view whose iterator is one small object (a sub-list of {@code Arrays.asList}
     * makes two per loop, and the strategies loop over hops for every decision).
     */
    private final class Hop extends java.util.AbstractList<ProbeState> implements java.util.RandomAccess {
        private final int base;

        Hop(int base) {
            this.base = base;
        }

        @Override
        public ProbeState get(int index) {
            return probes[base + java.util.Objects.checkIndex(index, perHop)];
        }

        @Override
        public int size() {
            return perHop;
        }

        @Override
        public java.util.Iterator<ProbeState> iterator() {
            return new java.util.Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < perHop;
                }

                @Override
                public ProbeState next() {
                    if (next >= perHop) {
                        throw new java.util.NoSuchElementException();
                    }
                    return probes[base + next++];
                }
            };
        }
    }
}
