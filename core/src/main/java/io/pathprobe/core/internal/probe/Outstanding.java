package io.pathprobe.core.internal.probe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The pending probes of a {@link ProbeLedger} by index, in index order: a slot per index (a table's indices, or
 * send order), so a send and an answer allocate nothing, as a sorted map's entry per send did. Confined to the
 * engine loop.
 */
final class Outstanding {
    private @Nullable ProbeState[] slots = new ProbeState[64];
    private int size;
    /** No probe below this index is outstanding. */
    private int first;
    /** No probe at or above this index is outstanding. */
    private int end;

    void put(ProbeState p) {
        int i = p.index();
        if (i >= slots.length) {
            slots = Arrays.copyOf(slots, Math.max(i + 1, slots.length * 2));
        }
        if (slots[i] == null) {
            size++;
        }
        slots[i] = p;
        if (size == 1) {
            first = i;
            end = i + 1;
        } else {
            first = Math.min(first, i);
            end = Math.max(end, i + 1);
        }
    }

    void remove(ProbeState p) {
        int i = p.index();
        if (i >= slots.length || slots[i] == null) {
            return;
        }
        slots[i] = null;
        size--;
        if (size == 0) {
            first = 0;
            end = 0;
            return;
        }
        while (slots[first] == null) {
            first++;
        }
        while (slots[end - 1] == null) {
            end--;
        }
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The lowest index that may be outstanding. */
    int first() {
        return first;
    }

    /** One past the highest index that may be outstanding. */
    int end() {
        return end;
    }

    /** The probe outstanding at {@code i}, or null. */
    @Nullable ProbeState at(int i) {
        return slots[i];
    }

    /** The probes outstanding now, in index order (a copy: the caller may finish them as it goes). */
    List<ProbeState> inOrder() {
        List<ProbeState> out = new ArrayList<>(size);
        for (int i = first; i < end; i++) {
            ProbeState p = slots[i];
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }
}
