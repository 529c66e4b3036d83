package io.pathprobe.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.PathTracer;
import io.pathprobe.agent.sink.RecordFormat;
import io.pathprobe.agent.sink.ResultSink;
import io.pathprobe.agent.sink.SinkSettings;
import io.pathprobe.testing.FakeTime;
import io.pathprobe.testing.ScriptedHop;
import io.pathprobe.testing.ScriptedTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's schedule on fake time against a scripted path: what runs when, and what reaches a sink. */
class AgentScheduleTest {
    private FakeTime time;
    private PathTracer tracer;
    private final List<String> lines = new ArrayList<>();
    private final ResultSink collect = new ResultSink() {
        @Override
        public void write(String record) {
            synchronized (lines) {
                lines.add(record);
            }
        }

        @Override
        public void close() {}
    };

    @BeforeEach
    void scriptedPath() {
        time = new FakeTime();
        ScriptedTransport path = ScriptedTransport.builder(time)
                .hop(ScriptedHop.router("198.18.2.1").delay(Duration.ofMillis(2)))
                .hop(ScriptedHop.router("198.18.2.2").delay(Duration.ofMillis(5)).loseEvery(4))
                .destination(ScriptedHop.destination().delay(Duration.ofMillis(10)))
                .build();
        tracer = PathTracer.builder().transport(path).ticker(time).scheduler(time).offline().build();
    }

    @AfterEach
    void closeTracer() {
        tracer.close();
    }

    private PathProbeAgent agent;

    private PathProbeAgent agent(AgentConfig config) {
        return agent = PathProbeAgent.builder().config(config).tracer(tracer).time(time, time)
                .sink(new SinkSettings("test", "test", RecordFormat.PATHPROBE, 100_000, Map.of()), collect).build();
    }

    /**
     * Starts an agent on {@code file}, written with job {@code a} (a ping of 198.18.4.1 every 10 s) and read again
     * every 5 s, over {@code through}.
     */
    private PathProbeAgent startedFromFile(Path file, PathTracer through) throws java.io.IOException {
        Files.writeString(file, "jobs:\n  - {name: a, kind: ping, target: 198.18.4.1, interval: 10s, count: 1}\n");
        agent = PathProbeAgent.builder().configFile(file).reloadInterval(Duration.ofSeconds(5))
                .tracer(through).time(time, time)
                .sink(new SinkSettings("test", "test", RecordFormat.PATHPROBE, 1000, Map.of()), collect).build();
        agent.start();
        return agent;
    }

    /** The records the sink has written so far (its writer thread runs in real time: waits until it has caught up). */
    private List<String> records(String job) {
        long end = System.nanoTime() + 10_000_000_000L;
        while (agent != null && System.nanoTime() < end
                && agent.statistics().sinks().stream().anyMatch(k -> k.queued() > 0)) {
            Thread.onSpinWait();
        }
        synchronized (lines) {
            return lines.stream().filter(l -> l.contains("\"job\":\"" + job + "\"")).toList();
        }
    }

    @Test
    void everyJobRunsOnItsGridAndEachResultIsOneRecord() {
        PathProbeAgent agent = agent(AgentConfig.parse(AgentConfigTest.SCHEDULE.replace("sinks:", "unused:")
                .replaceAll("(?s)unused:.*?metrics:", "metrics:").replace("metrics:\n  port: 0\n", ""), "t"));
        agent.start();
        time.advance(Duration.ofSeconds(299));
        AgentStatistics s = agent.statistics();
        agent.close();

        // two targets a minute, the second half a minute after the first: five runs each in 299 s
        assertThat(records("web")).hasSize(10).allSatisfy(l -> assertThat(l).contains("\"kind\":\"trace\"",
                "\"labels\":{\"service\":\"web\"}", "\"record\":1"));
        assertThat(records("web")).filteredOn(l -> l.contains("\"target\":\"198.18.1.2\"")).hasSize(5);
        assertThat(records("edge")).hasSize(30).allSatisfy(l -> assertThat(l).contains("\"kind\":\"ping\""));
        // a monitor round a second: a record each
        assertThat(records("watch")).hasSizeBetween(290, 300)
                .allSatisfy(l -> assertThat(l).contains("\"kind\":\"monitor\""));
        assertThat(s.failed()).isZero();
        assertThat(s.skipped()).isZero();
        assertThat(s.records()).isEqualTo(lines.size());
        assertThat(s.sinks()).singleElement().satisfies(k -> {
            assertThat(k.dropped()).isZero();
            assertThat(k.written() + k.queued()).isEqualTo(s.records());
        });
        assertThat(agent.statistics().running()).isZero();
    }

