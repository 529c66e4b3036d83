package io.pathprobe.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pathprobe.MeasurementType;
import io.pathprobe.PathTracer;
import io.pathprobe.agent.sink.AgentRecord;
import io.pathprobe.check.Assertion;
import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.middlebox.Chaos;
import io.pathprobe.lab.server.PrometheusServer;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 49 item 2 end to end: a real Prometheus (Debian's package) scrapes the agent's {@link MetricsServer} every
 * second while {@link AgentMetrics} takes real traces and pings of a lab diamond (host → router 1 → two routers at
 * TTL 2 → router 3 → destination, the destination's answers 20 % lost); Prometheus's query API then holds every
 * target's loss and hop RTT series with the values the results give. Then router 1's route to the destination is
 * moved to the other branch: the next trace's path has a new path_id, and Prometheus sees the path-change counter
 * at 1 and the id change once. Prometheus also loads the shipped alert rules (deploy/prometheus): it accepts them,
 * evaluates each over the agent's series without an error, and fires the path-change alert for the flow after the
 * move and not before; the trace job's assertion that the path passes the first trace's TTL 2 router holds, then
 * fails after the move: its state flips to 0 and PathprobeAssertionFailing's expression fires. Every probe stays
 * in the lab; Prometheus and the metrics server listen on loopback of the test's own network namespace.
 */
@LabTest
@Timeout(300)
class AgentMetricsPrometheusLabTest {
    static final Duration PATIENCE = Duration.ofSeconds(60); // a liveness bound: scrapes are 1 s apart

    static TraceResult trace(PathTracer tracer, InetAddress destination) {
        return tracer.trace(TraceRequest.builder(destination).protocol(ProbeProtocol.UDP).probesPerTtl(4).maxTtl(8)
                .probeTimeout(Duration.ofMillis(500)).build());
    }

    static AgentRecord record(String job, io.pathprobe.MeasurementType<?, ?> kind, String target, Object result) {
        return new AgentRecord(job, kind, target, Map.of("site", "lab"), Instant.now(), result);
    }

    /** Waits until Prometheus has {@code promql} as exactly one series of this value. */
    static void awaitOne(PrometheusServer prometheus, String promql, double value) throws Exception {
        List<PrometheusServer.Series> r = prometheus.await(promql, s -> s.size() == 1 && s.get(0).value() == value,
                PATIENCE);
        assertThat(r).hasSize(1);
    }

    /**
     * Waits until Prometheus has the trace's values for each of its hops: loss forward and backward, the
     * rate-limited share, RTT last/avg/min/max/stddev where the hop has RTTs, and only those hops' RTT series.
     */
    static void assertHops(PrometheusServer prometheus, String dst, TraceResult trace) throws Exception {
        for (Hop h : trace.hops()) {
            HopStatistics s = h.statistics();
            String sel = "{pathprobe_job=\"trace\",target=\"" + dst + "\",hop=\"" + h.ttl() + "\"";
            if (s.received() + s.lost() > 0) {
                awaitOne(prometheus, "pathprobe_hop_loss_ratio" + sel + ",direction=\"forward\"}", s.forwardLoss());
                awaitOne(prometheus, "pathprobe_hop_loss_ratio" + sel + ",direction=\"backward\"}", s.backwardLoss());
            }
            awaitOne(prometheus, "pathprobe_hop_rate_limited_ratio" + sel + "}", (double) s.rateLimited() / s.sent());
            if (s.rtt().isPresent()) {
                RttStatistics rtt = s.rtt().get();
                awaitOne(prometheus, "pathprobe_hop_rtt_last_seconds" + sel + "}", rtt.last().toNanos() / 1e9);
                awaitOne(prometheus, "pathprobe_hop_rtt_avg_seconds" + sel + "}", rtt.avg().toNanos() / 1e9);
                awaitOne(prometheus, "pathprobe_hop_rtt_min_seconds" + sel + "}", rtt.min().toNanos() / 1e9);
                awaitOne(prometheus, "pathprobe_hop_rtt_max_seconds" + sel + "}", rtt.max().toNanos() / 1e9);
                awaitOne(prometheus, "pathprobe_hop_rtt_stddev_seconds" + sel + "}", rtt.stdDev().toNanos() / 1e9);
            }
        }
        double answering = trace.hops().stream().filter(h -> h.statistics().rtt().isPresent()).count();
        awaitOne(prometheus, "count(pathprobe_hop_rtt_avg_seconds{pathprobe_job=\"trace\"})", answering);
    }

    @Test
    void prometheusScrapesEveryTargetsLossAndHopRttAndSeesThePathChange() throws Exception {
        try (Lab lab = Lab.diamond(2, EcmpHash.LINUX_L4).dropFromDestination(20)
                .icmpUnlimited("every router answers every probe: the RTTs and losses come from the results alone")
                .inCurrentNamespace().build();
                Chaos chaos = Chaos.on(lab);
                PathTracer tracer = PathTracer.builder().packetsPerSecond(0).offline().build()) {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            AgentMetrics metrics = new AgentMetrics(registry);
            InetAddress destination = lab.destination();
            String dst = AddressText.of(destination);
            InetAddress router1 = lab.expectedResponder(1).orElseThrow();
            try (MetricsServer server = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    "/metrics", registry, metrics);
                    PrometheusServer prometheus = PrometheusServer.start(server.address(), "/metrics",
                            AlertRulesTest.RULES)) {
                assertThat(prometheus.rules()).as("Prometheus loaded the shipped rules")
                        .extracting(PrometheusServer.Rule::group).contains("pathprobe-agent");
                TraceResult before = trace(tracer, destination);
                System.out.println(before);
                assertThat(before.hop(2).flatMap(Hop::address)).as("a router of the diamond answered at TTL 2")
                        .isPresent();
                PingResult ping = tracer.measure(PingRequest.builder(destination, router1).count(10)
                        .interval(Duration.ofMillis(20)).probeTimeout(Duration.ofMillis(500)).build());
                ping.targets().forEach(System.out::println);
                // the job asserts the path passes the router the first trace met at TTL 2
                InetAddress was = before.hop(2).flatMap(Hop::address).orElseThrow();
                List<Assertion> asserted = List.of(Assertion.parse("must-traverse", AddressText.of(was))
                        .orElseThrow());
                metrics.record(record("trace", MeasurementType.TRACE, dst, before), asserted);
                metrics.measurement("trace", MeasurementType.TRACE, "completed");
                metrics.record(record("ping", MeasurementType.PING, dst, ping));

                assertHops(prometheus, dst, before);
                for (PingTargetResult t : ping.targets()) {
                    String sel = "{pathprobe_job=\"ping\",target=\"" + t.target() + "\"}";
                    assertThat(t.statistics().received()).as("%s answered", t.target()).isPositive();
                    awaitOne(prometheus, "ping_loss_ratio" + sel, t.statistics().loss());
                    RttStatistics rtt = t.statistics().rtt().orElseThrow();
                    awaitOne(prometheus, "ping_rtt_avg_seconds" + sel, rtt.avg().toNanos() / 1e9);
                    awaitOne(prometheus, "ping_rtt_min_seconds" + sel, rtt.min().toNanos() / 1e9);
                    awaitOne(prometheus, "ping_rtt_max_seconds" + sel, rtt.max().toNanos() / 1e9);
                    awaitOne(prometheus, "ping_rtt_stddev_seconds" + sel, rtt.stdDev().toNanos() / 1e9);
                }
                String flow = "{pathprobe_job=\"trace\",target=\"" + dst + "\",flow=\"0\"}";
                double firstId = FlowPath.of(before).get("0").id();
                awaitOne(prometheus, "pathprobe_path_id" + flow, firstId);
                awaitOne(prometheus, "pathprobe_path_changes_total" + flow, 0);
                assertThat(prometheus.query("ALERTS{alertname=\"PathprobePathChanged\"}")).as("no change yet")
                        .isEmpty();
                awaitOne(prometheus, "pathprobe_agent_measurements_total{pathprobe_job=\"trace\","
                        + "outcome=\"completed\"}", 1);

                String state = "pathprobe_assertion_state{pathprobe_job=\"trace\",target=\"" + dst + "\"}";
                awaitOne(prometheus, state, 1);
                String failing = (String) AlertRulesTest.rules(java.nio.file.Files.readString(AlertRulesTest.RULES))
                        .stream().filter(r -> "PathprobeAssertionFailing".equals(r.get("alert"))).findFirst()
                        .orElseThrow().get("expr");
                assertThat(prometheus.query(failing)).as("the assertion holds").isEmpty();

                // router 1 sends the destination's traffic through the other branch
                Set<InetAddress> branches = lab.expectedResponders(2);
                InetAddress other = branches.stream().filter(a -> !a.equals(was)).findFirst().orElseThrow();
                chaos.replaceRoute(1, dst + "/32 via " + other.getHostAddress());
                TraceResult after = trace(tracer, destination);
                System.out.println(after);
                assertThat(after.hop(2).flatMap(Hop::address)).hasValue(other);
                metrics.record(record("trace", MeasurementType.TRACE, dst, after), asserted);
                double secondId = FlowPath.of(after).get("0").id();
                assertThat(secondId).isNotEqualTo(firstId);

                awaitOne(prometheus, "pathprobe_path_changes_total" + flow, 1);
                awaitOne(prometheus, "pathprobe_path_id" + flow, secondId);
                assertHops(prometheus, dst, after);
                awaitOne(prometheus, "changes(pathprobe_path_id" + flow + "[10m])", 1);
                // the assertion fails on the new path: its state flips, the alert's expression fires (the alert
                // itself waits its 5 minutes pending)
                awaitOne(prometheus, state, 0);
                awaitOne(prometheus, "pathprobe_assertion_failures_total{pathprobe_job=\"trace\"}", 1);
                awaitOne(prometheus, failing, 0);
                awaitOne(prometheus, "ALERTS{alertname=\"PathprobeAssertionFailing\",alertstate=\"pending\"}", 1);
                awaitOne(prometheus, "ALERTS{alertname=\"PathprobePathChanged\",alertstate=\"firing\","
                        + flow.substring(1, flow.length() - 1) + "}", 1);
                // the group was evaluated with the alert firing: each of its rules ran over the agent's series
                assertThat(prometheus.rules()).as("every rule evaluated without an error")
                        .hasSize(10).allSatisfy(r -> assertThat(r.health()).as(r + "").isEqualTo("ok"));
                List<PrometheusServer.Series> info = prometheus.await("pathprobe_hop_info{pathprobe_job=\"trace\","
                        + "hop=\"2\"}", s -> s.size() == 1 && s.get(0).labels().get("address").equals(
                                AddressText.of(other)), PATIENCE);
                assertThat(info).as("the old responder's series went stale").hasSize(1);
                assertThat(prometheus.query("up{job=\"pathprobe-agent\"}")).extracting(PrometheusServer.Series::value)
                        .containsExactly(1.0);
                Set<String> names = prometheus.query("{pathprobe_job=~\".+\"}").stream()
                        .map(s -> s.labels().get("__name__")).collect(Collectors.toCollection(java.util.TreeSet::new));
                System.out.println("series names in Prometheus: " + names);
                assertThat(names).contains("pathprobe_hop_rtt_avg_seconds", "pathprobe_hop_loss_ratio",
                        "pathprobe_hop_rate_limited_ratio", "pathprobe_path_id", "pathprobe_path_changes_total",
                        "pathprobe_path_hops", "ping_loss_ratio", "ping_rtt_avg_seconds");
            }
        }
    }
}
