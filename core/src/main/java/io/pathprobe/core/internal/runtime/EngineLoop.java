package io.pathprobe.core.internal.runtime;

import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The real {@link Scheduler}: one daemon thread. A task that throws is logged and does not stop the
 * loop (measurements guard their own tasks and fail only themselves; this is the last net).
 *
 * <p><b>Bounded inbox.</b> The tasks the engine makes itself are bounded by the measurements running
 * (each holds at most a few timers and hand-offs at a time). What comes from outside, the answers the
 * transports hand over ({@link #offer}), is bounded too: at most {@value #MAX_QUEUED_OFFERS} wait at
 * once, for all measurements of the tracer. An answer beyond that (the engine is that far behind the
 * wire: a flood, a long GC pause) is dropped before it reaches its measurement, counted
 * ({@link #refusedOffers()}) and logged (WARNING the first time, then DEBUG): its probe stays
 * unanswered and ends as a timeout, so every measurement's accounting still adds up.
 *
 * <p><b>Inbox, then timers.</b> Tasks to run now ({@link #execute}, {@link #offer}) go to a FIFO inbox that
 * one drain task empties, in batches of {@value #DRAIN_BATCH} so that due timers run in between; only
 * timers go to the executor's delay queue. That queue is a binary heap under one lock: were every answer
 * a task in it, a backlog of tens of thousands (1,000 concurrent traces answer faster than one thread
 * sends their probes through a 29-router lab) would make each hand-off a log(n) sift, a
 * ScheduledFutureTask and a RunnableAdapter, and lock the I/O thread against the engine on every answer.
 */
public final class EngineLoop implements Scheduler {
    private static final System.Logger LOG = System.getLogger(EngineLoop.class.getName());
    private static final AtomicInteger IDS = new AtomicInteger();
    static final long MAX_DELAY_NANOS = TimeUnit.DAYS.toNanos(366);
    /** The most {@linkplain #offer offered} tasks (answers) queued at once. */
    public static final int MAX_QUEUED_OFFERS = 65_536;
    /** Inbox tasks run per drain before the timers that have come due get their turn. */
    static final int DRAIN_BATCH = 256;

    private final AtomicInteger queuedOffers = new AtomicInteger();
    private final AtomicLong refusedOffers = new AtomicLong();

    private final ScheduledThreadPoolExecutor executor;
    private volatile @Nullable Thread thread;
    /** Tasks to run now, in order; emptied by {@link #drain} on the loop. */
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    /** Whether a drain task is queued or running (then it looks at the inbox again before it ends). */
    private final AtomicBoolean drainQueued = new AtomicBoolean();
    private final Runnable drainTask = new Runnable() {
        @Override
        public void run() {
            drain();
        }
    };
    private static final Runnable NOTHING = new Runnable() {
        @Override
        public void run() {
        }
    };

    public EngineLoop() {
        this(NOTHING);
    }

    /**
     * @param onThreadStart runs first on every thread the loop starts (normally one; another only if
     *     an Error ended the previous), before any task: the transports tune the thread
     *     ({@link TransportRegistry#configureEngineThread()}); what it throws is logged and ignored
     */
    public EngineLoop(Runnable onThreadStart) {
        String name = "pathprobe-engine-" + IDS.incrementAndGet();
        this.executor = new ScheduledThreadPoolExecutor(1, new ThreadFactory() {
            @Override
            public Thread newThread(Runnable r) {
                Thread t = new Thread(new Runnable() {
                    @Override
                    public void run() {
                        try {
                            onThreadStart.run();
                        } catch (RuntimeException | LinkageError e) {
                            LOG.log(Level.DEBUG, "configuring the pathprobe engine thread failed", e);
                        }
                        r.run();
                    }
                }, name);
                t.setDaemon(true);
                thread = t;
                return t;
            }
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    }

    @Override
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    @Override
    public boolean execute(Runnable task) {
        return enqueue(task);
    }

    /** Puts the task in the inbox and makes sure a drain will run; false once the loop is shut down. */
    private boolean enqueue(Runnable task) {
        if (executor.isShutdown()) {
            return false;
        }
        inbox.add(task);
        if (drainQueued.compareAndSet(false, true)) {
            try {
                executor.execute(drainTask);
            } catch (RejectedExecutionException e) {
                // shut down in between: the tasks still in the inbox will never run
                drainQueued.set(false);
                inbox.remove(task);
                return false;
            }
        }
        return true;
    }

    /**
     * Runs up to {@value #DRAIN_BATCH} inbox tasks, then queues itself again behind the timers that came due
     * if the inbox is not empty; once the loop is shut down, runs all that is left (queued tasks still run).
     */
    private void drain() {
        try {
            for (int i = 0; i < DRAIN_BATCH; i++) {
                Runnable task = inbox.poll();
                if (task == null) {
                    break;
                }
                guarded(task);
            }
        } finally {
            drainQueued.set(false);
            if (!inbox.isEmpty() && drainQueued.compareAndSet(false, true)) {
                try {
                    executor.execute(drainTask);
                } catch (RejectedExecutionException e) {
                    drainQueued.set(false);
                    for (Runnable task; (task = inbox.poll()) != null; ) {
                        guarded(task);
                    }
                }
            }
        }
    }

    @Override
    public boolean offer(Runnable task) {
        if (queuedOffers.incrementAndGet() > MAX_QUEUED_OFFERS) {
            queuedOffers.decrementAndGet();
            long n = refusedOffers.incrementAndGet();
            LOG.log(n == 1 ? Level.WARNING : Level.DEBUG, "pathprobe engine is " + MAX_QUEUED_OFFERS
                    + " answers behind: answer dropped (" + n + " so far; their probes end as timeouts)");
            return false;
        }
        if (enqueue(new Runnable() {
            @Override
            public void run() {
                queuedOffers.decrementAndGet();
                task.run();
            }
        })) {
            return true;
        }
        queuedOffers.decrementAndGet();
        return false;
    }

    /** Offered tasks (answers) refused because {@value #MAX_QUEUED_OFFERS} were queued. */
    public long refusedOffers() {
        return refusedOffers.get();
    }

    /** Offered tasks (answers) queued now. */
    public int queuedOffers() {
        return queuedOffers.get();
    }

    @Override
    public Timer schedule(Runnable task, long delayNanos) {
        try {
            ScheduledFuture<?> f = executor.schedule(new Runnable() {
                @Override
                public void run() {
                    guarded(task);
                }
            }, Math.min(MAX_DELAY_NANOS, Math.max(0, delayNanos)), TimeUnit.NANOSECONDS);
            return new Timer() {
                @Override
                public void cancel() {
                    f.cancel(false);
                }
            };
        } catch (RejectedExecutionException e) {
            return NO_TIMER;
        }
    }

    private static void guarded(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            LOG.log(Level.ERROR, "pathprobe engine task failed", t);
            if (t instanceof Error && !(t instanceof StackOverflowError)) {
                throw t;
            }
        }
    }

    /**
     * Lets the queued tasks run (timers are dropped), then stops the thread; unless called from the
     * loop itself, returns once it has ended (bounded).
     */
    public void shutdown() {
        executor.shutdown();
        if (inLoop()) {
            return;
        }
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "pathprobe engine did not stop within 5 s; interrupting it");
                executor.shutdownNow();
                executor.awaitTermination(1, TimeUnit.SECONDS);
            }
            Thread t = thread;
            if (t != null) {
                t.join(1000); // terminated is not yet dead: callers count threads
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
