package io.pathprobe.evidence.internal;

import io.pathprobe.core.internal.runtime.VirtualLoop;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The engine's pools, replayed ({@link ReplayLoop#pool()}): a job waits until the loop's step that gave it is over
 * (or the loop needs what it gave: it is its own root), then runs in the replay's thread under its name, in the
 * order the recording's jobs ended in (two jobs ran at once on the pool's threads: the one that ended last saw
 * what the other did), an enrichment job after every lookup end and enrichment job that came before it.
 */
final class ReplayJobs {
    private final ReplayLog log;
    private final Causality causality;
    /** The loop, to which an application's own threads hand their calls while it runs on the replay. */
    private final VirtualLoop loop;
    private final BooleanSupplier applicationRunning;
    /** Runs a job as what it is: not the loop's work. */
    private final Consumer<Runnable> notLoopWork;
    /** Fires a lookup's end ({@code K...}) that a job's place in the order comes after. */
    private final Predicate<String> fire;
    /** Whether the replay has launched the measurement with this number. */
    private final java.util.function.LongPredicate launched;
    /** Waits a little for the application running on the replay to call (a launch), running what it hands over. */
    private final Runnable awaitApplication;
    private final LinkedHashMap<String, Runnable> jobs = new LinkedHashMap<>();

    ReplayJobs(ReplayLog log, Causality causality, VirtualLoop loop, BooleanSupplier applicationRunning,
            Consumer<Runnable> notLoopWork, Predicate<String> fire, java.util.function.LongPredicate launched,
            Runnable awaitApplication) {
        this.launched = launched;
        this.awaitApplication = awaitApplication;
        this.log = log;
        this.causality = causality;
        this.loop = loop;
        this.applicationRunning = applicationRunning;
        this.notLoopWork = notLoopWork;
        this.fire = fire;
    }

    /** The pool: each job named as its cause's next piece, kept until it runs. */
    Executor pool() {
        return job -> {
            if (loop.foreign()) {
                loop.handOver(() -> jobs.put(causality.next(), job));
            } else {
                jobs.put(causality.next(), job);
            }
        };
    }

    boolean isEmpty() {
        return jobs.isEmpty();
    }

    /**
     * Runs the waiting job that ended first while recording, as a free pool thread starts it; false if none waits,
     * or (with {@code holding}) it is held: it ended, while recording, after a launch not made yet here (its
     * effect on what the engine shares, an opened transport, came after that launch looked).
     */
    boolean runFirst(boolean holding) {
        if (jobs.isEmpty()) {
            return false;
        }
        String first = first();
        return !(holding && held(first)) && runOne(first);
    }

    /**
     * Whether job {@code key} waits for a launch: it ended, while recording, after the launch of a measurement the
     * application running on the replay has not started yet (without an application, every launch is made first).
     */
    private boolean held(String key) {
        Long end = log.jobEndsAt.get(key);
        return end != null && applicationRunning.getAsBoolean() && launchBefore(end);
    }

    /**
     * Whether a measurement the recording launched before the line at {@code at} (where it begins in the file) has
     * not been launched here yet.
     */
    boolean launchBefore(long at) {
        return launchBefore(at, null);
    }

    /**
     * Whether a measurement the recording launched before the piece of loop work {@code act} began has not been
     * launched here yet. A launch made while that piece ran ({@link ReplayLog.Measurement#during}) has its lines
     * before the piece's own, yet came after it began, perhaps because of it (the application waited for the result
     * the piece made): waiting for it there would wait for ever.
     */
    boolean launchBefore(ReplayLog.Act act) {
        return launchBefore(act.at(), act.key());
    }

    private boolean launchBefore(long at, @Nullable String actKey) {
        for (ReplayLog.Measurement m : log.measurements.values()) {
            if (m.at < at && !launched.test(m.id) && (actKey == null || !actKey.equals(m.during))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs the jobs waiting now, in the order they ended while recording: before a launch that found, while
     * recording, what they did (a transport another measurement's set-up had opened).
     */
    void runAll() {
        while (runFirst(false)) {
            // in order
        }
    }

    /**
     * Runs the job {@code key}, after the waiting jobs that ended before it while recording; false if it waits not.
     * A job that ended, while recording, after a launch the application running on the replay has not made yet waits
     * for that launch first: the two ran at once, and what the launch's own set-up did (open the transport) the job
     * found done.
     */
    boolean run(String key) {
        if (!jobs.containsKey(key)) {
            return false;
        }
        while (held(key)) {
            awaitApplication.run();
        }
        catchUp(key);
        int end = log.jobEnds.getOrDefault(key, Integer.MAX_VALUE);
        while (jobs.containsKey(key)) {
            String first = first();
            if (log.jobEnds.getOrDefault(first, Integer.MAX_VALUE) > end) {
                first = key;
            }
            runOne(first);
        }
        return true;
    }

    /** The lookup ends and enrichment jobs before place {@code seq} of their order, those waiting here, in order. */
    void catchUp(int seq) {
        if (seq <= 0 || log.serial.isEmpty()) {
            return;
        }
        for (String k : List.copyOf(log.serial.headMap(seq).values())) {
            if (jobs.containsKey(k)) {
                runOne(k);
            } else if (k.startsWith("K")) {
                fire.test(k);
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
    private String first() {
        String best = null;
        int bestEnd = Integer.MAX_VALUE;
        for (String k : jobs.keySet()) {
            int e = log.jobEnds.getOrDefault(k, Integer.MAX_VALUE);
            if (best == null || e < bestEnd) {
                best = k;
                bestEnd = e;
            }
        }
        return Objects.requireNonNull(best);
    }

    private boolean runOne(String key) {
        Runnable job = jobs.remove(key);
        if (job == null) {
            return false;
        }
        notLoopWork.accept(() -> causality.runIn(new Causality.Context(key, false, key), job));
        return true;
    }

    /** Drops the waiting jobs (the tracer is closing). */
    void clear() {
        jobs.clear();
    }
}
