package io.pathprobe.bufferbloat.internal.strategy;

/**
 * When each of the last {@link #SIZE} HTTP probes was sent, by id: what a probe's answer is timed from. An id
 * older than the ring (its slot reused) is no longer known. Bounded whatever the test's length; not
 * thread-safe (the strategy's thread).
 */
final class ProbeRing {
    /** Probes remembered (a power of two). */
    static final int SIZE = 4096;

    private final long[] ids = new long[SIZE];
    private final long[] sentAt = new long[SIZE];

    ProbeRing() {
        java.util.Arrays.fill(ids, -1);
    }

    /** Probe {@code id} was sent at {@code at}. */
    void sent(int id, long at) {
        ids[id & (SIZE - 1)] = id;
        sentAt[id & (SIZE - 1)] = at;
    }

    /** When probe {@code id} was sent; -1 when it is not known (never sent, or its slot reused). */
    long sentAt(int id) {
        int i = id & (SIZE - 1);
        return ids[i] == id ? sentAt[i] : -1;
    }
}