    @Test
    void noMoreRunAtOnceThanTheLimitAndARunStillGoingIsSkipped() {
        // a silent path: each trace waits out its probes (about 3 s), the interval is 1 s, one at a time
        FakeTime slow = time;
        tracer.close();
        ScriptedTransport silent = ScriptedTransport.builder(slow).hop(ScriptedHop.silent()).hop(ScriptedHop.silent())
                .destination(ScriptedHop.destination().delay(Duration.ofMillis(10)).loseEvery(1)).build();
        tracer = PathTracer.builder().transport(silent).ticker(slow).scheduler(slow).offline().build();
        PathProbeAgent agent = agent(AgentConfig.parse("""
                limits: {concurrency: 1}
                jobs:
                  - {name: slow, kind: trace, targets: [198.18.3.1, 198.18.3.2, 198.18.3.3], interval: 1s,
                     options: {maxTtl: 3, probeTimeout: 1s}}
                """, "t"));
        agent.start();
        int most = 0;
        for (int i = 0; i < 600; i++) {
            time.advance(Duration.ofMillis(100));
            most = Math.max(most, agent.statistics().running());
        }
        AgentStatistics s = agent.statistics();
        agent.close();
        assertThat(most).isEqualTo(1);
        assertThat(s.completed()).isPositive();
        assertThat(s.skipped()).isPositive();
        // every occurrence is either run, skipped, or the one still running or waiting at the end
        assertThat(s.completed() + s.skipped() + s.failed()).isBetween(3L * 60 - 6, 3L * 60);
    }

    @Test
    void aChangedFileChangesTheJobsAndABadOneIsRefusedWhileTheOldScheduleRuns(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("agent.yaml");
        PathProbeAgent agent = startedFromFile(file, tracer);
        time.advance(Duration.ofSeconds(12));
        assertThat(records("a")).hasSize(2);

        Files.writeString(file, "jobs:\n  - {name: b, kind: ping, target: 198.18.4.2, interval: 10s, count: 1}\n");
        time.advance(Duration.ofSeconds(20));
        assertThat(agent.config().jobs()).extracting(JobConfig::name).containsExactly("b");
        int aRecords = records("a").size();
        assertThat(records("b")).hasSizeGreaterThanOrEqualTo(1);

        Files.writeString(file, "jobs:\n  - {name: c, kind: ping, target: 198.18.4.3, interval: 1O s}\n");
        time.advance(Duration.ofSeconds(20));
        AgentStatistics s = agent.statistics();
        agent.close();
        assertThat(agent.config().jobs()).extracting(JobConfig::name).containsExactly("b");
        assertThat(s.reloads()).isEqualTo(1);
        assertThat(s.reloadFailures()).isEqualTo(1);
        assertThat(records("a")).hasSize(aRecords); // stopped when it left the file
        assertThat(records("b")).hasSizeGreaterThanOrEqualTo(3);
        assertThat(records("c")).isEmpty();
    }

