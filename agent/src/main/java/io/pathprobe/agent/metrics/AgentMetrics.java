package io.pathprobe.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.pathprobe.MeasurementType;
import io.pathprobe.agent.sink.AgentRecord;
import io.pathprobe.agent.sink.SinkStatistics;
import io.pathprobe.check.Assertion;
import io.pathprobe.check.Assertions;
import io.pathprobe.check.Verdict;
import io.pathprobe.monitor.MonitorRound;
import io.pathprobe.mtu.MtuResult;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.trace.TraceResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The agent's metrics in a Micrometer registry (a {@code PrometheusMeterRegistry} for {@link MetricsServer}, or
 * any other, e.g. OTLP's): gauges of every job's newest result per target, hop and flow, path ids and their
 * change counters, runs by outcome and the sinks' counters. Every name, type, unit and label is listed in
 * docs/observability.md, "Agent metrics (Prometheus)"; the states of the jobs' assertions with them.
 *
 * <p>Series stay bounded by the configuration and the newest results: no series is made per probe; a hop's,
 * flow's or multipath path's series go when the newest result of its job and target no longer has it (or no
 * longer has the value: a silent hop has no RTT); a job's run counters are there from {@link #jobAdded}, at 0, and a
 * job's series go with {@link #jobRemoved}. The job's configured labels
 * are not put on the series: Prometheus wants every series of a name to have the same label names, and jobs'
 * labels differ; the {@code pathprobe_job} label names the job.
 *
 * <p>Thread-safe: the agent's threads may call every method at once; each takes one lock. A scrape should run
 * under it too, through {@link #steady} ({@link MetricsServer} does): a result replaces its series, removing some
 * and registering others, and Micrometer's Prometheus registry fails a scrape that runs while a gauge is removed and
 * registered again with the same labels (a hop's responder that changes back, say) with a
 * {@code DuplicateLabelsException}: its scrape walks the series while they change. Under the lock a scrape also sees
 * each result's series whole, never half of one result's and half of the next's.
 */
public final class AgentMetrics {
    /** How a run ends, the {@code outcome} of the run counters: completed, failed, skipped. */
    public static final List<String> OUTCOMES = List.of("completed", "failed", "skipped");

    private final MeterRegistry registry;
    private final Gauges gauges;
    private final PathTracker paths;
    private final SinkMeters sinks;
    private final Map<String, List<Counter>> jobCounters = new HashMap<>();
    private final Object lock = new Object();
    /** What the reload counters read: a function counter holds its object weakly, so it is held here. */
    private final List<java.util.function.LongSupplier> reloads = new ArrayList<>();

    /**
     * Metrics in {@code registry}; nothing is registered until the first call.
     *
     * @param registry where the meters go
     */
    public AgentMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.gauges = new Gauges(registry);
        this.paths = new PathTracker(registry);
        this.sinks = new SinkMeters(registry);
    }

    /**
     * Takes one measurement's result: sets the gauges of its job and target to what it says, removing those the
     * result no longer has, and counts a path change where a flow's path changed.
     *
     * @param r the record the agent made of the result
     */
    public void record(AgentRecord r) {
        record(r, List.of());
    }

    /**
     * Takes one measurement's result, as {@link #record(AgentRecord)}, and checks it against the job's assertions:
     * {@code pathprobe_assertion_state} 1 for each that held, 0 for each that did not (failed, or not applicable:
     * the result cannot show it, as {@code pathprobe check} exits 1 for both), and
     * {@code pathprobe_assertion_failures_total} counts the results each did not hold on. A monitor's round is
     * checked as its trace; a ping on its first target; a multipath or MTU result is not checked.
     *
     * @param r the record the agent made of the result
     * @param assertions the job's assertions; empty for none
     */
    public void record(AgentRecord r, List<? extends Assertion> assertions) {
        Objects.requireNonNull(r, "r");
        Objects.requireNonNull(assertions, "assertions");
        synchronized (lock) {
            String job = r.job();
            String target = r.target();
            MeasurementType<?, ?> kind = r.kind();
            List<Verdict> verdicts = List.of();
            if (kind == MeasurementType.TRACE) {
                gauges.publish(new Gauges.Owner(job, "path", target),
                        ResultSamples.trace(job, target, (TraceResult) r.result(), paths));
                verdicts = Assertions.check((TraceResult) r.result(), assertions);
            } else if (kind == MeasurementType.MONITOR) {
                TraceResult round = ((MonitorRound) r.result()).trace();
                gauges.publish(new Gauges.Owner(job, "path", target), ResultSamples.trace(job, target, round, paths));
                verdicts = Assertions.check(round, assertions);
            } else if (kind == MeasurementType.PING) {
                List<Sample> out = new ArrayList<>();
                PingResult ping = (PingResult) r.result();
                for (PingTargetResult t : ping.targets()) {
                    ResultSamples.ping(out, job, t);
                }
                gauges.publish(new Gauges.Owner(job, "ping", target), out);
                verdicts = assertions.isEmpty() || ping.targets().isEmpty() ? List.of()
                        : Assertions.check(ping, assertions);
            } else if (kind == MeasurementType.MULTIPATH) {
                gauges.publish(new Gauges.Owner(job, "multipath", target),
                        ResultSamples.multipath(job, target, (MultipathResult) r.result()));
            } else {
                gauges.publish(new Gauges.Owner(job, "mtu", target),
                        ResultSamples.mtu(job, target, (MtuResult) r.result()));
            }
            gauges.publish(new Gauges.Owner(job, "agent", target), ResultSamples.agent(job, target, r.time()));
            gauges.publish(new Gauges.Owner(job, "assertion", target), assertionStates(job, target, verdicts));
            sinks.sync();
        }
    }

    /** Each verdict's state as a gauge; its failures counter counts one more when it did not hold. */
    private List<Sample> assertionStates(String job, String target, List<Verdict> verdicts) {
        List<Sample> out = new ArrayList<>();
        for (Verdict v : verdicts) {
            Tags tags = Tags.of(MetricNames.JOB, job, MetricNames.TARGET, target, MetricNames.ASSERTION,
                    v.assertion().toString());
            boolean held = v.state() == Verdict.State.HELD;
            out.add(new Sample(MetricNames.ASSERTION_STATE, null, "Whether the job's assertion held on the newest "
                    + "result of the target: 1 held, 0 not (failed or not applicable)", tags, held ? 1 : 0));
            Counter failures = Counter.builder(MetricNames.ASSERTION_FAILURES).description("Results of the job and "
                    + "target its assertion did not hold on (failed or not applicable)").tags(tags).register(registry);
            List<Counter> mine = jobCounters.computeIfAbsent(job, j -> new ArrayList<>());
            if (!mine.contains(failures)) {
                mine.add(failures);
            }
            if (!held) {
                failures.increment();
            }
        }
        return out;
    }

    /**
     * A job joined the schedule (at start, or a reload added or changed it): its run counters, one per
     * {@link #OUTCOMES outcome}, are registered at 0, so that the first run of each outcome is an increase
     * Prometheus sees ({@code increase()} counts from a series' first sample: a series that appeared at 1 would not
     * count its first run, and an alert on it would miss the first skipped or failed run). A job already known keeps
     * its counts.
     *
     * @param job the job's name
     * @param kind what it measures
     */
    public void jobAdded(String job, MeasurementType<?, ?> kind) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(kind, "kind");
        synchronized (lock) {
            for (String outcome : OUTCOMES) {
                runs(job, kind, outcome);
            }
        }
    }

    /**
     * Counts one run of a job by how it ended.
     *
     * @param job the job's name
     * @param kind what it measures
     * @param outcome {@code "completed"}, {@code "failed"} or {@code "skipped"} (the previous run still ran)
     */
    public void measurement(String job, MeasurementType<?, ?> kind, String outcome) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(outcome, "outcome");
        synchronized (lock) {
            runs(job, kind, outcome).increment();
            sinks.sync();
        }
    }

    /** Under the lock: the run counter of a job and outcome, registered (at 0) if it was not. */
    private Counter runs(String job, MeasurementType<?, ?> kind, String outcome) {
        Counter c = Counter.builder(MetricNames.MEASUREMENTS)
                .description("Runs of the job by outcome: completed, failed or skipped")
                .tags(Tags.of(MetricNames.JOB, job, MetricNames.KIND, kind.name(), MetricNames.OUTCOME, outcome))
                .register(registry);
        List<Counter> mine = jobCounters.computeIfAbsent(job, j -> new ArrayList<>());
        if (!mine.contains(c)) {
            mine.add(c);
        }
        return c;
    }

    /**
     * Forgets a job that left the schedule: removes every series of it (gauges, path-change counters, run
     * counters) and its path history (if it comes back, its paths start anew).
     *
     * @param job the job's name
     */
    public void jobRemoved(String job) {
        Objects.requireNonNull(job, "job");
        synchronized (lock) {
            gauges.removeJob(job);
            paths.removeJob(job);
            List<Counter> mine = jobCounters.remove(job);
            if (mine != null) {
                mine.forEach(registry::remove);
            }
        }
    }

    /**
     * Binds the sinks' figures: function counters of the records written, dropped and failed writes, and gauges of
     * the records queued and whether the sink is up, tagged {@code sink}. They read {@code sinks} when the registry
     * is scraped; sinks that appear or go later are added or removed at the next {@link #record} or
     * {@link #measurement}.
     *
     * @param sinks the sinks' statistics now (called on every scrape, from the scraping thread)
     */
    public void bindSinks(Supplier<List<SinkStatistics>> sinks) {
        Objects.requireNonNull(sinks, "sinks");
        synchronized (lock) {
            this.sinks.bind(sinks);
        }
    }

    /**
     * Binds the schedule's reloads: a function counter {@code pathprobe.agent.reloads} tagged {@code outcome}
     * {@code applied} (a changed file took effect) or {@code refused} (it could not be read, parsed or applied, and
     * the schedule in force kept running), read when the registry is scraped.
     *
     * @param applied reloads applied so far (called from the scraping thread)
     * @param refused reloads refused so far (called from the scraping thread)
     */
    public void bindReloads(java.util.function.LongSupplier applied, java.util.function.LongSupplier refused) {
        Objects.requireNonNull(applied, "applied");
        Objects.requireNonNull(refused, "refused");
        synchronized (lock) {
            for (String outcome : List.of("applied", "refused")) {
                java.util.function.LongSupplier read = outcome.equals("applied") ? applied : refused;
                reloads.add(read); // else collected: the counter would stay at the value it last read
                io.micrometer.core.instrument.FunctionCounter.builder(MetricNames.RELOADS, read,
                        java.util.function.LongSupplier::getAsLong).description("Reloads of the agent's file by "
                        + "outcome: applied, or refused (the schedule in force kept running)")
                        .tags(MetricNames.OUTCOME, outcome).register(registry);
            }
        }
    }

    /**
     * Runs {@code read} (a scrape of the registry) while no result changes the series: the scrape sees every
     * result's series whole, and no series removed and registered again in the middle of it.
     *
     * @param read what reads the registry, e.g. {@code registry::scrape}
     * @param <T> what it returns
     * @return what {@code read} returned
     */
    public <T> T steady(Supplier<T> read) {
        Objects.requireNonNull(read, "read");
        synchronized (lock) {
            return read.get();
        }
    }
}
