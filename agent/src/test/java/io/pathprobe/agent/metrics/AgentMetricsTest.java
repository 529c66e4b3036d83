package io.pathprobe.agent.metrics;

import static io.pathprobe.agent.metrics.Results.destination;
import static io.pathprobe.agent.metrics.Results.hop;
import static io.pathprobe.agent.metrics.Results.ms;
import static io.pathprobe.agent.metrics.Results.record;
import static io.pathprobe.agent.metrics.Results.router;
import static io.pathprobe.agent.metrics.Results.rtt;
import static io.pathprobe.agent.metrics.Results.trace;
import static io.pathprobe.agent.metrics.Results.unanswered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pathprobe.MeasurementType;
import io.pathprobe.agent.sink.SinkStatistics;
import io.pathprobe.check.Assertion;
import io.pathprobe.ping.PingKind;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingStatistics;
import io.pathprobe.ping.PingStatus;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.testing.Samples;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.TraceResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** AgentMetrics fed with synthetic results, read back from the Prometheus scrape. */
class AgentMetricsTest {
    static final String DST = "198.19.0.1";
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final AgentMetrics metrics = new AgentMetrics(registry);

    Scrape scrape() {
        return new Scrape(registry.scrape());
    }

    static double seconds(double ms) {
        return ms(ms).toNanos() / 1e9;
    }

