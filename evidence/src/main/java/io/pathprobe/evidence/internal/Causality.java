package io.pathprobe.evidence.internal;

import io.pathprobe.core.internal.record.spi.Launcher;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Names every piece of work by its cause, the same way in a recording and in its replay: work submitted from
 * the application's threads (outside every named piece) is {@code X<n>}, the n-th such, except what a measurement's
 * launch submits, named as the children of {@code M<n>}, n the measurement's number ({@link Launcher}); work
 * submitted from a named piece is a hash of that piece's name and how many it had submitted before
 * ({@code H<hex>}), so a name has a fixed length however long the chain of causes. Each piece also knows its
 * <em>root</em>: the event from outside the engine it descends from (an answer {@code R<n>}, a lookup's end
 * {@code K...}, a transport's hand-over {@code P<n>}), or none for the loop's own work; a replay fires that event
 * when it needs the piece.
 */
final class Causality {
    /** A piece of work running: its name, its root, how many it has submitted, and (loop work) its clock readings. */
    static final class Context {
        final String name;
        final boolean loop;
        final @Nullable String root;
        final List<Long> reads = new ArrayList<>(4);
        int children;
        /** How many of its submissions went to a pool (a measurement's launch: whether it set up on one). */
        int pooled;

        Context(String name, boolean loop, @Nullable String root) {
            this.name = name;
            this.loop = loop;
            this.root = root;
        }
    }

    private final ThreadLocal<@Nullable Context> current = new ThreadLocal<>();
    private long outside;

    /** {@return the name of the next piece of work submitted from here} */
    String next() {
        Context c = current.get();
        if (c == null) {
            synchronized (this) {
                return "X" + outside++;
            }
        }
        return child(c.name, c.children++);
    }

    /** The name of measurement {@code id}'s launch ({@link Launcher}): its work is named as its children. */
    static String measurement(long id) {
        return "M" + id;
    }

    /** A child's name: 64-bit FNV-1a of the parent's name and the child's number. */
    static String child(String parent, int n) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < parent.length(); i++) {
            h = (h ^ parent.charAt(i)) * 0x100000001b3L;
        }
        for (int i = 0; i < 4; i++) {
            h = (h ^ ((n >>> (8 * i)) & 0xff)) * 0x100000001b3L;
        }
        return "H" + Long.toHexString(h);
    }

    /** {@return the work running here, or null outside every named piece} */
    @Nullable Context current() {
        return current.get();
    }

    /** {@return the root of the work running here (see the class), or null} */
    @Nullable String root() {
        Context c = current.get();
        return c == null ? null : c.root;
    }

    /** {@return whether the loop's own work is running here} */
    boolean inLoopWork() {
        Context c = current.get();
        return c != null && c.loop;
    }

    /** Runs {@code work} as the piece {@code name} with this root; returns the context it ran in. */
    Context run(String name, boolean loop, @Nullable String root, Runnable work) {
        Context before = current.get();
        Context c = new Context(name, loop, root);
        current.set(c);
        try {
            work.run();
        } finally {
            current.set(before);
        }
        return c;
    }

    /** Runs {@code work} in the context {@code c}. */
    void runIn(Context c, Runnable work) {
        Context before = current.get();
        current.set(c);
        try {
            work.run();
        } finally {
            current.set(before);
        }
    }

    /** Runs {@code work} outside every named piece, as the application's own threads run (a listener's event). */
    void outside(Runnable work) {
        Context before = current.get();
        current.remove();
        try {
            work.run();
        } finally {
            current.set(before);
        }
    }

    /** Runs {@code work} as the piece {@code name}, its own root (an event from outside the engine). */
    void event(String name, Runnable work) {
        runIn(new Context(name, false, name), work);
    }

    /** Calls {@code work} as the piece {@code name}, its own root. */
    <T> T call(String name, Supplier<T> work) {
        Context before = current.get();
        current.set(new Context(name, false, name));
        try {
            return work.get();
        } finally {
            current.set(before);
        }
    }
}