    /**
     * The run counters of every job the schedule loads are in the registry at 0 before its first run, one per
     * outcome; a reload that removes a job takes them along, and the job it adds has them at 0.
     */
    @Test
    void eachJobsRunCountersStartAtZeroWhenLoadedAndGoWhenAReloadRemovesIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("agent.yaml");
        Files.writeString(file, "jobs:\n  - {name: a, kind: ping, target: 198.18.4.1, interval: 10s, count: 1}\n"
                + "  - {name: t, kind: trace, target: 198.18.4.9, interval: 1m}\n");
        io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry =
                new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                        io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        agent = PathProbeAgent.builder().configFile(file).reloadInterval(Duration.ofSeconds(5)).tracer(tracer)
                .time(time, time).meterRegistry(registry).build().start();
        String scrape = registry.scrape();
        for (String outcome : List.of("completed", "failed", "skipped")) {
            assertThat(scrape).as("before any run").contains("pathprobe_agent_measurements_total{kind=\"ping\","
                    + "outcome=\"" + outcome + "\",pathprobe_job=\"a\"} 0.0", "pathprobe_agent_measurements_total{"
                    + "kind=\"trace\",outcome=\"" + outcome + "\",pathprobe_job=\"t\"} 0.0");
        }
        Files.writeString(file, "jobs:\n  - {name: b, kind: ping, target: 198.18.4.2, interval: 10m, count: 1}\n"
                + "  - {name: t, kind: trace, target: 198.18.4.9, interval: 1m}\n");
        assertThat(agent.reloadNow()).isTrue();
        scrape = registry.scrape();
        agent.close();
        assertThat(scrape).doesNotContain("pathprobe_job=\"a\"")
                .contains("pathprobe_agent_measurements_total{kind=\"ping\",outcome=\"skipped\",pathprobe_job=\"b\"}"
                        + " 0.0", "pathprobe_agent_measurements_total{kind=\"ping\",outcome=\"completed\","
                        + "pathprobe_job=\"b\"} ");
        assertThat(scrape.lines().filter(l -> l.startsWith("pathprobe_agent_measurements_total{")))
                .as("a's gone, b's and t's three each").hasSize(6);
    }

    /**
     * Issue 72: a reload that puts a hop assertion on a ping job is refused as every bad file is (typed, naming the
     * job and the assertion, counted): the schedule in force keeps running, the refused job never runs.
     */
    @Test
    void aReloadWithAHopAssertionOnAPingJobIsRefusedAndTheOldScheduleRuns(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("agent.yaml");
        PathProbeAgent agent = startedFromFile(file, tracer);
        time.advance(Duration.ofSeconds(12));
        int before = records("a").size();
        assertThat(before).isPositive();

        Files.writeString(file, "jobs:\n  - {name: c, kind: ping, target: 198.18.4.3, interval: 10s, count: 1,"
                + " assert: {must-reach: true, must-traverse: AS64500}}\n");
        assertThatThrownBy(agent::reloadNow).isInstanceOf(AgentConfigException.class)
                .hasMessageEndingWith("jobs[0].assert.must-traverse: job 'c': --must-traverse AS64500 reads a trace or "
                        + "a monitor, not a ping");
        time.advance(Duration.ofSeconds(20)); // the timed reload reads the same file: still refused
        AgentStatistics s = agent.statistics();
        agent.close();
        assertThat(agent.config().jobs()).extracting(JobConfig::name).containsExactly("a");
        assertThat(s.reloads()).isZero();
        assertThat(s.reloadFailures()).isPositive();
        assertThat(records("a")).hasSizeGreaterThan(before); // the old schedule ran on
        assertThat(records("c")).isEmpty();
    }

    @Test
    void eachSinkWritesItsOwnFormatAndSkipsWhatTheFormatHasNoRecordFor() {
        List<String> atlas = new ArrayList<>();
        List<String> scamper = new ArrayList<>();
        agent = PathProbeAgent.builder().tracer(tracer).time(time, time)
                .config(AgentConfig.parse("""
                        jobs:
                          - {name: t, kind: trace, target: 198.18.5.1, interval: 60s}
                          - {name: p, kind: ping, targets: [198.18.5.2, 198.18.5.3], interval: 60s, count: 2}
                        """, "t"))
                .sink(new SinkSettings("atlas", "test", RecordFormat.ATLAS, 100, Map.of()), collector(atlas))
                .sink(new SinkSettings("scamper", "test", RecordFormat.SCAMPER, 100, Map.of()), collector(scamper))
                .build();
        agent.start();
        time.advance(Duration.ofSeconds(50));
        AgentStatistics s = agent.statistics();
        agent.close();
        assertThat(s.records()).isEqualTo(2);
        // Atlas: the trace as a traceroute record, the ping as one record per target
        assertThat(atlas).hasSize(3);
        assertThat(atlas).filteredOn(l -> l.contains("\"type\":\"traceroute\"")).hasSize(1);
        assertThat(atlas).filteredOn(l -> l.contains("\"type\":\"ping\"")).hasSize(2);
        // scamper: the trace alone (scamper has no ping object)
        assertThat(scamper).singleElement().satisfies(l -> assertThat(l).startsWith("{\"type\":\"trace\"")
                .contains("\"dst\":\"198.18.5.1\""));
    }

    private static ResultSink collector(List<String> into) {
        return new ResultSink() {
            @Override
            public void write(String record) {
                synchronized (into) {
                    into.add(record);
                }
            }

            @Override
            public void close() {}
        };
    }

    @Test
    void aFailedRunIsRecordedWithItsReasonAndLoggedAtMostOnceAMinutePerTarget() {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(PathProbeAgent.class.getName());
        List<String> said = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler h = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getMessage().contains("job v6:")) {
                    said.add(r.getMessage());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        log.addHandler(h);
        try {
            agent(AgentConfig.parse("jobs:\n  - {name: v6, kind: trace, targets: [198.18.4.1, 198.18.4.2],"
                    + " interval: 1s, options: {ipVersion: 6}}\n", "agent.yaml")).start();
            time.advance(Duration.ofSeconds(150));
            AgentStatistics s = agent.statistics();
            assertThat(s.failed()).isGreaterThanOrEqualTo(2 * 149);
            // and each is a record with its error in place of a result
            assertThat(records("v6")).hasSize((int) s.failed()).allMatch(l -> l.contains("\"error\":\"'198.18.4.")
                    && l.contains("the request asks for IPV6\"") && !l.contains("\"result\""));
            // each target: at 0, 60 and 120 s, the later lines saying how many were held back
            assertThat(said).hasSize(6).allMatch(l -> l.contains("IPv4 address; the request asks for IPV6"));
            assertThat(said.stream().filter(l -> l.contains("198.18.4.1")).toList()).hasSize(3)
                    .element(1).asString().contains("(59 more failure(s) of it not logged in the last minute)");
        } finally {
            log.removeHandler(h);
        }
    }

    @Test
    void anErrorWhileApplyingAReloadIsCountedAndALaterGoodFileIsApplied(@TempDir Path dir) throws Exception {
        PathTracer failing = (PathTracer) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PathTracer.class}, (proxy, method, args) -> {
                    if (args != null && args.length == 1 && args[0] instanceof io.pathprobe.monitor.MonitorRequest) {
                        throw new OutOfMemoryError("a test's: the monitor cannot start");
                    }
                    try {
                        return method.invoke(tracer, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Path file = dir.resolve("agent.yaml");
        PathProbeAgent agent = startedFromFile(file, failing);
        Files.writeString(file, "jobs:\n  - {name: m, kind: monitor, target: 198.18.4.2}\n");
        time.advance(Duration.ofSeconds(12));
        assertThat(agent.statistics().reloadFailures()).isEqualTo(1);
        Files.writeString(file, "jobs:\n  - {name: b, kind: ping, target: 198.18.4.3, interval: 10s, count: 1}\n");
        time.advance(Duration.ofSeconds(22));
        assertThat(agent.config().jobs()).extracting(JobConfig::name).containsExactly("b");
        assertThat(records("b")).isNotEmpty();
        agent.close();
    }

    /**
     * A monitor job that cannot start, and one whose monitor ends with an error, are runs that failed: each is
     * counted in {@code pathprobe_agent_measurements_total{outcome="failed"}} as in the statistics' failed count.
     */
    @Test
    void aMonitorThatCannotStartOrEndsWithAnErrorIsCountedAsAFailedRun() {
        java.util.concurrent.CompletableFuture<Object> ends = new java.util.concurrent.CompletableFuture<>();
        PathTracer failing = (PathTracer) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PathTracer.class}, (proxy, method, args) -> {
                    if (args != null && args.length == 1 && args[0] instanceof io.pathprobe.monitor.MonitorRequest r) {
                        if (r.target().toString().contains("198.18.4.2")) {
                            throw new IllegalStateException("a test's: the monitor cannot start");
                        }
                        io.pathprobe.Measurement<?, ?> m = (io.pathprobe.Measurement<?, ?>) method.invoke(tracer, args);
                        return java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                                new Class<?>[] {io.pathprobe.Measurement.class}, (p2, m2, a2) ->
                                        m2.getName().equals("result") ? ends : m2.invoke(m, a2));
                    }
                    try {
                        return method.invoke(tracer, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry =
                new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                        io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        agent = PathProbeAgent.builder().config(AgentConfig.parse("jobs:\n"
                        + "  - {name: bad, kind: monitor, target: 198.18.4.2}\n"
                        + "  - {name: ends, kind: monitor, target: 198.18.4.3}\n", "agent.yaml"))
                .tracer(failing).time(time, time).meterRegistry(registry).build().start();
        time.advance(Duration.ofSeconds(3));
        ends.completeExceptionally(new java.io.UncheckedIOException(new java.io.IOException("a test's: socket gone")));
        time.advance(Duration.ofSeconds(3));
        AgentStatistics s = agent.statistics();
        String scrape = registry.scrape();
        agent.close();

        assertThat(s.failed()).isEqualTo(2);
        assertThat(scrape).contains(
                "pathprobe_agent_measurements_total{kind=\"monitor\",outcome=\"failed\",pathprobe_job=\"bad\"} 1.0",
                "pathprobe_agent_measurements_total{kind=\"monitor\",outcome=\"failed\",pathprobe_job=\"ends\"} 1.0",
                "pathprobe_agent_measurements_total{kind=\"monitor\",outcome=\"completed\",pathprobe_job=\"ends\"} 0.0");
    }
}