    /** The documented hash, computed here on its own: SHA-256 of the text, its first 6 bytes big-endian. */
    static double pathId(String text) throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        long id = 0;
        for (int i = 0; i < 6; i++) {
            id = (id << 8) | (d[i] & 0xff);
        }
        return id;
    }

    /** One probe a TTL, one Paris flow: 198.18.0.1, {@code second}, then the destination at TTL 3. */
    static TraceResult threeHops(String second) {
        return trace(DST, 1,
                hop(1, new HopStatistics(1, 1, 0, 0, 0, 0, Optional.of(rtt(0.5, 0.5, 0.5, 0.5, 0))),
                        router(1, 0, "198.18.0.1", 0.5, 0)),
                hop(2, new HopStatistics(1, 1, 0, 0, 0, 0, Optional.of(rtt(0.5, 0.5, 0.5, 0.5, 0))),
                        router(2, 0, second, 0.5, 0)),
                hop(3, new HopStatistics(1, 1, 0, 0, 0, 0, Optional.of(rtt(1, 1, 1, 1, 0))),
                        destination(3, 0, DST, 1, 0)));
    }

    /**
     * TTL 1 answers thrice; TTL 2 lost one probe forward and one backward; TTL 3 is silent (one lost, two refused
     * under the router's rate limit); TTL 4 is the destination. One Paris flow.
     */
    static TraceResult fourHops(String second) {
        return trace(DST, 1,
                hop(1, new HopStatistics(3, 3, 0, 0, 0, 0, Optional.of(rtt(0.5, 0.25, 0.375, 0.5, 0.125))),
                        router(1, 0, "198.18.0.1", 0.25, 0), router(1, 1, "198.18.0.1", 0.375, 0),
                        router(1, 2, "198.18.0.1", 0.5, 0)),
                hop(2, new HopStatistics(3, 1, 2, 1, 1, 0, Optional.of(rtt(1.25, 1.25, 1.25, 1.25, 0))),
                        unanswered(2, 0, ProbeStatus.TIMEOUT, 0), router(2, 1, second, 1.25, 0),
                        unanswered(2, 2, ProbeStatus.TIMEOUT, 0)),
                hop(3, new HopStatistics(3, 0, 1, 0, 1, 0, Optional.empty(), 2),
                        unanswered(3, 0, ProbeStatus.TIMEOUT, 0), unanswered(3, 1, ProbeStatus.RATE_LIMITED, 0),
                        unanswered(3, 2, ProbeStatus.RATE_LIMITED, 0)),
                hop(4, new HopStatistics(3, 3, 0, 0, 0, 0, Optional.of(rtt(2, 2, 2.5, 3, 0.5))),
                        destination(4, 0, DST, 2, 0), destination(4, 1, DST, 3, 0), destination(4, 2, DST, 2.5, 0)));
    }

    @Test
    void aTraceGivesEachHopItsRttLossRateLimitedShareAndResponder() throws Exception {
        metrics.record(record("core", MeasurementType.TRACE, DST, fourHops("198.18.1.1")));
        Scrape s = scrape();
        String[] hop1 = {"pathprobe_job", "core", "target", DST, "hop", "1"};
        assertThat(s.value("pathprobe_hop_rtt_last_seconds", hop1)).hasValue(seconds(0.5));
        assertThat(s.value("pathprobe_hop_rtt_min_seconds", hop1)).hasValue(seconds(0.25));
        assertThat(s.value("pathprobe_hop_rtt_avg_seconds", hop1)).hasValue(seconds(0.375));
        assertThat(s.value("pathprobe_hop_rtt_max_seconds", hop1)).hasValue(seconds(0.5));
        assertThat(s.value("pathprobe_hop_rtt_stddev_seconds", hop1)).hasValue(seconds(0.125));
        assertThat(s.types).containsEntry("pathprobe_hop_rtt_avg_seconds", "gauge");
        assertThat(s.value("pathprobe_hop_loss_ratio", "hop", "2", "direction", "forward")).hasValue(1 / 3.0);
        assertThat(s.value("pathprobe_hop_loss_ratio", "hop", "2", "direction", "backward")).hasValue(1 / 3.0);
        assertThat(s.value("pathprobe_hop_loss_ratio", "hop", "1", "direction", "forward")).hasValue(0);
        assertThat(s.value("pathprobe_hop_rate_limited_ratio", "hop", "3")).hasValue(2 / 3.0);
        assertThat(s.value("pathprobe_hop_rate_limited_ratio", "hop", "1")).hasValue(0);
        assertThat(s.value("pathprobe_hop_loss_ratio", "hop", "3", "direction", "backward"))
                .as("the one decided probe of TTL 3 was lost, backward").hasValue(1);
        assertThat(s.value("pathprobe_hop_probes", "hop", "3")).hasValue(3);
        assertThat(s.find("pathprobe_hop_rtt_avg_seconds", "hop", "3")).as("a silent hop has no RTT").isEmpty();
        assertThat(s.value("pathprobe_hop_info", "hop", "2", "address", "198.18.1.1")).hasValue(1);
        assertThat(s.find("pathprobe_hop_info", "hop", "3")).isEmpty();
        assertThat(s.value("pathprobe_path_hops", "pathprobe_job", "core")).hasValue(4);
        assertThat(s.value("pathprobe_destination_reached", "pathprobe_job", "core")).hasValue(1);
        assertThat(s.value("pathprobe_path_id", "pathprobe_job", "core", "target", DST, "flow", "0"))
                .hasValue(pathId("198.18.0.1 198.18.1.1 * " + DST));
        assertThat(s.value("pathprobe_path_changes_total", "flow", "0")).hasValue(0);
        assertThat(s.types).containsEntry("pathprobe_path_changes_total", "counter");
        assertThat(s.value("pathprobe_agent_last_result_timestamp_seconds", "pathprobe_job", "core"))
                .hasValue(Results.TIME.toEpochMilli() / 1000.0);
        assertThat(s.lines).as("the job's labels are not on the series")
                .allSatisfy(l -> assertThat(l.labels()).doesNotContainKey("site").doesNotContainKey("job"));
    }

    @Test
    void aHopGoneFromTheNewestResultTakesItsSeriesAlong() {
        metrics.record(record("core", MeasurementType.TRACE, DST, fourHops("198.18.1.1")));
        assertThat(scrape().find("pathprobe_hop_probes", "hop", "4")).hasSize(1);
        TraceResult shorter = trace(DST, 1,
                hop(1, new HopStatistics(1, 1, 0, 0, 0, 0, Optional.of(rtt(0.5, 0.5, 0.5, 0.5, 0))),
                        router(1, 0, "198.18.0.1", 0.5, 0)),
                hop(2, new HopStatistics(1, 1, 0, 0, 0, 0, Optional.of(rtt(0.75, 0.75, 0.75, 0.75, 0))),
                        destination(2, 0, DST, 0.75, 0)));
        metrics.record(record("core", MeasurementType.TRACE, DST, shorter));
        Scrape s = scrape();
        assertThat(s.lines).as("no series of TTL 3 or 4 is left").noneMatch(l -> "3".equals(l.labels().get("hop"))
                || "4".equals(l.labels().get("hop")));
        assertThat(s.value("pathprobe_hop_rtt_avg_seconds", "hop", "2")).hasValue(seconds(0.75));
        assertThat(s.value("pathprobe_hop_info", "hop", "2", "address", DST)).hasValue(1);
        assertThat(s.find("pathprobe_hop_info", "hop", "2")).as("the old responder's series went").hasSize(1);
        assertThat(s.find("pathprobe_hop_loss_ratio", "hop", "2")).hasSize(2);
        assertThat(s.value("pathprobe_path_hops", "pathprobe_job", "core")).hasValue(2);
    }

    @Test
    void aNewResponderIsAPathChangeButALostProbeIsNot() throws Exception {
        metrics.record(record("core", MeasurementType.TRACE, DST, fourHops("198.18.1.1")));
        double first = scrape().value("pathprobe_path_id", "flow", "0").orElseThrow();
        // TTL 2 silent this time: nothing to compare there, so no change; the id stays
        TraceResult lossy = trace(DST, 1,
                hop(1, new HopStatistics(1, 1, 0, 0, 0, 0, Optional.of(rtt(0.5, 0.5, 0.5, 0.5, 0))),
                        router(1, 0, "198.18.0.1", 0.5, 0)),
                hop(2, new HopStatistics(1, 0, 1, 0, 1, 0, Optional.empty()), unanswered(2, 0, ProbeStatus.TIMEOUT, 0)),
                hop(3, new HopStatistics(1, 1, 0, 0, 0, 0, Optional.of(rtt(1, 1, 1, 1, 0))),
                        router(3, 0, "198.18.2.1", 1, 0)),
                hop(4, new HopStatistics(1, 1, 0, 0, 0, 0, Optional.of(rtt(2, 2, 2, 2, 0))),
                        destination(4, 0, DST, 2, 0)));
        metrics.record(record("core", MeasurementType.TRACE, DST, lossy));
        assertThat(scrape().value("pathprobe_path_id", "flow", "0")).hasValue(first);
        assertThat(scrape().value("pathprobe_path_changes_total", "flow", "0")).hasValue(0);
        // another router at TTL 2: a change, counted once, and the id is the new path's
        metrics.record(record("core", MeasurementType.TRACE, DST, fourHops("198.18.1.5")));
        Scrape s = scrape();
        assertThat(s.value("pathprobe_path_changes_total", "flow", "0")).hasValue(1);
        assertThat(s.value("pathprobe_path_id", "flow", "0")).hasValue(pathId("198.18.0.1 198.18.1.5 * " + DST))
                .isNotEqualTo(first);
        // the silent TTL 3 was filled in by the lossy round: its router at TTL 3 again is no change
        metrics.record(record("core", MeasurementType.TRACE, DST, fourHops("198.18.1.5")));
        assertThat(scrape().value("pathprobe_path_changes_total", "flow", "0")).hasValue(1);
        // the destination one TTL nearer: a change
        metrics.record(record("core", MeasurementType.TRACE, DST, threeHops("198.18.1.5")));
        s = scrape();
        assertThat(s.value("pathprobe_path_changes_total", "flow", "0")).hasValue(2);
        assertThat(s.value("pathprobe_path_id", "flow", "0")).hasValue(pathId("198.18.0.1 198.18.1.5 " + DST));
    }

    @Test
    void eachParisFlowHasItsPathAndAClassicTraceOne() throws Exception {
        TraceResult twoFlows = trace(DST, 2,
                hop(1, new HopStatistics(2, 2, 0, 0, 0, 0, Optional.of(rtt(0.5, 0.5, 0.5, 0.5, 0))),
                        router(1, 0, "198.18.0.1", 0.5, 0), router(1, 1, "198.18.0.1", 0.5, 1)),
                hop(2, new HopStatistics(2, 2, 0, 0, 0, 0, Optional.of(rtt(0.5, 0.5, 0.5, 0.5, 0))),
                        router(2, 0, "198.18.1.1", 0.5, 0), router(2, 1, "198.18.2.1", 0.5, 1)),
                hop(3, new HopStatistics(2, 2, 0, 0, 0, 0, Optional.of(rtt(1, 1, 1, 1, 0))),
                        destination(3, 0, DST, 1, 0), destination(3, 1, DST, 1, 1)));
        metrics.record(record("ecmp", MeasurementType.TRACE, DST, twoFlows));
        TraceResult classic = trace("198.19.0.2", 0,
                hop(1, new HopStatistics(2, 2, 0, 0, 0, 0, Optional.of(rtt(0.5, 0.5, 0.5, 0.5, 0))),
                        router(1, 0, "198.18.0.1", 0.5, -1), router(1, 1, "198.18.0.1", 0.5, -1)),
                hop(2, new HopStatistics(2, 1, 1, 1, 0, 0, Optional.of(rtt(1, 1, 1, 1, 0))),
                        destination(2, 0, "198.19.0.2", 1, -1), unanswered(2, 1, ProbeStatus.TIMEOUT, -1)));
        metrics.record(record("classic", MeasurementType.TRACE, "198.19.0.2", classic));
        Scrape s = scrape();
        assertThat(s.value("pathprobe_path_id", "pathprobe_job", "ecmp", "flow", "0"))
                .hasValue(pathId("198.18.0.1 198.18.1.1 " + DST));
        assertThat(s.value("pathprobe_path_id", "pathprobe_job", "ecmp", "flow", "1"))
                .hasValue(pathId("198.18.0.1 198.18.2.1 " + DST));
        assertThat(s.find("pathprobe_path_changes_total", "pathprobe_job", "ecmp")).hasSize(2);
        assertThat(s.value("pathprobe_path_id", "pathprobe_job", "classic", "flow", "classic"))
                .hasValue(pathId("198.18.0.1 198.19.0.2"));
        assertThat(s.value("pathprobe_hop_loss_ratio", "pathprobe_job", "classic", "hop", "2", "direction",
                "forward")).hasValue(0.5);
        // flow 1 gone from the newest result: its path_id series goes, its counter stays until the job goes
        metrics.record(record("ecmp", MeasurementType.TRACE, DST, threeHops("198.18.1.1")));
        assertThat(scrape().find("pathprobe_path_id", "pathprobe_job", "ecmp")).hasSize(1);
    }

    static PingTargetResult pinged(int index, String target, long sent, long received, long lost, double avgMs) {
        PingStatistics stats = new PingStatistics(sent, received, lost, 0, 0, 0, 0, 0,
                received + lost == 0 ? 0 : (double) lost / (received + lost),
                received == 0 ? Optional.empty() : Optional.of(rtt(avgMs, avgMs / 2, avgMs, avgMs * 2, 0.25)),
                Optional.empty(), 0);
        return new PingTargetResult(index, target, Optional.of(Results.ip(target)), PingKind.ICMP, "scripted",
                Optional.empty(), Optional.empty(), stats, List.of());
    }

    @Test
    void aPingIsNamedAsTheOpenTelemetryIcmpCheckReceiverNamesIt() {
        PingResult r = new PingResult(List.of(pinged(0, DST, 10, 9, 1, 1.5), pinged(1, "198.19.0.2", 4, 0, 4, 0)),
                PingStatus.COMPLETED, Results.TIME, Duration.ofSeconds(1));
        metrics.record(record("ping", MeasurementType.PING, DST, r));
        Scrape s = scrape();
        String[] one = {"pathprobe_job", "ping", "target", DST};
        assertThat(s.value("ping_rtt_avg_seconds", one)).hasValue(seconds(1.5));
        assertThat(s.value("ping_rtt_min_seconds", one)).hasValue(seconds(0.75));
        assertThat(s.value("ping_rtt_max_seconds", one)).hasValue(seconds(3));
        assertThat(s.value("ping_rtt_stddev_seconds", one)).hasValue(seconds(0.25));
        assertThat(s.value("ping_loss_ratio", one)).hasValue(0.1);
        assertThat(s.value("ping_loss_ratio", "target", "198.19.0.2")).hasValue(1);
        assertThat(s.value("pathprobe_ping_loss_low_ratio", one)).as("nothing a limit could explain").hasValue(0.1);
        assertThat(s.value("pathprobe_ping_loss_low_ratio", "target", "198.19.0.2")).hasValue(1);
        assertThat(s.find("ping_rtt_avg_seconds", "target", "198.19.0.2")).as("nothing received: no RTT").isEmpty();
        // the second target answers again: its RTT series come; the first is no longer pinged: its series go
        metrics.record(record("ping", MeasurementType.PING, DST, new PingResult(List.of(pinged(0, "198.19.0.2", 4,
                4, 0, 2)), PingStatus.COMPLETED, Results.TIME, Duration.ofSeconds(1))));
        s = scrape();
        assertThat(s.value("ping_rtt_avg_seconds", "target", "198.19.0.2")).hasValue(seconds(2));
        assertThat(s.find("ping_loss_ratio", "target", DST)).isEmpty();
    }

    @Test
    void aMultipathDiscoveryGivesItsPathsAndEachOnesLossAndAnMtuDiscoveryThePathMtu() {
        metrics.record(record("mda", MeasurementType.MULTIPATH, "198.18.10.1", Samples.multipath()));
        metrics.record(record("pmtu", MeasurementType.MTU, DST, Samples.mtu()));
        Scrape s = scrape();
        assertThat(s.value("pathprobe_multipath_paths", "pathprobe_job", "mda")).hasValue(2);
        assertThat(s.value("pathprobe_multipath_path_loss_ratio", "path_id",
                Long.toString(Assertion.PathId.idOf(Samples.multipath().paths().get(0).addresses())))).hasValue(0.1);
        assertThat(s.value("pathprobe_multipath_path_loss_ratio", "path_id",
                Long.toString(Assertion.PathId.idOf(Samples.multipath().paths().get(1).addresses())))).hasValue(1);
        assertThat(s.value("pathprobe_path_mtu_bytes", "pathprobe_job", "pmtu", "target", DST)).hasValue(1200);
    }

    @Test
    void everyResultMeterIsCoresDocumentedOneAndTheAgentAddsOnlyItsJobTag() throws Exception {
        metrics.record(record("core", MeasurementType.TRACE, DST, fourHops("198.18.1.1")));
        metrics.record(record("ping", MeasurementType.PING, DST, new PingResult(List.of(pinged(0, DST, 10, 9, 1,
                1.5)), PingStatus.COMPLETED, Results.TIME, Duration.ofSeconds(1))));
        metrics.record(record("mda", MeasurementType.MULTIPATH, "198.18.10.1", Samples.multipath()));
        metrics.record(record("pmtu", MeasurementType.MTU, DST, Samples.mtu()));
        java.util.Set<String> agentOwn = java.util.Set.of(MetricNames.LAST_RESULT);
        int checked = 0;
        for (io.micrometer.core.instrument.Meter m : registry.getMeters()) {
            io.micrometer.core.instrument.Meter.Id id = m.getId();
            if (agentOwn.contains(id.getName())) {
                continue;
            }
            io.pathprobe.micrometer.PathProbeMeters doc = java.util.Arrays.stream(
                    io.pathprobe.micrometer.PathProbeMeters.values()).filter(d -> d.getName().equals(id.getName()))
                    .findFirst().orElse(null);
            assertThat(doc).as("%s is one of core's PathProbeMeters", id.getName()).isNotNull();
            assertThat(id.getBaseUnit()).as(id.getName()).isEqualTo(doc.getBaseUnit());
            assertThat(id.getDescription()).as(id.getName()).isEqualTo(doc.description());
            java.util.Set<String> keys = new java.util.HashSet<>();
            id.getTags().forEach(t -> keys.add(t.getKey()));
            java.util.Set<String> expected = new java.util.HashSet<>(java.util.List.of("pathprobe_job", "target"));
            doc.tags().forEach(t -> expected.add(t.asString()));
            assertThat(keys).as(id.getName()).isEqualTo(expected);
            checked++;
        }
        assertThat(checked).isGreaterThan(10);
    }

    @Test
    void aRemovedJobTakesEveryOneOfItsSeriesAlong() {
        metrics.record(record("core", MeasurementType.TRACE, DST, fourHops("198.18.1.1")));
        metrics.record(record("other", MeasurementType.TRACE, DST, fourHops("198.18.1.1")));
        metrics.measurement("core", MeasurementType.TRACE, "completed");
        metrics.measurement("other", MeasurementType.TRACE, "completed");
        metrics.jobRemoved("core");
        Scrape s = scrape();
        assertThat(s.lines).noneMatch(l -> "core".equals(l.labels().get("pathprobe_job")));
        assertThat(s.find("pathprobe_hop_probes", "pathprobe_job", "other")).hasSize(4);
        assertThat(s.find("pathprobe_path_changes_total", "pathprobe_job", "other")).hasSize(1);
        // back again: it starts anew
        metrics.record(record("core", MeasurementType.TRACE, DST, fourHops("198.18.1.5")));
        assertThat(scrape().value("pathprobe_path_changes_total", "pathprobe_job", "core")).hasValue(0);
    }

    /**
     * A job's run counters are there at 0 from the moment it is loaded, one per outcome, so that its first run of
     * each outcome is an increase Prometheus sees; a job loaded again keeps its counts; a removed job's go.
     */
    @Test
    void eachLoadedJobsRunCountersAreThereAtZeroAndGoWithTheJob() {
        metrics.jobAdded("core", MeasurementType.TRACE);
        metrics.jobAdded("edge", MeasurementType.PING);
        Scrape s = scrape();
        assertThat(s.find("pathprobe_agent_measurements_total")).hasSize(6);
        for (String outcome : AgentMetrics.OUTCOMES) {
            assertThat(s.value("pathprobe_agent_measurements_total", "pathprobe_job", "core", "kind", "trace",
                    "outcome", outcome)).as(outcome).hasValue(0);
            assertThat(s.value("pathprobe_agent_measurements_total", "pathprobe_job", "edge", "kind", "ping",
                    "outcome", outcome)).as(outcome).hasValue(0);
        }
        metrics.measurement("core", MeasurementType.TRACE, "skipped");
        metrics.jobAdded("core", MeasurementType.TRACE); // registered again: the count stays
        s = scrape();
        assertThat(s.value("pathprobe_agent_measurements_total", "pathprobe_job", "core", "outcome", "skipped"))
                .hasValue(1);
        assertThat(s.value("pathprobe_agent_measurements_total", "pathprobe_job", "core", "outcome", "completed"))
                .hasValue(0);
        metrics.jobRemoved("edge");
        s = scrape();
        assertThat(s.find("pathprobe_agent_measurements_total", "pathprobe_job", "edge")).isEmpty();
        assertThat(s.find("pathprobe_agent_measurements_total", "pathprobe_job", "core")).hasSize(3);
        assertThatThrownBy(() -> metrics.jobAdded("j", null)).isInstanceOf(NullPointerException.class);
    }

    /** Issue 72: each assertion of a job is a gauge of its state on the newest result and a failures counter. */
    @Test
    void eachAssertionIsItsStateOnTheNewestResultAndItsFailuresCounted() {
        List<Assertion> asserted = List.of(Assertion.parse("max-hops", "4").orElseThrow(),
                Assertion.parse("must-traverse", "198.18.1.1").orElseThrow());
        metrics.record(record("core", MeasurementType.TRACE, DST, fourHops("198.18.1.1")), asserted);
        String[] traverse = {"pathprobe_job", "core", "target", DST, "assertion", "--must-traverse 198.18.1.1"};
        Scrape s = scrape();
        assertThat(s.value("pathprobe_assertion_state", traverse)).hasValue(1);
        assertThat(s.value("pathprobe_assertion_failures_total", traverse)).hasValue(0);
        assertThat(s.value("pathprobe_assertion_state", "assertion", "--max-hops 4")).hasValue(1);
        metrics.record(record("core", MeasurementType.TRACE, DST, fourHops("198.18.1.5")), asserted);
        metrics.record(record("core", MeasurementType.TRACE, DST, fourHops("198.18.1.5")), asserted);
        s = scrape();
        assertThat(s.value("pathprobe_assertion_state", traverse)).as("198.18.1.5 is not 198.18.1.1").hasValue(0);
        assertThat(s.value("pathprobe_assertion_failures_total", traverse)).hasValue(2);
        assertThat(s.value("pathprobe_assertion_state", "assertion", "--max-hops 4")).hasValue(1);
        assertThat(s.value("pathprobe_assertion_failures_total", "assertion", "--max-hops 4")).hasValue(0);
        metrics.record(record("core", MeasurementType.TRACE, DST, fourHops("198.18.1.1")));
        assertThat(scrape().find("pathprobe_assertion_state", "pathprobe_job", "core"))
                .as("a result checked against none has no state").isEmpty();
        metrics.jobRemoved("core");
        assertThat(scrape().find("pathprobe_assertion_failures_total", "pathprobe_job", "core")).isEmpty();
    }

    @Test
    void runsAreCountedByOutcomeAndTheSinksFiguresReadWhenScraped() {
        metrics.measurement("core", MeasurementType.TRACE, "completed");
        metrics.measurement("core", MeasurementType.TRACE, "completed");
        metrics.measurement("core", MeasurementType.TRACE, "skipped");
        metrics.measurement("ping", MeasurementType.PING, "failed");
        List<SinkStatistics> sinks = new CopyOnWriteArrayList<>(List.of(new SinkStatistics("file", 10, 2, 1, 0, 3, true),
                new SinkStatistics("kafka", 5, 0, 4, 0, 0, false)));
        metrics.bindSinks(() -> List.copyOf(sinks));
        Scrape s = scrape();
        assertThat(s.value("pathprobe_agent_measurements_total", "pathprobe_job", "core", "kind", "trace", "outcome",
                "completed")).hasValue(2);
        assertThat(s.value("pathprobe_agent_measurements_total", "outcome", "skipped")).hasValue(1);
        assertThat(s.value("pathprobe_agent_measurements_total", "kind", "ping", "outcome", "failed")).hasValue(1);
        assertThat(s.value("pathprobe_agent_sink_written_total", "sink", "file")).hasValue(10);
        assertThat(s.value("pathprobe_agent_sink_dropped_total", "sink", "file")).hasValue(2);
        assertThat(s.value("pathprobe_agent_sink_failures_total", "sink", "kafka")).hasValue(4);
        assertThat(s.value("pathprobe_agent_sink_queued", "sink", "file")).hasValue(3);
        assertThat(s.value("pathprobe_agent_sink_up", "sink", "kafka")).hasValue(0);
        assertThat(s.types).containsEntry("pathprobe_agent_sink_written_total", "counter")
                .containsEntry("pathprobe_agent_sink_queued", "gauge");
        sinks.set(0, new SinkStatistics("file", 12, 2, 1, 1, 0, true));
        sinks.remove(1);
        assertThat(scrape().value("pathprobe_agent_sink_written_total", "sink", "file")).as("read at the scrape")
                .hasValue(12);
        assertThat(scrape().value("pathprobe_agent_sink_fragments_total", "sink", "file")).hasValue(1);
        metrics.measurement("core", MeasurementType.TRACE, "completed");
        assertThat(scrape().find("pathprobe_agent_sink_up", "sink", "kafka")).as("a sink gone, at the next run")
                .isEmpty();
    }

    /** Runs the collector until an object only weakly held is collected. */
    private static void awaitCollected() {
        java.lang.ref.WeakReference<Object> probe = new java.lang.ref.WeakReference<>(new Object());
        for (int i = 0; i < 100 && probe.get() != null; i++) {
            System.gc();
        }
        assertThat(probe.get()).as("a collection ran").isNull();
    }

    @Test
    void reloadsAreCountedByOutcomeWhenScraped() {
        java.util.concurrent.atomic.AtomicLong applied = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();
        metrics.bindReloads(applied::get, refused::get);
        assertThat(scrape().value("pathprobe_agent_reloads_total", "outcome", "refused")).hasValue(0);
        // the agent binds method references no one else holds, and a function counter holds its object weakly:
        // after a collection the counters must still read them (issue 72: they stayed at 0 in a running agent)
        awaitCollected();
        applied.set(2);
        refused.set(3);
        Scrape s = scrape();
        assertThat(s.value("pathprobe_agent_reloads_total", "outcome", "applied")).hasValue(2);
        assertThat(s.value("pathprobe_agent_reloads_total", "outcome", "refused")).hasValue(3);
        assertThat(s.types).containsEntry("pathprobe_agent_reloads_total", "counter");
    }

    @Test
    void resultsFromManyThreadsAtOnceLeaveOneConsistentSetOfSeries() throws Exception {
        List<Thread> threads = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            String job = "job" + t;
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    metrics.record(record(job, MeasurementType.TRACE, DST, fourHops(i % 2 == 0 ? "198.18.1.1"
                            : "198.18.1.5")));
                    metrics.measurement(job, MeasurementType.TRACE, "completed");
                    metrics.steady(registry::scrape); // as MetricsServer scrapes (see AgentMetrics#steady)
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
        Scrape s = scrape();
        for (int t = 0; t < 4; t++) {
            assertThat(s.value("pathprobe_path_changes_total", "pathprobe_job", "job" + t)).hasValue(199);
            assertThat(s.value("pathprobe_agent_measurements_total", "pathprobe_job", "job" + t)).hasValue(200);
            assertThat(s.find("pathprobe_hop_probes", "pathprobe_job", "job" + t)).hasSize(4);
        }
    }

    @Test
    void onlyTheKindsTheAgentSchedulesAreTaken() {
        assertThatThrownBy(() -> metrics.record(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> metrics.measurement("j", MeasurementType.TRACE, null))
                .isInstanceOf(NullPointerException.class);
    }
}
