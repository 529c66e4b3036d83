package io.pathprobe.evidence.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a recording's per-probe lines are (their byte offsets in the file), in primitive arrays: a replay of a
 * recording of any size holds about 8 bytes per such line ({@link ReplayLog}) and reads each line back when asked.
 */
final class LineIndex {
    private LineIndex() {
    }

    static long[] grown(long[] a, int size) {
        return size < a.length ? a : Arrays.copyOf(a, Math.max(16, a.length + (a.length >> 1)));
    }

    /** Offsets in the order they were added, taken first to last (a queue). */
    static final class Queue {
        private long[] at = new long[16];
        private int size;
        private int head;

        void add(long offset) {
            at = grown(at, size);
            at[size++] = offset;
        }

        /** {@return the first offset not taken yet, or -1} */
        long peek() {
            return head < size ? at[head] : -1;
        }

        void poll() {
            if (head < size) {
                head++;
            }
        }
    }

    /** Offsets by a number ({@code n} of an answer or a hand-over), the last one added for it. */
    static final class ByNumber {
        private long[] at = new long[0];
        private final Map<Integer, Long> sparse = new HashMap<>();

        /** {@code n} as the line at {@code offset} numbers it; {@code lines} so far bound the dense part. */
        void put(int n, long offset, long lines) {
            if (n >= 0 && n <= 2 * lines + 1024) {
                if (n >= at.length) {
                    int from = at.length;
                    at = Arrays.copyOf(at, Math.max(n + 1, at.length + (at.length >> 1)));
                    Arrays.fill(at, from, at.length, -1);
                }
                at[n] = offset;
                sparse.remove(n);
            } else {
                sparse.put(n, offset);
            }
        }

        /** {@return the offset of the line numbered {@code n}, or -1} */
        long get(int n) {
            if (n >= 0 && n < at.length && at[n] >= 0) {
                return at[n];
            }
            return sparse.getOrDefault(n, -1L);
        }
    }

    /**
     * Each piece of loop work's first place in the record, by its key: a key as the recorder names pieces ({@code H}
     * and the hex digits of a 64-bit hash) is held as that number, in sorted arrays (12 bytes a piece, added only
     * when first asked: {@link ReplayLog#firstAct}); any other key in a map.
     */
    static final class FirstPlaces {
        private long[] keys = new long[16];
        private int[] places = new int[16];
        private int size;
        private boolean sorted = true;
        private final Map<String, Integer> others = new HashMap<>();

        /** Piece {@code place} is named {@code key}; a hashed key only when {@code hashed} (else it is skipped). */
        void add(String key, int place, boolean hashed) {
            long h = hash(key);
            if (h == NOT_A_HASH) {
                if (!hashed) {
                    others.putIfAbsent(key, place);
                }
                return;
            }
            if (!hashed) {
                return;
            }
            if (size == keys.length) {
                keys = grown(keys, size);
                places = Arrays.copyOf(places, keys.length);
            }
            sorted = false;
            keys[size] = h;
            places[size++] = place;
        }

        /** {@return the first place of {@code key}, or -1 if no piece has it} */
        int first(String key) {
            long h = hash(key);
            if (h == NOT_A_HASH) {
                return others.getOrDefault(key, -1);
            }
            if (!sorted) {
                sort(0, size - 1);
                sorted = true;
            }
            int lo = 0;
            int hi = size;
            while (lo < hi) { // the first entry not less than (h, any place): the least place of h
                int mid = (lo + hi) >>> 1;
                if (Long.compareUnsigned(keys[mid], h) < 0) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo < size && keys[lo] == h ? places[lo] : -1;
        }

        private static final long NOT_A_HASH = 0;

        /** {@return whether {@code key} is held as a number (a hashed key)} */
        static boolean hashed(String key) {
            return hash(key) != NOT_A_HASH;
        }

        /** {@code H} and 1 to 16 lower-case hex digits, no leading zero, as the number; else {@link #NOT_A_HASH}. */
        private static long hash(String key) {
            int n = key.length();
            if (n < 2 || n > 17 || key.charAt(0) != 'H' || n > 2 && key.charAt(1) == '0') {
                return NOT_A_HASH;
            }
            long v = 0;
            for (int i = 1; i < n; i++) {
                int d = Character.digit(key.charAt(i), 16);
                if (d < 0 || Character.isUpperCase(key.charAt(i))) {
                    return NOT_A_HASH;
                }
                v = v << 4 | d;
            }
            return v == NOT_A_HASH ? NOT_A_HASH : v;
        }

        private boolean less(int a, int b) {
            int c = Long.compareUnsigned(keys[a], keys[b]);
            return c < 0 || c == 0 && places[a] < places[b];
        }

        private void swap(int a, int b) {
            long k = keys[a];
            keys[a] = keys[b];
            keys[b] = k;
            int p = places[a];
            places[a] = places[b];
            places[b] = p;
        }

        /** Sorts entries {@code lo..hi} by key, then place (every entry differs in place). */
        private void sort(int lo, int hi) {
            while (hi - lo > 16) {
                int mid = (lo + hi) >>> 1;
                swap(mid, hi); // the middle one as the pivot, at hi
                int store = lo;
                for (int i = lo; i < hi; i++) {
                    if (less(i, hi)) {
                        swap(i, store++);
                    }
                }
                swap(store, hi);
                if (store - lo < hi - store) {
                    sort(lo, store - 1);
                    lo = store + 1;
                } else {
                    sort(store + 1, hi);
                    hi = store - 1;
                }
            }
            for (int i = lo + 1; i <= hi; i++) {
                for (int j = i; j > lo && less(j, j - 1); j--) {
                    swap(j, j - 1);
                }
            }
        }
    }
}
