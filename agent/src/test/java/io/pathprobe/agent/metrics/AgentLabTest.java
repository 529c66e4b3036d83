package io.pathprobe.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathprobe.agent.AgentStatistics;
import io.pathprobe.agent.PathProbeAgent;
import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.middlebox.Chaos;
import io.pathprobe.lab.server.PrometheusServer;
import io.pathprobe.probe.AddressText;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent as {@code pathprobe agent --config FILE} runs it, end to end on a lab: a schedule of a trace, a monitor
 * and a ping of 100 targets, its records to an NDJSON file, its metrics scraped every second by a real Prometheus
 * (Debian's package). Prometheus holds every ping target's loss and RTT and the trace's hop RTTs with the values of
 * the agent's own records (to the records' rounding), the monitor's hops, and, once the route is moved mid-run,
 * the trace's new path id and one path change. Every probe stays in the lab; Prometheus and the endpoint listen on
 * loopback of the test's namespace.
 */
@LabTest
@Timeout(300)
class AgentLabTest {
    private static final Duration PATIENCE = Duration.ofSeconds(90); // liveness: the trace repeats every 20 s
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theAgentsMetricsInPrometheusAreItsRecordsAndFollowARouteChange(@TempDir Path dir) throws Exception {
        try (Lab lab = Lab.diamond(2, EcmpHash.LINUX_L4).destinationAliases(100)
                .icmpUnlimited("the values compared come from the records; rate limits would only thin them")
                .inCurrentNamespace().build();
                Chaos chaos = Chaos.on(lab)) {
            String dst = AddressText.of(lab.destination());
            List<String> aliases = lab.destinationAliases().stream().map(AddressText::of).toList();
            Path records = dir.resolve("records.ndjson");
            Path file = dir.resolve("agent.yaml");
            Files.writeString(file, "limits: {concurrency: 8, packetsPerSecond: 0}\n"
                    + "sinks:\n  - {type: file, path: " + records + "}\n"
                    + "metrics: {host: 127.0.0.1, port: 0}\n"
                    + "defaults: {enrich: off, probeTimeout: 500ms, maxTtl: 8}\n"
                    + "jobs:\n"
                    + "  - {name: path, kind: trace, target: " + dst + ", interval: 20s,"
                    + " options: {protocol: udp, probesPerTtl: 4}}\n"
                    + "  - {name: watch, kind: monitor, target: " + dst + ", interval: 1s, options: {protocol: icmp}}\n"
                    + "  - {name: fleet, kind: ping, targets: [" + String.join(", ", aliases) + "], interval: 10m,"
                    + " count: 5, probeInterval: 100ms}\n");
            try (PathProbeAgent agent = PathProbeAgent.builder().configFile(file).build().start()) {
                InetSocketAddress endpoint = agent.metricsAddress().orElseThrow();
                try (PrometheusServer prometheus = PrometheusServer.start(endpoint, "/metrics")) {
                    // the ping: one run of 100 targets; Prometheus has each target's loss and RTT as the record says
                    JsonNode ping = awaitRecord(records, r -> r.path("job").asText().equals("fleet"), 1).get(0);
                    JsonNode targets = ping.path("result").path("results");
                    assertThat(targets).hasSize(100);
                    prometheus.await("ping_loss_ratio{pathprobe_job=\"fleet\"}", s -> s.size() == 100, PATIENCE);
                    for (JsonNode t : targets) {
                        String sel = "{pathprobe_job=\"fleet\",target=\"" + t.path("target").asText() + "\"}";
                        assertThat(t.path("received").asInt()).as("%s answered", t.path("target")).isPositive();
                        assertThat(one(prometheus, "ping_loss_ratio" + sel)).isEqualTo(t.path("loss").asDouble());
                        // the ping document writes nanoseconds / 1e6, unrounded
                        assertThat(nanos(one(prometheus, "ping_rtt_avg_seconds" + sel)) / 1e6)
                                .isEqualTo(t.path("rtt").path("avg").asDouble());
                    }

                    // the trace: hop RTTs and the path id as its record says
                    JsonNode first = awaitRecord(records, r -> r.path("job").asText().equals("path"), 1).get(0);
                    long firstId = assertTrace(prometheus, dst, first);
                    prometheus.await("pathprobe_path_changes_total{pathprobe_job=\"path\",flow=\"0\"}",
                            s -> s.size() == 1 && s.get(0).value() == 0, PATIENCE);

                    // the monitor's hops are there
                    prometheus.await("pathprobe_hop_rtt_avg_seconds{pathprobe_job=\"watch\"}", s -> s.size() >= 3,
                            PATIENCE);

                    // router 1 sends the destination's traffic through the other branch
                    String was = first.path("result").path("hops").get(1).path("address").asText();
                    Set<InetAddress> branches = lab.expectedResponders(2);
                    InetAddress other = branches.stream().filter(a -> !AddressText.of(a).equals(was)).findFirst()
                            .orElseThrow();
                    chaos.replaceRoute(1, dst + "/32 via " + other.getHostAddress());
                    JsonNode moved = awaitRecord(records, r -> r.path("job").asText().equals("path")
                            && r.path("result").path("hops").get(1).path("address").asText()
                                    .equals(AddressText.of(other)), 1).get(0);
                    long secondId = assertTrace(prometheus, dst, moved);
                    assertThat(secondId).isNotEqualTo(firstId);
                    prometheus.await("pathprobe_path_changes_total{pathprobe_job=\"path\",flow=\"0\"}",
                            s -> s.size() == 1 && s.get(0).value() == 1, PATIENCE);
                    AgentStatistics s = agent.statistics();
                    System.out.println(s);
                    assertThat(s.failed()).isZero();
                    assertThat(s.dropped()).isZero();
                }
            }
        }
    }

