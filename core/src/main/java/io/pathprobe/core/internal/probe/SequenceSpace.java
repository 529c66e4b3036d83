package io.pathprobe.core.internal.probe;

import java.util.Arrays;

/**
 * Sequence numbers of one session: {@code 0..size-1}, with {@code size = min(maxSequence + 1, capacity)}.
 * Hands out unused numbers first, then released ones oldest-released first (so a late answer to a
 * released number is unlikely to meet its next holder), and never a number still outstanding.
 * Remembers the last holder of each number, so an answer read late can still be tied to its probe.
 */
public final class SequenceSpace {
    private final int[] holder;
    private final boolean[] outstanding;
    private final int[] free;
    private int freeHead;
    private int freeCount;
    private int fresh;

    /**
     * @param maxSequence the session's largest sequence number
     * @param capacity the most numbers the measurement can use (e.g. its probe count)
     */
    public SequenceSpace(int maxSequence, int capacity) {
        int size = (int) Math.max(1, Math.min((long) maxSequence + 1, Math.max(1, capacity)));
        this.holder = new int[size];
        Arrays.fill(holder, -1);
        this.outstanding = new boolean[size];
        this.free = new int[size];
    }

    public int size() {
        return holder.length;
    }

    /** A number for probe {@code owner}, or -1 if every number is outstanding. */
    public int acquire(int owner) {
        int seq;
        if (fresh < holder.length) {
            seq = fresh++;
        } else if (freeCount > 0) {
            seq = free[freeHead];
            freeHead = (freeHead + 1) % free.length;
            freeCount--;
        } else {
            return -1;
        }
        holder[seq] = owner;
        outstanding[seq] = true;
        return seq;
    }

    /** The number's probe completed; it may be handed out again. Idempotent. */
    public void release(int seq) {
        if (seq < 0 || seq >= holder.length || !outstanding[seq]) {
            return;
        }
        outstanding[seq] = false;
        free[(freeHead + freeCount) % free.length] = seq;
        freeCount++;
    }

    /** The probe that holds or last held this number, or -1. */
    public int holder(int seq) {
        return seq < 0 || seq >= holder.length ? -1 : holder[seq];
    }

    public boolean outstanding(int seq) {
        return seq >= 0 && seq < holder.length && outstanding[seq];
    }
}
