package io.pathprobe.agent.sink;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * A sink behind a bounded buffer and its own writer thread: {@link #offer} never blocks the agent. A record
 * that does not fit is dropped and counted; a failed write is retried after a back-off (doubling from 100 ms to
 * {@link #MAX_BACKOFF}), the records behind it waiting in order. Dropping is logged at most once a minute, with
 * the count.
 */
public final class BufferedSink implements AutoCloseable {
    /** The longest wait between two attempts on a sink that is down. */
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final System.Logger LOG = System.getLogger(BufferedSink.class.getName());
    private static final long LOG_EVERY_NANOS = 60_000_000_000L;

    private final SinkSettings settings;
    private final ResultSink sink;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private final Thread writer;
    private long written;
    private long dropped;
    private long failures;
    private boolean up = true;
    private boolean closing;
    private long lastDropLog;
    private long droppedSinceLog;

    /**
     * Starts the writer thread.
     *
     * @param settings the sink's settings (its name and buffer size)
     * @param sink the sink, owned from now on (closed by {@link #close()})
     */
    public BufferedSink(SinkSettings settings, ResultSink sink) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.writer = new Thread(this::run, "pathprobe-agent-sink-" + settings.name());
        writer.setDaemon(true);
        writer.start();
    }

    /** {@return the sink's name} */
    public String name() {
        return settings.name();
    }

    /** {@return the sink's settings} */
    public SinkSettings settings() {
        return settings;
    }

    /**
     * Queues the lines of one record; those that do not fit are dropped and counted.
     *
     * @param lines the record's lines in the sink's format
     */
    public synchronized void offer(Iterable<String> lines) {
        for (String line : lines) {
            if (closing || queue.size() >= settings.bufferRecords()) {
                dropped++;
                droppedSinceLog++;
                long now = System.nanoTime();
                if (lastDropLog == 0 || now - lastDropLog >= LOG_EVERY_NANOS) {
                    LOG.log(Level.WARNING, "sink " + name() + (up ? " is behind" : " is down") + ": dropped "
                            + droppedSinceLog + " record(s) (" + dropped + " in all; its buffer holds "
                            + settings.bufferRecords() + ")");
                    lastDropLog = now;
                    droppedSinceLog = 0;
                }
                continue;
            }
            queue.addLast(line);
        }
        notifyAll();
    }

    /** {@return what it did so far} */
    public synchronized SinkStatistics statistics() {
        return new SinkStatistics(name(), written, dropped, failures, sink.fragments(), queue.size(), up);
    }

    private void run() {
        long backoff = 100;
        while (true) {
            String next;
            synchronized (this) {
                while (queue.isEmpty() && !closing) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (queue.isEmpty()) {
                    return; // closing, all written
                }
                next = queue.peekFirst();
            }
            try {
                sink.write(next);
                boolean drained;
                synchronized (this) {
                    queue.pollFirst();
                    written++;
                    if (!up) {
                        LOG.log(Level.INFO, "sink " + name() + " is up again");
                    }
                    up = true;
                    drained = queue.isEmpty();
                }
                backoff = 100;
                if (drained) {
                    sink.flush();
                }
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    failures++;
                    if (up) {
                        LOG.log(Level.WARNING, "sink " + name() + " is down: " + e.getMessage()
                                + " (records wait in its buffer, then are dropped and counted)");
                    }
                    up = false;
                    if (closing) {
                        dropped += queue.size();
                        queue.clear();
                        return;
                    }
                    try {
                        wait(backoff);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
            }
        }
    }

    /**
     * Writes what is queued (for at most {@code grace}; what is left is dropped and counted), then closes the sink.
     *
     * @param grace the longest the queued records are given
     */
    public void close(Duration grace) {
        synchronized (this) {
            closing = true;
            notifyAll();
        }
        try {
            writer.join(Math.max(1, grace.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.interrupt();
        try {
            writer.join(1000); // out of a write that an interrupt ends
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            dropped += queue.size();
            queue.clear();
        }
        try {
            sink.flush();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "sink " + name() + ": flush at close failed: " + e);
        }
        try {
            sink.close();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "sink " + name() + ": close failed: " + e);
        }
    }

    /** {@link #close(Duration)} with 5 s. */
    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    @Override
    public String toString() {
        return statistics().toString();
    }
}
