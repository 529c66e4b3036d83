package io.pathprobe.agent;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Reads and parses the schedule's file for a reload, off the agent's timer thread: on a daemon thread of its own,
 * "pathprobe-agent-config", when the agent runs its own loop (a loop given in tests reads on itself, the caller's
 * time). It never throws: whatever failed ({@link OutOfMemoryError} included) is the reading's error.
 */
final class ConfigLoad implements AutoCloseable {
    private final Path file;
    private final @Nullable ExecutorService reader;
    private volatile String text;
    private volatile @Nullable String readError;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicLong applied = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();

    /**
     * One reading of the file.
     *
     * @param text the text read (null if it could not be read)
     * @param next the schedule, if the text changed and parsed
     * @param error what failed, if anything
     */
    record Loaded(@Nullable String text, @Nullable AgentConfig next, @Nullable Throwable error) {}

    ConfigLoad(Path file, String text, boolean ownThread) {
        this.file = file;
        this.text = text;
        this.reader = !ownThread ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "pathprobe-agent-config");
            t.setDaemon(true);
            return t;
        });
    }

    /** Reads the file on the reader thread, then hands the reading to {@code offLoop} there; without a
     * reader thread reads here and hands it to {@code inline}. */
    void loadThen(Consumer<Loaded> offLoop, Consumer<Loaded> inline) {
        ExecutorService r = reader;
        if (r == null) {
            inline.accept(load());
            return;
        }
        if (!busy.compareAndSet(false, true)) {
            return; // the previous reading still runs (a file swapped for a FIFO between its checks and its opening)
        }
        try {
            r.execute(() -> {
                try {
                    offLoop.accept(load());
                } finally {
                    busy.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            busy.set(false); // closed meanwhile: nothing to reload
        }
    }

    /** Reads and parses the file on the calling thread; never throws. */
    Loaded load() {
        String t;
        try {
            t = AgentConfig.text(file);
        } catch (AgentConfigException e) {
            // a file that stays unreadable (a FIFO, too large) is refused once, not every interval
            boolean again = e.getMessage().equals(readError);
            readError = e.getMessage();
            return again ? new Loaded(null, null, null) : new Loaded(null, null, e);
        } catch (Throwable e) { // an OutOfMemoryError included: the reload is said, counted and stays armed
            readError = null;
            return new Loaded(null, null, e);
        }
        readError = null;
        if (t.equals(text)) {
            return new Loaded(t, null, null);
        }
        try {
            return new Loaded(t, AgentConfig.parse(t, file.toString()), null);
        } catch (Throwable e) {
            return new Loaded(t, null, e);
        }
    }

    /** {@code t} was applied: counted, and not parsed again until it changes. */
    void applied(String t) {
        text = t;
        applied.incrementAndGet();
    }

    /**
     * A reading was refused (it could not be read, parsed or applied): counted, and its text (if it was read) not
     * parsed nor said again until it changes.
     */
    void refused(@Nullable String t) {
        if (t != null) {
            text = t;
        }
        refused.incrementAndGet();
    }

    /** {@return reloads applied so far} Read from any thread. */
    long applied() {
        return applied.get();
    }

    /** {@return reloads refused so far} Read from any thread. */
    long refused() {
        return refused.get();
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.shutdownNow();
        }
    }
}
