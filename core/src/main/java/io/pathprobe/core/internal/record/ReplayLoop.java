package io.pathprobe.core.internal.record;

import io.pathprobe.core.internal.runtime.Ended;
import io.pathprobe.core.internal.runtime.Scheduler;
import io.pathprobe.core.internal.runtime.Ticker;
import io.pathprobe.core.internal.runtime.WallClock;
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
 * The replayed engine's loop, clock and pools: runs the recorded pieces of work in the recorded order, each with
 * its recorded clock readings, firing the outside event (an answer, a lookup's end, a hand-over) a piece came
 * from when it is needed. Once the record runs out or the engine does something it does not hold, the loop goes
 * on on fake time: queued work first, then timers in the order they fall due, clock readings the time reached.
 * One thread (the replayer's); not thread-safe.
 */
final class ReplayLoop implements Scheduler, Ticker, WallClock {
    /** Fires the outside events pieces of work come from. */
    interface Events {
        /** Fires {@code root} if it is one and was not fired yet; returns whether it was fired now. */
        boolean fire(String root);
    }

    private static final class Pending {
        final Runnable task;
        final boolean timer;
        final long due;
        /** Given from outside the loop's own work (an answer, a lookup's end, a job). */
        final boolean fromOutside;

        Pending(Runnable task, boolean timer, long due, boolean fromOutside) {
            this.task = task;
            this.timer = timer;
            this.due = due;
            this.fromOutside = fromOutside;
        }
    }

    private final ReplayLog log;
    final Causality causality = new Causality();
    private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();
    private final LinkedHashMap<String, Runnable> jobs = new LinkedHashMap<>();
    private final java.util.Set<String> recordedKeys = new java.util.HashSet<>();
    private final Map<Long, Ended> measurements = new HashMap<>();
    private @Nullable Events events;
    private BooleanSupplier finished = () -> false;
    private int next;
    private long now;
    private boolean running;
    private @Nullable String forcedKey;
    private @Nullable String divergence;
    private int skipped;
    private long[] tape = new long[0];
    private int tapeAt;

    ReplayLoop(ReplayLog log) {
        this.log = log;
        for (ReplayLog.Act a : log.acts) {
            recordedKeys.add(a.key());
        }
        ArrayDeque<Long> first = log.ticks.get("-");
        now = first == null || first.isEmpty() ? 0 : first.peekFirst();
    }

    void events(Events e) {
        this.events = e;
    }

    /** When every replayed measurement has ended (the loop then stops instead of leaving the record). */
    void finished(BooleanSupplier done) {
        this.finished = done;
    }

    /** A replayed measurement, by its recorded number: the application's cancel of it is replayed. */
    void measurement(long id, Ended handle) {
        measurements.put(id, handle);
    }

    /** {@return the replayed measurement with this recorded number, or null} */
    @Nullable Ended measurementOf(long id) {
        return measurements.get(id);
    }

    /** {@return where the replay left the record, if it did} */
    @Nullable String divergence() {
        return divergence;
    }

    /** {@return whether the replay still follows the record} */
    boolean following() {
        return divergence == null;
    }

    /** {@return how many application calls of the recording (a live display's snapshots) had nothing to replay} */
    int skipped() {
        return skipped;
    }

    /** The replay leaves the record here: says so once; fake time from now on. */
    void diverge(String why) {
        if (divergence == null) {
            divergence = why;
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
        boolean outside = !causality.inLoopWork();
        pending.put(key(), new Pending(task, false, now, outside));
        return true;
    }

    @Override
    public Timer schedule(Runnable task, long delayNanos) {
        String key = key();
        boolean outside = !causality.inLoopWork();
        Pending p = new Pending(task, true, now + Math.max(0, Math.min(delayNanos, Long.MAX_VALUE / 4)), outside);
        pending.put(key, p);
        return () -> pending.remove(key, p);
    }

    @Override
    public boolean inLoop() {
        return running;
    }

    @Override
    public boolean runQueued() {
        // what is queued: the recorded pieces that are already waiting, in order
        while (following() && next < log.acts.size() && pending.containsKey(log.acts.get(next).key())) {
            step();
        }
        return true;
    }

    @Override
    public boolean runUntil(BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            if (!step()) {
                break;
            }
        }
        return true;
    }

    /** Runs the next piece of work; false when nothing at all is left. */
    boolean step() {
        if (running) {
            throw new IllegalStateException("the replay's loop runs one piece at a time");
        }
        while (!jobs.isEmpty()) {
            // a pool's jobs start as soon as the loop's step that gave them is over, as a free pool thread does
            runOneJob(firstJob());
        }
        if (following() && next < log.acts.size()) {
            ReplayLog.Act a = log.acts.get(next);
            catchUp(a.serialBefore()); // what had ended before this work began, it saw
            Pending p = pending.get(a.key());
            if (p == null && a.via() != null && events != null) {
                fire(a.via(), 0);
                p = pending.get(a.key());
            }
            if (p == null && a.cancels() > 0) {
                Ended m = measurements.get(a.cancels());
                if (m != null) {
                    forcedKey = a.key(); // the application's cancel, under the name it had
                    m.requestCancel();
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
                skipped++;
                return true;
            }
            if (p == null && finished.getAsBoolean()) {
                return false; // every measurement has ended: what the recording did after that is not its results'
            }
            if (p == null) {
                diverge("the engine has no work " + a.key() + " where the recording ran it (piece " + (next + 1)
                        + " of " + log.acts.size() + "; waiting: " + String.join(", ",
                                pending.keySet().stream().limit(4).toList()) + ")");
            } else {
                next++;
                pending.remove(a.key());
                run(a.key(), p.task, a.reads());
                return true;
            }
        }
        if (following()) {
            diverge(log.truncated ? "the recording is cut after line " + log.lines + ": the rest ran on fake time "
                    + "with no answers" : "the recording ends (after line " + log.lines + ") before the measurement "
                    + "did: the rest ran on fake time with no answers");
        }
        return fallbackStep();
    }

    /** Work given from outside the loop that no recorded piece names, the oldest; null if none. */
    private @Nullable String orphan() {
        for (Map.Entry<String, Pending> e : pending.entrySet()) {
            if (e.getValue().fromOutside && !recordedKeys.contains(e.getKey())) {
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
        if (runJob(root) || e.fire(root)) {
            return true;
        }
        String parent = log.askedIn.get(root);
        return parent != null && fire(parent, depth + 1) && (runJob(root) || e.fire(root));
    }

    private boolean fallbackStep() {
        if (!jobs.isEmpty()) {
            return runOneJob(firstJob());
        }
        Map.Entry<String, Pending> first = null;
        Map.Entry<String, Pending> earliest = null;
        for (Map.Entry<String, Pending> e : pending.entrySet()) {
            if (!e.getValue().timer) {
                first = e;
                break;
            }
            if (earliest == null || e.getValue().due < earliest.getValue().due) {
                earliest = e;
            }
        }
        Map.Entry<String, Pending> chosen = first != null ? first : earliest;
        if (chosen == null) {
            return false;
        }
        pending.remove(chosen.getKey());
        now = Math.max(now, chosen.getValue().due);
        run(chosen.getKey(), chosen.getValue().task, new long[0]);
        return true;
    }

    private void run(String key, Runnable task, long[] reads) {
        long[] saved = tape;
        int savedAt = tapeAt;
        tape = reads;
        tapeAt = 0;
        running = true;
        try {
            causality.runIn(new Causality.Context(key, true, null), task);
        } finally {
            running = false;
            tape = saved;
            tapeAt = savedAt;
        }
    }

    // ---- clocks ---------------------------------------------------------------------------------

    @Override
    public long read() {
        Causality.Context c = causality.current();
        long v = now;
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
        now = Math.max(now, v);
        return v;
    }

    @Override
    public Instant now() {
        Causality.Context c = causality.current();
        ArrayDeque<Instant> q = log.walls.get(c == null ? "-" : c.name);
        if (q != null && !q.isEmpty()) {
            return q.pollFirst();
        }
        return log.recordedAt;
    }

    /** The time reached, in the recorded clock's nanoseconds. */
    long time() {
        return now;
    }

    // ---- pools ----------------------------------------------------------------------------------

    /**
     * A pool of the engine's, replayed: a job waits until the loop's step that gave it is over (or the loop needs
     * what it gave: it is its own root), then runs in the replayer's thread under its name.
     */
    Executor pool() {
        return job -> jobs.put(causality.next(), job);
    }

    /**
     * Runs the job {@code key}, after the waiting jobs that ended before it while recording (two jobs ran at once on
     * the pool's threads: the one that ended last saw what the other did); an enrichment job after every lookup end
     * and enrichment job that came before it.
     */
    private boolean runJob(String key) {
        if (!jobs.containsKey(key)) {
            return false;
        }
        catchUp(key);
        int end = log.jobEnds.getOrDefault(key, Integer.MAX_VALUE);
        while (jobs.containsKey(key)) {
            String first = firstJob();
            if (log.jobEnds.getOrDefault(first, Integer.MAX_VALUE) > end) {
                first = key;
            }
            runOneJob(first);
        }
        return true;
    }

    /** The lookup ends and enrichment jobs before place {@code seq} of their order, those waiting here, in order. */
    private void catchUp(int seq) {
        if (seq <= 0 || log.serial.isEmpty()) {
            return;
        }
        for (String k : List.copyOf(log.serial.headMap(seq).values())) {
            if (jobs.containsKey(k)) {
                runOneJob(k);
            } else if (k.startsWith("K") && events != null) {
                events.fire(k);
            }
        }
    }

    /**
     * Before {@code key} (a lookup's end or an enrichment job): the lookup ends and enrichment jobs that came
     * before it while recording, those waiting here, in that order.
     */
    void catchUp(String key) {
        Integer at = log.serialOf.get(key);
        if (at != null) {
            catchUp(at);
        }
    }

    /** The waiting job that ended first while recording (jobs it does not know of: in the order given). */
    private String firstJob() {
        String best = null;
        int bestEnd = Integer.MAX_VALUE;
        for (String k : jobs.keySet()) {
            int e = log.jobEnds.getOrDefault(k, Integer.MAX_VALUE);
            if (best == null || e < bestEnd) {
                best = k;
                bestEnd = e;
            }
        }
        return java.util.Objects.requireNonNull(best);
    }

    private boolean runOneJob(String key) {
        Runnable job = jobs.remove(key);
        if (job == null) {
            return false;
        }
        boolean was = running;
        running = false; // a job is not loop work
        try {
            causality.runIn(new Causality.Context(key, false, key), job);
        } finally {
            running = was;
        }
        return true;
    }

    /** Drops what is queued (the tracer is closing). */
    void clear() {
        pending.clear();
        jobs.clear();
    }
}
