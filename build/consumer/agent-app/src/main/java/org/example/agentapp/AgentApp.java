package org.example.agentapp;

import io.pathprobe.agent.AgentStatistics;
import io.pathprobe.agent.PathProbeAgent;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Embeds the agent as docs/agent.md's "In an application" does, with only pathprobe-agent added:
 * {@code AgentApp <destination> <expected path>}. Its schedule (a YAML file it writes) traces and pings the
 * destination into an NDJSON file sink and serves Prometheus metrics on loopback; the application waits (at most
 * 60 s, a liveness bound) until the file holds both jobs' records and /metrics holds the destination's loss, RTT and
 * path-id series, then closes the agent. Exits 0 when all of it was there, 1 otherwise.
 */
public final class AgentApp {
    public static void main(String[] args) throws Exception {
        String destination = args[0];
        List<String> expected = List.of(args[1].split(","));
        Path dir = Files.createTempDirectory("agent-app-");
        Path records = dir.resolve("records.ndjson");
        Path config = Files.writeString(dir.resolve("agent.yaml"), String.join("\n",
                "defaults: {enrich: off, probeTimeout: 500ms}",
                "sinks:",
                "  - {type: file, path: " + records + "}",
                "metrics: {host: 127.0.0.1, port: 0}",
                "jobs:",
                "  - {name: path, kind: trace, target: " + destination + ", interval: 60s}",
                "  - {name: reach, kind: ping, targets: [" + destination + "], interval: 60s, count: 3,"
                        + " probeInterval: 100ms}",
                ""));
        boolean ok = false;
        String metrics = "";
        List<String> lines = List.of();
        try (PathProbeAgent agent = PathProbeAgent.builder().configFile(config).build()) {
            agent.start();
            InetSocketAddress at = agent.metricsAddress().orElseThrow();
            URI uri = URI.create("http://127.0.0.1:" + at.getPort() + "/metrics");
            HttpClient http = HttpClient.newHttpClient();
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!ok && System.nanoTime() < end) {
                Thread.sleep(500);
                metrics = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
                lines = Files.exists(records) ? Files.readAllLines(records) : List.of();
                String target = "target=\"" + destination + "\"";
                ok = lines.stream().anyMatch(l -> l.contains("\"job\":\"path\""))
                        && lines.stream().anyMatch(l -> l.contains("\"job\":\"reach\""))
                        && has(metrics, "pathprobe_hop_loss_ratio{", target)
                        && has(metrics, "pathprobe_hop_rtt_avg_seconds{", target)
                        && has(metrics, "pathprobe_path_id{", target)
                        && has(metrics, "ping_loss_ratio{", target) && has(metrics, "ping_rtt_avg_seconds{", target);
            }
            AgentStatistics s = agent.statistics();
            System.out.println(s);
            ok &= s.failed() == 0;
        }
        System.out.println("records: " + lines.size() + " in " + records);
        metrics.lines().filter(l -> l.startsWith("pathprobe_path_id{") || l.startsWith("ping_loss_ratio{"))
                .forEach(l -> System.out.println("  " + l));
        String served = metrics;
        boolean hops = expected.stream().filter(a -> !a.equals("*")).allMatch(a -> served.contains("\"" + a + "\""));
        System.out.println(hops ? "every answering hop of the path is in the metrics" : "FAILED: hops missing from the metrics");
        ok &= hops;
        try (var files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
        System.out.println(ok ? "OK" : "FAILED: within 60 s the records or the series were not all there");
        System.exit(ok ? 0 : 1);
    }

    /** Whether a line of the Prometheus text starts with {@code prefix} and names {@code label}. */
    private static boolean has(String metrics, String prefix, String label) {
        return metrics.lines().anyMatch(l -> l.startsWith(prefix) && l.contains(label));
    }

    private AgentApp() {
    }
}
