package io.pathprobe.agent;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pathprobe.MeasurementType;
import io.pathprobe.PathTracer;
import io.pathprobe.TracerBudget;
import io.pathprobe.agent.metrics.AgentMetrics;
import io.pathprobe.agent.metrics.AgentPages;
import io.pathprobe.agent.metrics.MetricsServer;
import io.pathprobe.agent.sink.AgentRecord;
import io.pathprobe.agent.sink.BufferedSink;
import io.pathprobe.agent.sink.ResultSink;
import io.pathprobe.agent.sink.SinkSettings;
import io.pathprobe.agent.sink.SinkStatistics;
import io.pathprobe.time.Scheduler;
import io.pathprobe.time.Ticker;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Runs a schedule of measurements ({@link AgentConfig}) and hands every result to its sinks: the library
 * behind {@code pathprobe agent --config FILE}.
 *
 * <pre>{@code
 * try (PathProbeAgent agent = PathProbeAgent.builder().configFile(Path.of("agent.yaml")).build()) {
 *     agent.start();
 *     ...                                  // runs until closed; agent.statistics() says what it did
 * }
 * }</pre>
 *
 * <p><b>Schedule.</b> Each target of a trace, multipath or MTU job is measured every {@code interval}, on an
 * absolute grid (no drift), its first run spread over the interval with the job's other targets and each run
 * delayed by a random part of {@code jitter}. A ping job pings all its targets together once an interval; a
 * monitor job runs one monitor per target from the start, a record per round. At most
 * {@link AgentConfig.Limits#concurrency()} measurements run at once (monitors apart): a run that finds them all
 * taken waits its turn, and a run whose target's previous run is still going, or is still waiting, is skipped
 * and counted. The probe rate of the whole schedule is the tracer's ({@link AgentConfig.Limits#packetsPerSecond()}).
 *
 * <p><b>Reload.</b> Given a file, the agent reads it again every {@link Builder#reloadInterval(Duration)}; a
 * changed job is restarted, a new one started, a removed one stopped (its running measurements cancelled). A file
 * that does not parse is refused with the line named in the log, and the schedule in force keeps running. The file
 * is read and parsed off the timer thread ({@link AgentConfig#text}'s cap and checks apply) and applied on it; any
 * failure, an {@link OutOfMemoryError} included, is logged once, counted and the reload stays armed. Sinks, the
 * OTLP export and the metrics endpoint are read at start (a change to them is logged as needing a restart); the
 * concurrency and the budget (on its own tracer: {@link io.pathprobe.TracerBudget}) are applied at once.
 *
 * <p><b>Bounded.</b> Threads: one timer thread (none with a given scheduler), one per sink, and the tracer's own.
 * Memory: with pages, each target's newest result, no other; each sink's queue is bounded; monitors keep a bounded
 * window. The schedule's state changes on the agent's loop only (its timer thread, or the loop given in
 * {@link Builder#time}): a measurement's end is handed back to it, and {@link #start()}, {@link #reloadNow()} and
 * {@link #close()} run their part on it (waiting for it when called from another thread); it takes no lock.
 * Sinks run on their own threads; results reach the sinks and the observers on the tracer's callback thread, each
 * whole ({@link DeliveryGate}: close waits for them, up to {@link #STOP_GRACE} for one closing it from there).
 */
public final class PathProbeAgent implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PathProbeAgent.class.getName());

    private final @Nullable Path file;
    private final Duration reloadInterval;
    private final Scheduler loop;
    private final Ticker ticker;
    private final @Nullable ExecutorLoop ownLoop;
    private final PathTracer tracer;
    private final boolean ownTracer;
    private final List<BufferedSink> sinks = new CopyOnWriteArrayList<>();
    private volatile @Nullable AgentMetrics metrics; // set in start() (the caller), read on the callback thread
    private @Nullable PrometheusMeterRegistry prometheus;
    private volatile @Nullable MetricsServer metricsServer;
    private volatile Optional<AgentPages> pages = Optional.empty(); // set in start(), fed on the callback thread
    private final List<Consumer<AgentRecord>> observers;
    private final Jobs jobs;
    private volatile AgentConfig config;
    private final @Nullable ConfigLoad reload;
    private @Nullable String lastReloadError;
    private Scheduler.@Nullable Timer reloadTimer;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final DeliveryGate gate = new DeliveryGate(); // close() waits for the records under way
    /** What a stop gives the cancelled runs' results and the sinks' queues, together ({@link #close()}). */
    public static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private PathProbeAgent(Builder b, AgentConfig config) {
        this.file = b.file;
        this.config = config;
        this.reloadInterval = b.reloadInterval;
        if (b.scheduler != null && b.ticker != null) {
            this.loop = b.scheduler;
            this.ticker = b.ticker;
            this.ownLoop = null;
        } else {
            ExecutorLoop l = new ExecutorLoop();
            this.loop = l;
            this.ticker = l;
            this.ownLoop = l;
        }
        this.ownTracer = b.tracer == null;
        this.tracer = b.tracer != null ? b.tracer
                : PathTracer.builder().budget(config.limits().budget()).build();
        this.observers = new CopyOnWriteArrayList<>(b.observers); // and start()'s OTLP export
        this.reload = file == null ? null : new ConfigLoad(file, Objects.requireNonNull(b.configText), ownLoop != null);
        this.jobs = new Jobs(this, config.limits().concurrency());
        for (Map.Entry<SinkSettings, ResultSink> e : b.sinks.entrySet()) {
            sinks.add(new BufferedSink(e.getKey(), e.getValue()));
        }
        if (b.registry != null) {
            this.metrics = new AgentMetrics(b.registry);
        }
    }

    /** {@return a builder} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens the configured sinks and starts the schedule (and, with a file, its reload).
     *
     * @return this agent
     * @throws AgentConfigException if a sink's type is unknown or its options wrong
     * @throws IllegalStateException if started already or closed
     */
    public PathProbeAgent start() {
        if (closed.get() || !started.compareAndSet(false, true)) {
            throw new IllegalStateException(closed.get() ? "the agent is closed" : "the agent was started already");
        }
        try {
            var user = RunAs.switchable(config, source()); // user:, refused before anything opens; else null
            for (SinkSettings s : config.sinks()) {
                sinks.add(new BufferedSink(s, SinkCheck.open(source(), s)));
            }
            startMetrics();
            config.otlp().ifPresent(o -> observers.add(OtlpExport.open(source(), o)));
            RunAs.ifAny(tracer, user); // the sinks, the metrics endpoint and the transports open: as the user
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        onLoop(() -> {
            for (JobConfig j : config.jobs()) {
                jobs.add(j);
            }
            if (file != null) {
                armReload();
            }
            return null;
        });
        LOG.log(Level.DEBUG, "pathprobe agent: " + config.jobs().size() + " job(s), " + sinks.size() + " sink(s)");
        return this;
    }

    /** The configured endpoint (its own Prometheus registry), and the sinks' meters in whichever registry. */
    private void startMetrics() {
        Optional<AgentConfig.MetricsSettings> m = config.metrics();
        if (m.isPresent() && metrics == null) {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            prometheus = registry;
            metrics = new AgentMetrics(registry);
            try {
                pages = m.get().pages().map(at -> new AgentPages(at, () -> JobConfig.slots(config.jobs())));
                metricsServer = MetricsServer.start(m.get().socketAddress(), m.get().path(), registry, metrics,
                        m.get().access().options(m.get().readTimeout()),
                        pages.isPresent() ? pages.get() : MetricsServer.Pages.NONE);
            } catch (IllegalArgumentException e) {
                throw new AgentConfigException(source(), 0, 0, "metrics: " + e.getMessage());
            } catch (IOException e) {
                throw new AgentConfigException(source(), 0, 0, "metrics: cannot listen on " + m.get().address() + ": "
                        + e.getMessage());
            }
        }
        AgentMetrics am = metrics;
        if (am != null) {
            am.bindSinks(() -> sinks.stream().map(BufferedSink::statistics).toList());
            ConfigLoad r = reload;
            if (r != null) {
                am.bindReloads(r::applied, r::refused);
            }
        }
    }

    /** {@return where the metrics endpoint listens, if the schedule has one} */
    public Optional<InetSocketAddress> metricsAddress() {
        MetricsServer server = metricsServer;
        return server == null ? Optional.empty() : Optional.of(server.address());
    }

    /** A run's outcome ("completed", "failed", "skipped"), to the metrics. */
    void outcome(JobConfig job, String outcome) {
        AgentMetrics am = metrics;
        if (am != null) {
            am.measurement(job.name(), job.kind(), outcome);
        }
    }

    /** A job joined the schedule (at start, or a reload added or changed it): its run counters from 0. */
    void jobAdded(JobConfig job) {
        AgentMetrics am = metrics;
        if (am != null) {
            am.jobAdded(job.name(), job.kind());
        }
    }

    /** A job left the schedule: its series go. */
    void jobRemoved(String job) {
        AgentMetrics am = metrics;
        if (am != null) {
            am.jobRemoved(job);
        }
        pages.ifPresent(p -> p.jobRemoved(job));
    }

    private String source() {
        return file != null ? file.toString() : "config";
    }

    // ---- what the jobs call -------------------------------------------------------------------------

    Scheduler loop() {
        return loop;
    }

    Ticker ticker() {
        return ticker;
    }

    /** A result: to every sink in its format, and to the observers. On the tracer's callback thread. */
    void emit(JobConfig job, MeasurementType<?, ?> kind, String target, Object result) {
        AgentRecord r = new AgentRecord(job.name(), kind, target, job.labels(), Instant.now(), result);
        gate.deliver(() -> {
            AgentMetrics am = metrics;
            if (am != null) {
                try {
                    am.record(r, job.assertions());
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "the agent's metrics failed on " + r, e);
                }
            }
            toSinks(r);
            for (Consumer<AgentRecord> o : observers) {
                try {
                    o.accept(r);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "an agent observer failed on " + r, e);
                }
            }
        });
    }

    /** A failed run: a record with its reason to the sinks and pages (not the metrics nor observers: no result). */
    void failed(JobConfig job, String target, String reason) {
        gate.deliver(() -> toSinks(new AgentRecord(job.name(), job.kind(), target, job.labels(), Instant.now(),
                new AgentRecord.Failure(reason))));
    }

    private void toSinks(AgentRecord r) { // and to the pages, which show failed runs too; counted
        jobs.recorded();
        pages.ifPresent(p -> p.record(r));
        for (BufferedSink s : sinks) {
            try {
                s.offer(s.settings().format().lines(r));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "sink " + s.name() + ": cannot write " + r + " as " + s.settings().format(), e);
            }
        }
    }

    private void armReload() {
        reloadTimer = loop.schedule(this::reloadDue, reloadInterval);
    }

    /**
     * On the loop: the file is read and parsed off it (the agent's own loop: on the reader thread; a loop given in
     * {@link Builder#time}, on that loop, the caller's), and the result applied back on it.
     */
    private void reloadDue() {
        reloadTimer = null;
        if (closed.get()) {
            return;
        }
        armReload(); // armed whatever this reading does, even one that never returns (a file swapped for a FIFO)
        Objects.requireNonNull(reload).loadThen(l -> {
            if (!loop.execute(() -> applyReloaded(l))) {
                LOG.log(Level.DEBUG, "pathprobe agent: a reload after the loop stopped");
            }
        }, this::applyReloaded);
    }

    /** On the loop: applies what {@link ConfigLoad#load()} gave, and says a failure once (one line). */
    private void applyReloaded(ConfigLoad.Loaded l) {
        if (closed.get()) {
            return;
        }
        try {
            if (applyLoaded(l)) {
                lastReloadError = null;
                LOG.log(Level.INFO, "pathprobe agent: " + file + " changed: " + config.jobs().size() + " job(s) now");
            }
        } catch (Throwable e) {
            String line = "pathprobe agent: " + e.getMessage() + " (the schedule in force keeps running)";
            if (!line.equals(lastReloadError)) {
                LOG.log(Level.WARNING, line);
            }
            lastReloadError = line;
        }
    }

    /**
     * Reads the file again now and applies what changed (nothing if it is unchanged). The file is read and parsed on
     * the calling thread; what changed is applied on the agent's loop, this call waiting for it.
     *
     * @return whether a changed schedule was applied
     * @throws AgentConfigException if the file changed and cannot be run as written (the schedule in force
     *     keeps running)
     */
    public boolean reloadNow() {
        if (file == null) {
            throw new IllegalStateException("the agent was given no file");
        }
        ConfigLoad.Loaded l = Objects.requireNonNull(reload).load();
        return onLoop(() -> applyLoaded(l));
    }

    /**
     * Runs {@code work} on the agent's loop and returns what it returns: at once when called on the loop or when the
     * loop is the caller's (given in {@link Builder#time}), else handed to the timer thread and waited for.
     */
    private <T> T onLoop(Supplier<T> work) {
        ExecutorLoop own = ownLoop;
        return own == null || loop.inLoop() ? work.get() : own.call(work);
    }

    /** On the loop: applies a reading; a failure is counted and thrown as one line. */
    private boolean applyLoaded(ConfigLoad.Loaded l) {
        String source = source();
        ConfigLoad r = Objects.requireNonNull(reload);
        if (l.error() != null) {
            r.refused(l.text()); // said once, not every interval
            throw l.error() instanceof AgentConfigException e ? e : new AgentConfigException(source, 0, 0,
                    "cannot be reloaded: " + l.error());
        }
        AgentConfig next = l.next();
        if (next == null) {
            return false;
        }
        String text = Objects.requireNonNull(l.text());
        try {
            apply(next);
        } catch (Throwable e) {
            r.refused(text);
            throw new AgentConfigException(source, 0, 0, "cannot be applied: " + e);
        }
        r.applied(text);
        return true;
    }

    private void apply(AgentConfig next) {
        if (!next.startsAs(config)) {
            LOG.log(Level.WARNING, "pathprobe agent: the sinks, metrics, otlp or user changed in " + file
                    + ": restart the agent to apply them (the jobs are applied now)");
        }
        if (ownTracer && !next.limits().budget().equals(config.limits().budget())) {
            TracerBudget.of(tracer).set(next.limits().budget()); // from now on, the runs going too
        }
        jobs.reschedule(config.jobs(), next.jobs(), next.limits().concurrency());
        config = next;
    }

    // ---- state ------------------------------------------------------------------------------------

    /** {@return the schedule in force} */
    public AgentConfig config() {
        return config;
    }

    /** {@return what it did so far} */
    public AgentStatistics statistics() {
        List<SinkStatistics> s = sinks.stream().map(BufferedSink::statistics).toList();
        ConfigLoad r = reload;
        return jobs.statistics(r == null ? 0 : r.applied(), r == null ? 0 : r.refused(), s);
    }

    /** {@return the tracer it measures with} */
    public PathTracer tracer() {
        return tracer;
    }

    /**
     * Stops (docs/agent.md, "Stop"): no measurement starts from now on; the running ones are cancelled, and their
     * partial results (status {@code CANCELLED}), like any result that ends meanwhile, go to every sink and observer
     * (the OTLP export's spans); then no record is taken any more, the sinks write what they hold and close, the OTLP
     * export flushes and shuts down, and its tracer (if it made it) and its thread close. All but the export share
     * {@link #STOP_GRACE} (what is not written by then is dropped and counted; a sink stuck in a write gets 1 s more);
     * the export takes up to its {@code timeout} more. Nothing is written after it returns. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        Jobs.Stopped stopped = onLoop(() -> {
            Scheduler.Timer t = reloadTimer;
            if (t != null) {
                t.cancel();
            }
            return jobs.stopAll();
        });
        stopped.cancelAndAwait(deadline); // their partial results handed to the sinks
        if (!gate.drain(Duration.ofNanos(Jobs.left(deadline)))) {
            LOG.log(Level.WARNING, "pathprobe agent: a record still being delivered at stop; closing without it");
        }
        for (BufferedSink s : sinks) { // their writers drain at once: one grace for all
            s.close(Duration.ofNanos(Jobs.left(deadline)));
        }
        observers.stream().filter(OtlpExport.class::isInstance).forEach(o -> ((OtlpExport) o).close());
        if (metricsServer != null) {
            metricsServer.close();
        }
        if (prometheus != null) {
            prometheus.close();
        }
        if (ownTracer) {
            tracer.close();
        }
        if (ownLoop != null) {
            ownLoop.close();
        }
        if (reload != null) {
            reload.close();
        }
    }

    boolean closed() {
        return closed.get();
    }

    @Override
    public String toString() {
        return "PathProbeAgent[" + statistics() + "]";
    }

    /** Builds an agent; {@link #configFile} or {@link #config} is needed. */
    public static final class Builder {
        private @Nullable Path file;
        private @Nullable AgentConfig config;
        private @Nullable String configText;
        private Duration reloadInterval = Duration.ofSeconds(5);
        private @Nullable PathTracer tracer;
        private @Nullable Scheduler scheduler;
        private @Nullable Ticker ticker;
        private final Map<SinkSettings, ResultSink> sinks = new LinkedHashMap<>();
        private final List<Consumer<AgentRecord>> observers = new ArrayList<>();
        private @Nullable MeterRegistry registry;

        private Builder() {}

        /**
         * Publish the agent's meters (docs/observability.md, "Agent metrics") in this registry, the application's
         * own, instead of an endpoint of the agent's: the schedule's {@code metrics} section is then not served.
         *
         * @param registry the registry
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * The schedule's file (YAML or JSON), read at {@link #build()} and again every reload interval.
         *
         * @param file the file
         * @return this builder
         */
        public Builder configFile(Path file) {
            this.file = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * A schedule made in code (no reload).
         *
         * @param config the schedule
         * @return this builder
         */
        public Builder config(AgentConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * How often the file is read again (default 5 s).
         *
         * @param interval the reload interval, positive
         * @return this builder
         */
        public Builder reloadInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("reloadInterval must be positive, was " + interval);
            }
            this.reloadInterval = interval;
            return this;
        }

        /**
         * Measure with this tracer (not closed by the agent); by default the agent builds one with the schedule's
         * probe rate and closes it.
         *
         * @param tracer the tracer
         * @return this builder
         */
        public Builder tracer(PathTracer tracer) {
            this.tracer = Objects.requireNonNull(tracer, "tracer");
            return this;
        }

        /**
         * Run the schedule's timers on this clock and loop (fake time in tests; give the tracer the same).
         *
         * @param ticker the clock
         * @param scheduler the loop
         * @return this builder
         */
        public Builder time(Ticker ticker, Scheduler scheduler) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * A sink made in code, besides the configured ones (buffered as they are).
         *
         * @param settings its name, format and buffer
         * @param sink the sink, closed by the agent
         * @return this builder
         */
        public Builder sink(SinkSettings settings, ResultSink sink) {
            sinks.put(Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(sink, "sink"));
            return this;
        }

        /**
         * Sees every record, on the thread that produced it (the tracer's callback executor): it must be quick and
         * must not block (the agent's metrics are one).
         *
         * @param observer the observer
         * @return this builder
         */
        public Builder observer(Consumer<AgentRecord> observer) {
            observers.add(Objects.requireNonNull(observer, "observer"));
            return this;
        }

        /**
         * {@return the agent, not started}
         *
         * @throws AgentConfigException if the file cannot be read or run as written
         * @throws IllegalStateException with neither a file nor a schedule, or both
         */
        public PathProbeAgent build() {
            if ((file == null) == (config == null)) {
                throw new IllegalStateException("give the agent a configFile or a config (one of them)");
            }
            AgentConfig c = config;
            if (file != null) {
                configText = AgentConfig.text(file);
                c = AgentConfig.parse(configText, file.toString());
            }
            return new PathProbeAgent(this, Objects.requireNonNull(c));
        }
    }
}
