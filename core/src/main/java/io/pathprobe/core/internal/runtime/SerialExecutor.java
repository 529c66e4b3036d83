package io.pathprobe.core.internal.runtime;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * A serial view of an executor: tasks run one at a time, in submission order, each on some thread of
 * the underlying executor. Used for the listener events of one measurement.
 */
public final class SerialExecutor implements Executor {
    private static final System.Logger LOG = System.getLogger(SerialExecutor.class.getName());
    private final Executor delegate;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean scheduled;

    public SerialExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        if (!tryExecute(task)) {
            LOG.log(System.Logger.Level.DEBUG, "listener events dropped: the executor refused them");
        }
    }

    /**
     * Queues {@code task} behind every task queued before it; false (and the queue emptied) when
     * the underlying executor refuses to run the queue.
     */
    public boolean tryExecute(Runnable task) {
        synchronized (tasks) {
            tasks.addLast(task);
            if (scheduled) {
                return true;
            }
            scheduled = true;
        }
        try {
            delegate.execute(this::drain);
            return true;
        } catch (RejectedExecutionException e) {
            synchronized (tasks) {
                tasks.clear();
                scheduled = false;
            }
            return false;
        }
    }

    private void drain() {
        Publication.runAsCallback(this::drainMarked); // a listener that calls cancel() must not wait for its own queue
    }

    private void drainMarked() {
        while (true) {
            @Nullable Runnable next;
            synchronized (tasks) {
                next = tasks.pollFirst();
                if (next == null) {
                    scheduled = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "listener task failed", e);
            }
        }
    }
}
