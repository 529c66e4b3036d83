package io.pathprobe.agent;

import io.pathprobe.Measurement;
import io.pathprobe.MeasurementType;
import io.pathprobe.agent.sink.SinkStatistics;
import io.pathprobe.monitor.MonitorListener;
import io.pathprobe.monitor.MonitorRound;
import io.pathprobe.time.Scheduler;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The running schedule: each job's slots (a target of a trace, multipath or MTU job; a ping job's targets together;
 * a monitor), their timers on an absolute grid, the concurrency limit and its waiting line. Every method runs on
 * the agent's loop (its timer thread, or the loop it was given): a measurement's end is handed back to the loop
 * before it touches this state, so nothing here takes a lock. The counters are volatile for
 * {@link PathProbeAgent#statistics()} on other threads; only the loop writes them.
 */
final class Jobs {
    private static final System.Logger LOG = System.getLogger(PathProbeAgent.class.getName());
    private final PathProbeAgent agent;
    private final Map<String, List<Slot>> slots = new LinkedHashMap<>();
    private final ArrayDeque<Slot> waiting = new ArrayDeque<>();
    private final SplittableRandom random = new SplittableRandom();
    private int concurrency;
    private volatile int jobCount;
    private volatile int running;
    private volatile int monitors;
    private volatile long completed;
    private volatile long failed;
    private volatile long skipped;
    private final AtomicLong records = new AtomicLong();
    /** At most one line a minute per job and target for failed runs. */
    static final Duration FAILURE_LOG_EVERY = Duration.ofMinutes(1);
    private static final int MAX_FAILURE_KEYS = 10_000;
    private final Map<String, long[]> failureLog = new java.util.HashMap<>();

    Jobs(PathProbeAgent agent, int concurrency) {
        this.agent = agent;
        this.concurrency = concurrency;
    }

    /** One thing the schedule runs again and again (or, a monitor, once for good). */
    private final class Slot {
        final JobConfig job;
        final @Nullable String target; // null: a ping of all the job's targets
        final long firstDue;
        long occurrence;
        Scheduler.Timer timer = () -> { };
        @Nullable Measurement<?, ?> current;
        CompletableFuture<?> delivered = CompletableFuture.completedFuture(null); // current's records handed over
        boolean queued;
        volatile boolean removed; // read where a result is emitted, on the tracer's callback thread

        Slot(JobConfig job, @Nullable String target, long firstDue) {
            this.job = job;
            this.target = target;
            this.firstDue = firstDue;
        }

        String name() {
            return target != null ? target : job.targets().get(0);
        }
    }

    boolean has(String job) {
        return slots.containsKey(job);
    }

    void concurrency(int c) {
        concurrency = c;
        drain();
    }

    /**
     * A reload's new schedule: the concurrency from now on; a job gone or changed stops (its runs cancelled, their
     * results dropped), a job new or changed starts afresh, the others go on as they were. On the loop.
     */
    void reschedule(List<JobConfig> before, List<JobConfig> after, int concurrency) {
        concurrency(concurrency);
        Map<String, JobConfig> now = new LinkedHashMap<>();
        for (JobConfig j : after) {
            now.put(j.name(), j);
        }
        for (JobConfig old : before) {
            JobConfig j = now.get(old.name());
            if (j == null || !j.equals(old)) {
                remove(old.name());
            }
        }
        for (JobConfig j : after) {
            if (!has(j.name())) {
                add(j);
            }
        }
    }

    void add(JobConfig job) {
        List<Slot> list = new ArrayList<>();
        long now = agent.ticker().read();
        long interval = job.interval().toNanos();
        if (job.kind() == MeasurementType.PING) {
            list.add(new Slot(job, null, now));
        } else {
            int n = job.targets().size();
            for (int i = 0; i < n; i++) {
                // spread over the interval: n targets of one job never start together
                list.add(new Slot(job, job.targets().get(i), now + interval / n * i));
            }
        }
        slots.put(job.name(), list);
        jobCount = slots.size();
        agent.jobAdded(job); // its run counters from 0, before its first run
        for (Slot s : list) {
            if (job.kind() == MeasurementType.MONITOR) {
                startMonitor(s);
            } else {
                arm(s);
            }
        }
    }

    private void arm(Slot s) {
        long interval = s.job.interval().toNanos();
        long jitter = s.job.jitter().toNanos();
        long due = s.firstDue + s.occurrence * interval + (jitter > 0 ? random.nextLong(jitter + 1) : 0);
        long delay = Math.max(0, due - agent.ticker().read());
        s.timer = agent.loop().schedule(() -> due(s), Duration.ofNanos(delay));
    }

    private void due(Slot s) {
        if (s.removed || agent.closed()) {
            return;
        }
        // the next occurrence on the grid; any missed while the loop was late are skipped, not run in a burst
        long interval = s.job.interval().toNanos();
        long now = agent.ticker().read();
        long next = Math.max(s.occurrence + 1, (now - s.firstDue) / interval + 1);
        for (long missed = next - s.occurrence - 1; missed > 0; missed--) {
            skip(s);
        }
        s.occurrence = next;
        arm(s);
        if (s.current != null || s.queued) {
            skip(s);
            return;
        }
        if (running >= concurrency) {
            s.queued = true;
            waiting.addLast(s);
            return;
        }
        launch(s);
    }

    private void launch(Slot s) {
        JobConfig job = s.job;
        String target = s.name();
        Measurement<?, ?> m;
        try {
            m = agent.tracer().start(Requests.repeated(job, target));
        } catch (RuntimeException e) {
            failed++;
            agent.outcome(job, "failed");
            failure(job, target, "cannot be measured: " + e.getMessage());
            agent.failed(job, target, "cannot be measured: " + e.getMessage());
            return;
        }
        running++;
        s.current = m;
        s.delivered = m.result().whenComplete((result, error) -> {
            // on the tracer's callback thread: the state changes on the loop (false once it stopped: the agent is
            // closing, nothing to count); the records are written from here, a run the stop cancelled's too
            agent.loop().execute(() -> ended(s, m, error));
            if (s.removed) {
                return; // its job was removed by a reload
            }
            if (error == null && result != null) {
                agent.emit(job, job.kind(), target, result);
            } else if (error != null && !(error instanceof CancellationException)) {
                agent.failed(job, target, reason(error));
            }
        });
    }

    /** On the loop: a run ended, its slot is free and the next waiting run may start. */
    private void ended(Slot s, Measurement<?, ?> m, @Nullable Throwable error) {
        if (s.current == m) {
            s.current = null;
            running--;
        }
        if (error != null) {
            failed++;
            agent.outcome(s.job, "failed");
            if (!s.removed && !(error instanceof CancellationException)) {
                failure(s.job, s.name(), "failed: " + reason(error));
            }
        } else {
            completed++;
            agent.outcome(s.job, "completed");
        }
        drain();
    }

    /**
     * A failed run's reason, logged: at most one line per job and target a minute ({@link #FAILURE_LOG_EVERY}), the
     * lines held back counted and said with the next.
     */
    private void failure(JobConfig job, String target, String reason) {
        String key = job.name() + " " + target;
        long now = agent.ticker().read();
        long[] last = failureLog.get(key); // {when last said, held back since}
        if (last != null && now - last[0] < FAILURE_LOG_EVERY.toNanos()) {
            last[1]++;
            return;
        }
        long held = last == null ? 0 : last[1];
        if (failureLog.size() >= MAX_FAILURE_KEYS && last == null) {
            failureLog.entrySet().removeIf(e -> now - e.getValue()[0] >= FAILURE_LOG_EVERY.toNanos());
        }
        failureLog.put(key, new long[] {now, 0});
        LOG.log(Level.WARNING, "pathprobe agent: job " + job.name() + ": " + target + " " + reason
                + (held > 0 ? " (" + held + " more failure(s) of it not logged in the last minute)" : ""));
    }

    /** {@return what a failed measurement says: its cause's message, without the wrapper's class} */
    private static String reason(Throwable error) {
        Throwable t = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        return t.getMessage() != null ? t.getMessage().replace('\n', ' ') : t.toString();
    }

    private void skip(Slot s) {
        skipped++;
        agent.outcome(s.job, "skipped");
    }

    private void startMonitor(Slot s) {
        try {
            s.current = agent.tracer().start(Requests.monitor(s.job, s.name(), rounds(s.job, s.name())));
            monitors++;
            Measurement<?, ?> m = s.current;
            s.delivered = m.result().whenComplete((r, e) -> agent.loop().execute(() -> monitorEnded(s, m, e)));
        } catch (RuntimeException e) {
            failed++;
            agent.outcome(s.job, "failed");
            LOG.log(Level.WARNING, "job " + s.job.name() + ": " + s.name() + " cannot be monitored: " + e.getMessage());
        }
    }

    /** A monitor's listener that emits each round. */
    private MonitorListener rounds(JobConfig job, String target) {
        return new MonitorListener() {
            @Override
            public void roundCompleted(MonitorRound round) {
                agent.emit(job, MeasurementType.MONITOR, target, round);
            }
        };
    }

    /** On the loop: a monitor ended (cancelled with its job, or failed). */
    private void monitorEnded(Slot s, Measurement<?, ?> m, @Nullable Throwable e) {
        if (s.current != m) {
            return; // its job was removed: counted there
        }
        s.current = null;
        monitors--;
        if (e != null) {
            failed++;
            agent.outcome(s.job, "failed");
            LOG.log(Level.WARNING, "job " + s.job.name() + ": the monitor of " + s.name() + " ended: " + e);
        }
    }

    private void drain() {
        while (running < concurrency && !waiting.isEmpty()) {
            Slot s = waiting.pollFirst();
            s.queued = false;
            if (!s.removed && s.current == null && !agent.closed()) {
                launch(s);
            }
        }
    }

    /** Stops a job: timers cancelled, its running measurements cancelled. */
    void remove(String job) {
        List<Slot> list = slots.remove(job);
        if (list == null) {
            return;
        }
        jobCount = slots.size();
        List<Measurement<?, ?>> cancel = new ArrayList<>();
        for (Slot s : list) {
            s.removed = true;
            s.timer.cancel();
            waiting.remove(s);
            if (s.current != null) {
                cancel.add(s.current);
                if (s.job.kind() == MeasurementType.MONITOR) {
                    monitors--;
                } else {
                    running--;
                }
                s.current = null;
            }
        }
        cancel.forEach(Measurement::cancel); // their ends come back to the loop later: already counted here
        agent.jobRemoved(job);
        drain();
    }

    /**
     * Everything stops: no run starts again. The running measurements, for the caller to cancel off the loop, and
     * when their records are handed over: their slots stay live, so a result that ends now, or the partial result of
     * a cancelled run, still goes to the sinks (a reload's {@link #remove} drops them instead).
     */
    Stopped stopAll() {
        List<Measurement<?, ?>> cancel = new ArrayList<>();
        List<CompletableFuture<?>> delivered = new ArrayList<>();
        for (List<Slot> list : slots.values()) {
            for (Slot s : list) {
                s.timer.cancel();
                if (s.current != null) {
                    cancel.add(s.current);
                    delivered.add(s.delivered);
                }
            }
        }
        slots.clear();
        jobCount = 0;
        waiting.clear();
        return new Stopped(cancel, CompletableFuture.allOf(delivered.toArray(CompletableFuture[]::new)));
    }

    /**
     * What {@link #stopAll} leaves: the measurements still running, and a future done once each one's records were
     * handed to the sinks (for a monitor, once its last round was).
     */
    record Stopped(List<Measurement<?, ?>> running, CompletableFuture<Void> delivered) {
        /** Off the loop: cancels the runs, each ending in milliseconds, and waits for their records until then. */
        void cancelAndAwait(long deadline) {
            for (Measurement<?, ?> m : running) {
                try {
                    m.cancel();
                } catch (RuntimeException e) { // one that failed to set up: its failure is recorded already
                    LOG.log(Level.DEBUG, "pathprobe agent: at stop: " + e);
                }
            }
            try {
                delivered.exceptionally(e -> null).get(left(deadline), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                LOG.log(Level.WARNING, "pathprobe agent: a result the stop cancelled not handed over in time: lost");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@return the nanoseconds from now to {@code deadline} (of {@link System#nanoTime()}), 0 if past} */
    static long left(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    /** A record went to the sinks: on any thread. */
    void recorded() {
        records.incrementAndGet();
    }

    AgentStatistics statistics(long reloads, long reloadFailures, List<SinkStatistics> sinks) {
        return new AgentStatistics(jobCount, running + monitors, completed, failed, skipped, records.get(), reloads,
                reloadFailures, sinks);
    }
}