    /** Waits until Prometheus shows this trace record's path id and hop RTTs; returns the id. */
    private static long assertTrace(PrometheusServer prometheus, String dst, JsonNode record) throws Exception {
        List<String> hops = new ArrayList<>();
        for (JsonNode h : record.path("result").path("hops")) {
            hops.add(h.path("address").isNull() ? "*" : h.path("address").asText());
        }
        long id = io.pathprobe.check.Assertion.PathId.idOfText(String.join(" ", hops));
        prometheus.await("pathprobe_path_id{pathprobe_job=\"path\",flow=\"0\"}",
                s -> s.size() == 1 && s.get(0).value() == id, PATIENCE);
        for (JsonNode h : record.path("result").path("hops")) {
            if (h.path("avgMs").isNumber()) {
                String sel = "{pathprobe_job=\"path\",target=\"" + dst + "\",hop=\"" + h.path("ttl").asInt() + "\"}";
                // the trace document writes milliseconds rounded to the microsecond
                assertThat(Math.round(nanos(one(prometheus, "pathprobe_hop_rtt_avg_seconds" + sel)) / 1e3) / 1e3)
                        .isEqualTo(h.path("avgMs").asDouble());
                assertThat(one(prometheus, "pathprobe_hop_loss_ratio" + sel.replace("}", ",direction=\"forward\"}"))
                        + one(prometheus, "pathprobe_hop_loss_ratio" + sel.replace("}", ",direction=\"backward\"}")))
                        .isCloseTo(h.path("loss").asDouble(), org.assertj.core.data.Offset.offset(1e-9));
            }
        }
        return id;
    }

    /** A Prometheus sample of a duration in seconds (nanoseconds / 1e9, exact in a float64) as nanoseconds. */
    private static long nanos(double seconds) {
        return Math.round(seconds * 1e9);
    }

    private static double one(PrometheusServer prometheus, String promql) throws Exception {
        List<PrometheusServer.Series> s = prometheus.query(promql);
        assertThat(s).as(promql).hasSize(1);
        return s.get(0).value();
    }

    /**
     * Waits until the file has {@code n} records matching (the test's timeout bounds the wait); returns the newest
     * {@code n} of them.
     */
    private static List<JsonNode> awaitRecord(Path file, Predicate<JsonNode> match, int n) throws Exception {
        while (true) {
            List<JsonNode> found = new ArrayList<>();
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file)) {
                    if (line.endsWith("}")) {
                        JsonNode r = JSON.readTree(line);
                        if (match.test(r)) {
                            found.add(r);
                        }
                    }
                }
            }
            if (found.size() >= n) {
                return found.subList(found.size() - n, found.size());
            }
            Thread.sleep(200);
        }
    }
}
