package io.pathprobe.core.internal.runtime;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * A tracer's sender threads: while several measurements run, their sends spread over these threads and the
 * engine loop's own, each measurement's session pinned to one of them for its whole life (so its sends keep
 * their order and a session is never used by two threads at once). The engine loop stays the owner of every
 * measurement's state: a lane only makes the system call and reads the send time the session returns, and hands
 * each result back to the loop, in order ({@link Work#onLoop}). The point is the kernel's share of a send, which on
 * a path of kernel routers (a lab) or a busy host is most of it: one thread's sends leave at most one core busy.
 *
 * <p>A fixed number of threads, each started the first time a measurement is pinned to it: constant whatever the
 * load. {@link #shutdown} runs what is queued (a send queued for a measurement that ended is skipped, a session's
 * close never is), then stops them.
 */
public final class SendLanes {
    private static final System.Logger LOG = System.getLogger(SendLanes.class.getName());
    private static final AtomicInteger IDS = new AtomicInteger();
    /** Results handed back to the loop in one task, at most. */
    static final int HANDBACK_BATCH = 256;
    /** The most sender threads a tracer may have. */
    public static final int MAX_THREADS = 16;

    /** No sender threads: every send stays on the engine loop. */
    public static final SendLanes NONE = new SendLanes(0, null, new Runnable() { // a class: docs/startup.md
        @Override
        public void run() {
        }
    });

    /** Something a lane does for the loop: {@link #onLane} on the lane's thread, then {@link #onLoop} on the loop. */
    public abstract static class Work {
        /** On the lane's thread, in the order submitted to it. */
        protected abstract void onLane();

        /** On the engine loop, in the same order, after {@link #onLane}. Not called once the loop has stopped. */
        protected abstract void onLoop();
    }

    /** One sender thread and its queue. */
    public final class Lane {
        private final int index;
        private final ConcurrentLinkedQueue<Work> queue = new ConcurrentLinkedQueue<>();
        private volatile @Nullable Thread thread;
        private volatile boolean parked;

        private Lane(int index) {
            this.index = index;
        }

        /** Queues {@code work}; false (nothing will run) once the lanes are shut down. */
        public boolean submit(Work work) {
            if (stopped) {
                return false;
            }
            queue.add(work);
            Thread t = thread;
            if (t == null) {
                t = start();
            }
            if (parked) {
                LockSupport.unpark(t);
            }
            return true;
        }

        private synchronized Thread start() {
            Thread t = thread;
            if (t == null) {
                t = new Thread(this::run, name + index);
                t.setDaemon(true);
                thread = t;
                t.start();
            }
            return t;
        }

        private void run() {
            try {
                onThreadStart.run();
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.DEBUG, "configuring a pathprobe sender thread failed", e);
            }
            List<Work> done = new ArrayList<>();
            while (true) {
                Work w = queue.poll();
                if (w != null) {
                    guarded(w);
                    done.add(w);
                    if (done.size() < HANDBACK_BATCH) {
                        continue;
                    }
                }
                if (!done.isEmpty()) {
                    handBack(done);
                    done = new ArrayList<>();
                    continue;
                }
                if (stopped && queue.isEmpty()) {
                    return;
                }
                parked = true;
                if (queue.isEmpty() && !stopped) {
                    LockSupport.park(this);
                }
                parked = false;
            }
        }

        private void handBack(List<Work> done) {
            Scheduler l = java.util.Objects.requireNonNull(loop);
            if (!l.execute(() -> {
                for (Work w : done) {
                    w.onLoop();
                }
            })) {
                LOG.log(Level.DEBUG, "sends handed back after the engine stopped: dropped");
            }
        }

        private void guarded(Work w) {
            try {
                w.onLane();
            } catch (Throwable t) { // a lane never dies of one probe
                LOG.log(Level.ERROR, "pathprobe sender task failed", t);
            }
        }

        @Override
        public String toString() {
            return "lane " + index;
        }
    }

    private final Lane[] lanes;
    private final @Nullable Scheduler loop;
    private final Runnable onThreadStart;
    private final String name;
    private volatile boolean stopped;
    /** Engine loop only: the next measurement's lane, round robin over the loop (0) and the lanes. */
    private int next;

    /**
     * @param threads how many sender threads (0: none, every send on the loop)
     * @param loop the engine loop the results go back to
     * @param onThreadStart runs first on each sender thread (the transports tune it as they tune the engine's)
     */
    public SendLanes(int threads, @Nullable Scheduler loop, Runnable onThreadStart) {
        if (threads > 0 && loop == null) {
            throw new IllegalArgumentException("sender threads need an engine loop");
        }
        if (threads < 0 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("sender threads must be 0.." + MAX_THREADS + ", was " + threads);
        }
        this.loop = loop;
        this.onThreadStart = onThreadStart;
        this.name = "pathprobe-send-" + IDS.incrementAndGet() + "-";
        this.lanes = new Lane[threads];
        for (int i = 0; i < threads; i++) {
            lanes[i] = new Lane(i + 1);
        }
    }

    /** The default for a tracer of its own thread: one sender per core beyond the first, at most 3. */
    public static int defaultThreads() {
        return Math.max(0, Math.min(3, Runtime.getRuntime().availableProcessors() - 1));
    }

    /**
     * On the engine loop: where a measurement that starts now sends, given how many run with it
     * ({@code running}, itself included): null (the loop itself) when it runs alone, so a single trace never
     * pays a hand-off; else round robin over the loop and the lanes.
     */
    public @Nullable Lane pick(int running) {
        if (lanes.length == 0 || running <= 1 || stopped) {
            return null;
        }
        int i = next;
        next = (next + 1) % (lanes.length + 1);
        return i == 0 ? null : lanes[i - 1];
    }

    /**
     * Runs what the lanes still have (sends of ended measurements are skipped by their work; closes run), then
     * stops their threads; returns once they ended (bounded). Call after the engine loop stopped sending.
     */
    public void shutdown() {
        stopped = true;
        for (Lane l : lanes) {
            Thread t = l.thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
        boolean interrupted = false;
        for (Lane l : lanes) {
            Thread t = l.thread;
            if (t == null || t == Thread.currentThread()) {
                continue;
            }
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
                if (t.isAlive()) {
                    LOG.log(Level.WARNING, "pathprobe sender thread " + t.getName() + " did not stop within 5 s");
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
