package io.pathprobe.evidence.internal;

import io.pathprobe.core.internal.runtime.Ended;
import io.pathprobe.core.internal.runtime.Scheduler;
import io.pathprobe.core.internal.runtime.Ticker;
import io.pathprobe.core.internal.runtime.VirtualLoop;
import io.pathprobe.core.internal.runtime.WallClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The replayed engine's loop, clock and pools, a policy over the one loop on fake time ({@link VirtualLoop}): runs
 * the recorded pieces of work in the recorded order, each with its recorded clock readings, firing the outside
 * event (an answer, a lookup's end, a hand-over) a piece came from when it is needed. Once the record runs out or
 * the engine does something it does not hold, the loop goes on fake time ({@link VirtualLoop#runNext}). One thread
 * runs it (the replayer's); an application's calls from its own threads (an application run on the replay,
 * {@link Replayer}) are handed to that thread and run between pieces, as the application's calls are taken
 * between the loop's tasks while recording.
 */
final class ReplayLoop implements Scheduler, Ticker, WallClock {
    /** Fires the outside events pieces of work come from. */
    interface Events {
        /** Fires {@code root} if it is one and was not fired yet; returns whether it was fired now. */
        boolean fire(String root);
    }

    /** A piece of work waiting on the loop, and whether it was given from outside the loop's own work. */
    private record Pending(VirtualLoop.Work work, boolean fromOutside) {}

    private final ReplayLog log;
    final Causality causality = new Causality();
    private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();
    private final ReplayJobs jobs;
    /** The application's code queued (listeners' events, its futures): run between pieces, outside every name. */
    private final java.util.Queue<Runnable> callbacks = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** The work and the time (the recorded clock's nanoseconds); the application's calls handed over. */
    private final VirtualLoop loop;
    /** Whether an application runs on the replay and may still call it. */
    private volatile boolean applicationRunning;

    /** Work the application gave (its calls, {@code X<n>}) waiting to run. */
    private final java.util.Set<String> applicationCalls = new java.util.LinkedHashSet<>();
    /** Whether the replay itself calls now (a recorded cancel, a measurement ended at the end): not the application. */
    private boolean replayersCall;
    private final Map<Long, Ended> measurements = new HashMap<>();
    private @Nullable Events events;
    private BooleanSupplier finished = () -> false;
    private BooleanSupplier idle = () -> false;
    private int next;
    private @Nullable String forcedKey;
    private @Nullable Left divergence;
    /** The recorded probes sent as recorded so far. */
    private long followed;
    /** The recorded clock's first reading. */
    private final long origin;
    private long[] tape = new long[0];
    private int tapeAt;

    ReplayLoop(ReplayLog log) {
        this.log = log;
        ArrayDeque<Long> first = log.ticks.get("-");
        origin = first == null || first.isEmpty() ? 0 : first.peekFirst();
        loop = new VirtualLoop(origin, log.recordedAt);
        this.jobs = new ReplayJobs(log, causality, loop, () -> applicationRunning, loop::runOutsideLoop,
                k -> events != null && events.fire(k), measurements::containsKey, this::awaitApplication);
    }

    void events(Events e) {
        this.events = e;
    }

    /** When every replayed measurement has ended (the loop then stops instead of leaving the record). */
    void finished(BooleanSupplier done) {
        this.finished = done;
    }

    /**
     * When every measurement started so far has ended: an application running on the replay may start the next
     * one, and what the recording did before that (after the last one ended) is not a measurement's; the loop waits
     * for the application there instead of leaving the record.
     */
    void idle(BooleanSupplier idle) {
        this.idle = idle;
    }

    /** A replayed measurement, by its recorded number: the application's cancel of it is replayed. */
    void measurement(long id, Ended handle) {
        measurements.put(id, handle);
    }

    /** Cancels {@code m} as the replay's own call (the recording's cancel, or the replay ending it): never dropped. */
    void cancel(Ended m) {
        boolean was = replayersCall;
        replayersCall = true;
        try {
            m.requestCancel();
        } finally {
            replayersCall = was;
        }
    }

    /** {@return the replayed measurement with this recorded number, or null} */
    @Nullable Ended measurementOf(long id) {
        return measurements.get(id);
    }

    /** Where the replay left the record: in words, its own account, the recorded clock then, probes followed. */
    record Left(String what, String detail, long at, long probesFollowed, boolean recordEnded) {}

    /** {@return where the replay left the record, if it did} */
    @Nullable Left divergence() {
        return divergence;
    }

    /** A recorded probe was sent as recorded. */
    void followed() {
        followed++;
    }

    /** {@return the recorded clock's first reading: where the recording's time begins} */
    long origin() {
        return origin;
    }

    /** {@return whether the replay still follows the record} */
    boolean following() {
        return divergence == null;
    }


    /**
     * The replay leaves the record here: says so once; fake time from now on.
     *
     * @param what in a user's words
     * @param detail the replay's own account (the piece of work concerned)
     */
    void diverge(String what, String detail) {
        diverge(what, detail, false);
    }

    /** As {@link #diverge(String, String)}; {@code recordEnded}: what the replay met is the record's end. */
    private void diverge(String what, String detail, boolean recordEnded) {
        if (divergence == null) {
            divergence = new Left(what, detail, loop.read(), followed, recordEnded);
        }
    }

    // ---- Scheduler ------------------------------------------------------------------------------

    private String key() {
        String k = forcedKey;
        if (k != null) {
            forcedKey = null;
            return k;
        }
        return causality.next();
    }

    @Override
    public boolean execute(Runnable task) {
        if (loop.foreign()) {
            loop.handOver(() -> execute(task));
            return true;
        }
        boolean outside = !causality.inLoopWork();
        String key = key();
        pending.put(key, new Pending(loop.add(task, key), outside));
        if (outside && causality.current() == null && !replayersCall) {
            applicationCalls.add(key);
        }
        return true;
    }

    @Override
    public Timer schedule(Runnable task, long delayNanos) {
        if (loop.foreign()) {
            Timer[] timer = new Timer[1];
            boolean[] cancelled = new boolean[1];
            loop.handOver(() -> {
                if (!cancelled[0]) {
                    timer[0] = schedule(task, delayNanos);
                }
            });
            return () -> loop.handOver(() -> {
                cancelled[0] = true;
                if (timer[0] != null) {
                    timer[0].cancel();
                }
            });
        }
        String key = key();
        boolean outside = !causality.inLoopWork();
        Pending p = new Pending(loop.after(task, Math.min(delayNanos, Long.MAX_VALUE / 4), key), outside);
        pending.put(key, p);
        return () -> {
            p.work.cancel();
            pending.remove(key, p);
        };
    }

    @Override
    public boolean inLoop() {
        return loop.inLoop();
    }

    /**
     * An application runs on the replay: {@code loopThread} runs the loop from now on (until
     * {@link #loopThreadEnded}), the application's calls are handed to it, and a measurement's launch the record
     * holds is waited for.
     */
    void applicationStarted(Thread loopThread) {
        loop.owner(loopThread);
        applicationRunning = true;
    }

    /** The application has returned: it launches nothing more (the loop's thread is woken to see it). */
    void applicationEnded() {
        applicationRunning = false;
        loop.handOver(() -> { });
    }

    /** The loop's thread has stopped: the caller's thread runs what is left (the tracer's close). */
    void loopThreadEnded() {
        loop.owner(null);
        drainInbox();
    }

    /** Calls {@code call} as an application's call on the loop's thread, between pieces ({@link VirtualLoop#call}). */
    <T> T call(java.util.function.Supplier<T> call) {
        return loop.call(call);
    }

    /** Runs the application's calls handed over so far, in order. */
    private void drainInbox() {
        Runnable r;
        while ((r = loop.handedOver()) != null) {
            asApplication(r);
        }
    }

    /** Runs {@code r} as the application's code: not loop work, outside every named piece. */
    private void asApplication(Runnable r) {
        loop.runOutsideLoop(() -> causality.outside(r));
    }

    /** Waits a little (100 ms) for the application's next call (or its end), then runs what it handed over. */
    private void awaitApplication() {
        Runnable r = loop.awaitHandedOver(Duration.ofMillis(100));
        if (Thread.currentThread().isInterrupted()) {
            applicationRunning = false;
        }
        if (r != null) {
            asApplication(r);
        }
        drainInbox();
    }

    /** {@return whether an application runs on the replay and may still call it} */
    boolean applicationRunning() {
        return applicationRunning;
    }

    /**
     * With an application running, waits until it calls (a little at most), runs its calls and the code it
     * queued, and returns true; else false.
     */
    boolean awaitApplicationIfRunning() {
        if (!applicationRunning) {
            drainInbox();
            runCallbacks();
            return false;
        }
        awaitApplication();
        runCallbacks();
        return true;
    }

    @Override
    public boolean runQueued() {
        if (loop.foreign()) {
            return false; // the loop's own thread runs it
        }
        // what is queued: the recorded pieces that are already waiting, in order
        while (following() && next < log.acts() && pending.containsKey(log.act(next).key())) {
            step();
        }
        return true;
    }

    @Override
    public boolean runUntil(BooleanSupplier condition) {
        if (loop.foreign()) {
            return false; // the loop's own thread runs it: the caller waits for what it waits for
        }
        while (!condition.getAsBoolean()) {
            if (!step()) {
                break;
            }
        }
        return true;
    }

    /** Runs the next piece of work; false when nothing at all is left. */
    boolean step() {
        if (loop.running()) {
            throw new IllegalStateException("the replay's loop runs one piece at a time");
        }
        drainInbox();
        runApplicationCalls();
        runCallbacks();
        while (jobs.runFirst(true)) {
            // a pool's jobs start as soon as the loop's step that gave them is over, as a free pool thread does
        }
        if (following() && next < log.acts()) {
            ReplayLog.Act a = log.act(next);
            if (applicationRunning && jobs.launchBefore(a)) {
                // the recording's application had launched a measurement before this work ran: the replay's
                // application launches it first (what the work finds of the engine's shared state depends on it)
                awaitApplication();
                return true;
            }
            jobs.catchUp(a.serialBefore()); // what had ended before this work began, it saw
            Pending p = pending.get(a.key());
            if (p == null && a.via() != null && events != null) {
                fire(a.via(), 0);
                p = pending.get(a.key());
            }
            if (p == null && a.cancels() > 0) {
                Ended m = measurements.get(a.cancels());
                if (m != null) {
                    forcedKey = a.key(); // the application's cancel, under the name it had
                    cancel(m);
                    forcedKey = null;
                    p = pending.get(a.key());
                }
            }
            if (p == null && a.via() != null) {
                // two jobs ran at once while recording and the other one gave this work: the same work, given
                // by the job that ran last here; it takes the recorded name (its own is in no record)
                String orphan = orphan();
                if (orphan != null) {
                    p = pending.remove(orphan);
                    pending.put(a.key(), p);
                }
            }
            if (p == null && a.key().startsWith("X")) {
                next++; // an application's call this replay does not make (a live display's snapshot)
                return true;
            }
            if (p == null && finished.getAsBoolean()) {
                return false; // every measurement has ended: what the recording did after that is not its results'
            }
            if (p == null && applicationRunning && idle.getAsBoolean()) {
                awaitApplication(); // likewise, until the application starts the next measurement or returns
                return true;
            }
            if (p == null) {
                if (jobs.launchBefore(a)) {
                    diverge("the application did not start a measurement the recording had started by then", "");
                } else {
                    diverge("the engine's next step was not the recorded one (it had no work to do where the "
                            + "recording did)", "no work " + a.key() + " where the recording ran it (piece "
                            + (next + 1) + " of " + log.acts() + "; waiting: " + String.join(", ",
                                    pending.keySet().stream().limit(4).toList()) + ")");
                }
            } else {
                next++;
                take(a.key());
                applicationCalls.remove(a.key());
                run(a.key(), p.work.task(), a.reads());
                return true;
            }
        }
        if (following()) {
            diverge(log.truncated ? "the recording is cut after line " + log.lines + ": the rest ran on fake time "
                    + "with no answers" : "the recording ends (after line " + log.lines + ") before the measurement "
                    + "did: the rest ran on fake time with no answers", "", true);
        }
        return fallbackStep();
    }

    /**
     * Runs the application's calls the record holds no place for ahead (a live display's snapshot the recording
     * did not take, or took at another time): they read, they change nothing the measurements do. An application's
     * cancel the record does not hold is dropped: the replay ends each measurement as the recording did (the
     * recording's own cancels are in the record, and replayed from it).
     */
    private void runApplicationCalls() {
        if (applicationCalls.isEmpty()) {
            return;
        }
        for (String key : List.copyOf(applicationCalls)) {
            int at = log.firstAct(key);
            if (at >= 0 && at >= next && following()) {
                continue; // the record runs it in its place
            }
            applicationCalls.remove(key);
            Pending p = take(key);
            if (p != null && !(p.work.task() instanceof Ended.Cancel)) {
                run(key, p.work.task(), new long[0]);
            }
        }
    }

    /** Work given from outside the loop that no recorded piece names, the oldest; null if none. */
    private @Nullable String orphan() {
        for (Map.Entry<String, Pending> e : pending.entrySet()) {
            if (e.getValue().fromOutside() && log.firstAct(e.getKey()) < 0
                    && !applicationCalls.contains(e.getKey())) {
                return e.getKey();
            }
        }
        return null;
    }

    /** Fires {@code root}, first the event it was asked for in if it is not waiting yet (a chain of hand-overs). */
    private boolean fire(String root, int depth) {
        Events e = events;
        if (e == null || depth > 64) {
            return false;
        }
        if (jobs.run(root) || e.fire(root)) {
            return true;
        }
        String parent = log.askedIn(root);
        return parent != null && fire(parent, depth + 1) && (jobs.run(root) || e.fire(root));
    }

    private boolean fallbackStep() {
        if (jobs.runFirst(false)) {
            return true;
        }
        VirtualLoop.Work w = loop.next(); // queued work first, then the timer that falls due first
        String key = w == null ? null : w.name();
        if (w == null || key == null) {
            return false;
        }
        take(key);
        applicationCalls.remove(key);
        loop.reach(w.due());
        run(key, w.task(), new long[0]);
        return true;
    }

    /** Takes the piece {@code key} off the loop; null if it does not wait. */
    private @Nullable Pending take(String key) {
        Pending p = pending.remove(key);
        if (p != null) {
            loop.take(p.work);
        }
        return p;
    }

    private void run(String key, Runnable task, long[] reads) {
        long[] saved = tape;
        int savedAt = tapeAt;
        tape = reads;
        tapeAt = 0;
        try {
            loop.runInLoop(() -> causality.runIn(new Causality.Context(key, true, null), task));
        } finally {
            tape = saved;
            tapeAt = savedAt;
        }
    }

    // ---- clocks ---------------------------------------------------------------------------------

    @Override
    public long read() {
        if (loop.foreign()) {
            return loop.read(); // the application's own thread: the time reached, no recorded reading taken
        }
        Causality.Context c = causality.current();
        long v = loop.read();
        if (following()) {
            if (c != null && c.loop) {
                if (tapeAt < tape.length) {
                    v = tape[tapeAt++];
                }
            } else {
                ArrayDeque<Long> q = log.ticks.get(c == null ? "-" : c.name);
                if (q != null && !q.isEmpty()) {
                    v = q.pollFirst();
                }
            }
        }
        loop.reach(v);
        return v;
    }

    @Override
    public Instant now() {
        if (loop.foreign()) {
            return log.recordedAt;
        }
        Causality.Context c = causality.current();
        ArrayDeque<Instant> q = log.walls.get(c == null ? "-" : c.name);
        if (q != null && !q.isEmpty()) {
            return q.pollFirst();
        }
        return log.recordedAt;
    }

    /** The time reached, in the recorded clock's nanoseconds. */
    long time() {
        return loop.read();
    }

    // ---- pools ----------------------------------------------------------------------------------

    /** A pool of the engine's, replayed ({@link ReplayJobs}). */
    Executor pool() {
        return jobs.pool();
    }

    /** Runs the jobs waiting now ({@link ReplayJobs#runAll}). */
    void runWaitingJobs() {
        jobs.runAll();
    }

    /**
     * Before {@code key} (a lookup's end or an enrichment job): the lookup ends and enrichment jobs that came
     * before it while recording, those waiting here, in that order.
     */
    void catchUp(String key) {
        jobs.catchUp(key);
    }

    /**
     * The pool the application's code runs on, replayed (see {@link Recorder#callbacks}): its jobs take no name and
     * run between pieces, outside every named piece. A format 1 recording named them as the engine's own jobs: for
     * it, they are the engine's pool's.
     */
    Executor callbacks() {
        return log.format < 2 ? pool() : job -> {
            callbacks.add(job);
            if (loop.foreign()) {
                loop.handOver(() -> { }); // the loop's thread may be waiting for the application: it runs it
            }
        };
    }

    /** Runs the application's code queued so far (a listener's events, the futures it waits on). */
    void runCallbacks() {
        Runnable job;
        while ((job = callbacks.poll()) != null) {
            asApplication(job);
        }
    }

    /** Drops what is queued (the tracer is closing); the application's code queued still runs. */
    void clear() {
        pending.clear();
        loop.clear();
        applicationCalls.clear();
        jobs.clear();
        runCallbacks();
    }
}
