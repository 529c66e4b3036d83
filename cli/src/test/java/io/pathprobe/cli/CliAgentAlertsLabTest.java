package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Issue 72: each alert of the shipped rules (deploy/prometheus/pathprobe-rules.yaml) fires on the scenario it is for,
 * with the agent as shipped: {@code pathprobe agent --config FILE} (the jar's launcher, a process) on a lab diamond
 * whose destination loses 30 % of its answers, scraped every second by a real Prometheus that loads the rules file.
 * One agent with five jobs, and one Prometheus:
 * <ul>
 *   <li>{@code path} traces the destination, its route pinned to one branch of the diamond, then moved to the other
 *       with the lab's tools: PathprobePathChanged for its flow;</li>
 *   <li>{@code edge} pings the destination (30 % of its answers lost: PathprobeDestinationLoss) and a second address
 *       of the destination, which the test then deletes from it ("the destination taken away"):
 *       PathprobeDestinationUnreachable ({@code ping_loss_ratio == 1});</li>
 *   <li>{@code gone} traces that second address asserting {@code must-reach}: once it is gone,
 *       PathprobeDestinationUnreachable ({@code pathprobe_destination_reached == 0}) and
 *       PathprobeAssertionFailing;</li>
 *   <li>{@code slow} pings for 3 s every second: PathprobeRunsSkipped;</li>
 *   <li>{@code broken} traces an IPv4 address asking for IPv6, a run that fails every second:
 *       PathprobeRunsFailing;</li>
 *   <li>the file sink writes to a 32 KiB tmpfs (mounted in the agent's own mount namespace, gone with it) with a
 *       buffer of 2 records: once it is full the sink fails its writes (PathprobeSinkDown) and drops records
 *       (PathprobeSinkDropping);</li>
 *   <li>the agent's file is rewritten with an unknown key: PathprobeReloadRefused;</li>
 *   <li>a second agent, also scraped, traces every 5 s with its clock 1000 s behind (libfaketime, the wall clock
 *       only: its schedule runs on the monotonic clock): to Prometheus its newest result is 1000 s old,
 *       PathprobeResultsStale (whose 900 s no test can wait) for its job, and for no job of the first agent.</li>
 * </ul>
 * For each alert its expression, read from the rules file, returns the scenario's series, and {@code ALERTS} holds the
 * alert for it, pending (an alert with a {@code for:} of 5 minutes) or firing. The baseline comes first: the second
 * address is reached, the gone job's assertion holds, no path changed, no reload was refused. Every probe stays in the
 * lab; the agent's endpoint and Prometheus listen on loopback of the test's namespace.
 */
@LabTest
@Timeout(300)
class CliAgentAlertsLabTest {
    static final Path RULES = Path.of("..", "deploy", "prometheus", "pathprobe-rules.yaml").toAbsolutePath();
    static final Duration PATIENCE = Duration.ofSeconds(90); // a liveness bound: scrapes and evaluations are 1 s apart
    static final String DEAD_CLOCK = "-1000"; // the agent's wall clock, seconds behind Prometheus's

    @Test
    void eachShippedAlertFiresOnItsScenario(@TempDir Path dir) throws Exception {
        Map<String, Map<String, Object>> rules = rules();
        assertThat(rules).hasSize(10);
        Map<String, String> exprs = new LinkedHashMap<>();
        rules.forEach((name, rule) -> exprs.put(name, (String) rule.get("expr")));
        Path faketime = libfaketime();
        try (Lab lab = Lab.diamond(2, EcmpHash.LINUX_L4).destinationAliases(1).dropFromDestination(30)
                .icmpUnlimited("each router answers each probe: no trace loses a hop to a rate limit")
                .inCurrentNamespace().build();
                Chaos chaos = Chaos.on(lab)) {
            String dst = AddressText.of(lab.destination());
            String gone = AddressText.of(lab.destinationAliases().get(0));
            List<InetAddress> branches = List.copyOf(lab.expectedResponders(2));
            chaos.replaceRoute(1, dst + "/32 via " + branches.get(0).getHostAddress());
            int port = freePort();
            int behindPort = freePort();
            Path disk = Files.createDirectory(dir.resolve("disk"));
            String config = "sinks:\n  - {type: file, name: disk, path: " + disk.resolve("records.ndjson")
                    + ", bufferRecords: 2}\n"
                    + "metrics: {host: 127.0.0.1, port: " + port + "}\n"
                    + "defaults: {enrich: off, probeTimeout: 500ms, maxTtl: 6}\n"
                    + "jobs:\n"
                    + "  - {name: path, kind: trace, target: " + dst + ", interval: 2s,"
                    + " options: {protocol: udp, probesPerTtl: 4}}\n"
                    + "  - {name: edge, kind: ping, targets: [" + dst + ", " + gone + "], interval: 2s, count: 20,"
                    + " probeInterval: 20ms}\n"
                    + "  - {name: gone, kind: trace, target: " + gone + ", interval: 2s, assert: {must-reach: true}}\n"
                    + "  - {name: slow, kind: ping, target: " + dst + ", interval: 1s, count: 4, probeInterval: 1s}\n"
                    + "  - {name: broken, kind: trace, target: " + dst + ", interval: 1s, options: {ipVersion: 6}}\n";
            Path file = Files.writeString(dir.resolve("agent.yaml"), config);
            Path err = dir.resolve("stderr.txt");
            Process p = new CliRuns(CliRuns.Enrichment.AS_GIVEN).call()
                    .under("unshare", "--mount", "--propagation", "private", "sh", "-c",
                            "mount -t tmpfs -o size=32k tmpfs \"$0\" && exec \"$@\"", disk.toString())
                    .command("agent", "--config", file.toString(), "--reload-interval", "1")
                    .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            // the agent whose clock is behind: one trace job (its clock is not the one its probes' kernel
            // timestamps come from, so its pings would be lost; its results are not what it is here for)
            Path behindFile = Files.writeString(dir.resolve("behind.yaml"), "metrics: {host: 127.0.0.1, port: "
                    + behindPort + "}\ndefaults: {enrich: off, probeTimeout: 500ms, maxTtl: 6}\n"
                    + "jobs:\n  - {name: behind, kind: trace, target: " + dst + ", interval: 5s}\n");
            Path behindErr = dir.resolve("behind-stderr.txt");
            Process behind = new CliRuns(CliRuns.Enrichment.AS_GIVEN).call()
                    .env("LD_PRELOAD", faketime.toString()).env("FAKETIME", DEAD_CLOCK)
                    .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
                    .command("agent", "--config", behindFile.toString())
                    .redirectError(behindErr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try (PrometheusServer prometheus = PrometheusServer.start(List.of(new InetSocketAddress("127.0.0.1",
                    port), new InetSocketAddress("127.0.0.1", behindPort)), "/metrics", RULES)) {
                assertThat(prometheus.rules()).as("Prometheus loaded the shipped rules").hasSize(10)
                        .allSatisfy(r -> assertThat(r.group()).isEqualTo("pathprobe-agent"));
                String flow = "pathprobe_job=\"path\",target=\"" + dst + "\",flow=\"0\"";
                // the baseline: the second address answers, the assertion holds, no change, no refusal
                await(prometheus, p, err, "pathprobe_destination_reached{pathprobe_job=\"gone\",target=\"" + gone
                        + "\"} == 1");
                await(prometheus, p, err, "pathprobe_assertion_state{pathprobe_job=\"gone\"} == 1");
                await(prometheus, p, err, "ping_loss_ratio{pathprobe_job=\"edge\",target=\"" + gone + "\"} < 1");
                await(prometheus, p, err, "pathprobe_path_changes_total{" + flow + "} == 0");
                await(prometheus, p, err, "pathprobe_agent_reloads_total{outcome=\"refused\"} == 0");
                assertThat(prometheus.query("ALERTS{alertname=~\"PathprobePathChanged|PathprobeReloadRefused\"}"))
                        .as("no path change, no refused reload yet").isEmpty();
                assertThat(prometheus.query(exprs.get("PathprobeAssertionFailing"))).as("the assertion holds")
                        .isEmpty();

                // the scenarios: the second address taken away, the route moved, a bad file
                run(lab.command(lab.hops(), List.of("ip", "addr", "del", gone + "/32", "dev", "lo")));
                chaos.replaceRoute(1, dst + "/32 via " + branches.get(1).getHostAddress());
                Files.writeString(file, config + "no-such-key: 1\n");

                Map<String, List<Map<String, String>>> expected = new LinkedHashMap<>();
                expected.put("PathprobeDestinationUnreachable", List.of(
                        Map.of("pathprobe_job", "gone", "target", gone),
                        Map.of("pathprobe_job", "edge", "target", gone)));
                expected.put("PathprobeDestinationLoss", List.of(Map.of("pathprobe_job", "edge", "target", dst)));
                expected.put("PathprobePathChanged", List.of(Map.of("pathprobe_job", "path", "target", dst,
                        "flow", "0")));
                expected.put("PathprobeAssertionFailing", List.of(Map.of("pathprobe_job", "gone", "target", gone)));
                expected.put("PathprobeSinkDown", List.of(Map.of("sink", "disk")));
                expected.put("PathprobeSinkDropping", List.of(Map.of("sink", "disk")));
                expected.put("PathprobeRunsSkipped", List.of(Map.of("pathprobe_job", "slow")));
                expected.put("PathprobeRunsFailing", List.of(Map.of("pathprobe_job", "broken")));
                expected.put("PathprobeResultsStale", List.of(Map.of("pathprobe_job", "behind", "target", dst,
                        "instance", "127.0.0.1:" + behindPort)));
                expected.put("PathprobeReloadRefused", List.of(Map.of("instance", "127.0.0.1:" + port)));
                assertThat(expected.keySet()).as("a scenario for each shipped alert").isEqualTo(exprs.keySet());
                for (var e : expected.entrySet()) {
                    String alert = e.getKey();
                    for (Map<String, String> labels : e.getValue()) {
                        long start = System.nanoTime();
                        prometheus.await(exprs.get(alert), s -> alive(p, err) && s.stream().anyMatch(
                                x -> x.labels().entrySet().containsAll(labels.entrySet())), PATIENCE);
                        // the alert itself, with the series' labels: pending while its for: runs, else firing
                        List<PrometheusServer.Series> alerts = prometheus.await("ALERTS{alertname=\"" + alert + "\"}",
                                s -> alive(p, err) && s.stream().anyMatch(x -> x.labels().entrySet()
                                        .containsAll(labels.entrySet())), PATIENCE);
                        System.out.printf("%s %s after %d ms: %s%n", alert, labels,
                                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), alerts.stream()
                                        .filter(x -> x.labels().entrySet().containsAll(labels.entrySet()))
                                        .map(x -> x.labels().get("alertstate")).collect(Collectors.toList()));
                        // without a for: the alert fires at once; with one (5 minutes) it is pending first
                        List<String> states = rules.get(alert).containsKey("for") ? List.of("pending", "firing")
                                : List.of("firing");
                        assertThat(alerts).filteredOn(x -> x.labels().entrySet().containsAll(labels.entrySet()))
                                .allSatisfy(x -> assertThat(x.labels().get("alertstate")).isIn(states));
                    }
                }
                // the agent whose clock is right is never stale: its results are new
                assertThat(prometheus.query(exprs.get("PathprobeResultsStale"))).as("only the agent behind is stale")
                        .allSatisfy(s -> assertThat(s.labels()).containsEntry("pathprobe_job", "behind"));
                assertThat(prometheus.query("ALERTS{alertname=\"PathprobeReloadRefused\"}"))
                        .as("only the agent whose file changed refused a reload").hasSize(1);
                assertThat(prometheus.rules()).as("every rule evaluated without an error")
                        .allSatisfy(r -> assertThat(r.health()).as(r + "").isEqualTo("ok"));
                assertThat(prometheus.query("up{job=\"pathprobe-agent\"}")).extracting(PrometheusServer.Series::value)
                        .containsExactly(1.0, 1.0);
            } catch (AssertionError | RuntimeException e) {
                // what the agent served and said, to see which scenario did not come about
                try {
                    System.out.println(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                            .newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString()).body());
                } catch (java.io.IOException x) {
                    System.out.println("no scrape: " + x);
                }
                System.out.println(Files.readString(err));
                throw e;
            } finally {
                p.destroy(); // SIGTERM
                behind.destroy();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("it stops on SIGTERM").isTrue();
                assertThat(behind.waitFor(30, TimeUnit.SECONDS)).as("it stops on SIGTERM").isTrue();
            }
            String stderr = Files.readString(err);
            assertThat(stderr).as("the refused reload, logged with its line").contains("no-such-key");
        }
    }

    /** Each alert's rule (its {@code expr}, {@code for} and the rest), by its name, as the shipped file has it. */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> rules() throws java.io.IOException {
        Map<String, Object> file = new Yaml().load(Files.readString(RULES));
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Map<String, Object> g : (List<Map<String, Object>>) file.get("groups")) {
            for (Map<String, Object> r : (List<Map<String, Object>>) g.get("rules")) {
                out.put((String) r.get("alert"), r);
            }
        }
        return out;
    }

    /** Debian's libfaketime (build/deps installs it); fails saying so where it is missing. */
    static Path libfaketime() throws java.io.IOException {
        try (var dirs = Files.newDirectoryStream(Path.of("/usr/lib"), "*-linux-gnu*")) {
            for (Path d : dirs) {
                Path lib = d.resolve("faketime/libfaketime.so.1");
                if (Files.isReadable(lib)) {
                    return lib;
                }
            }
        }
        throw new IllegalStateException("no libfaketime.so.1 under /usr/lib/*-linux-gnu/faketime: run build/deps "
                + "(Debian's libfaketime package)");
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void await(PrometheusServer prometheus, Process p, Path err, String promql) throws Exception {
        prometheus.await(promql, s -> alive(p, err) && !s.isEmpty(), PATIENCE);
    }

    private static boolean alive(Process p, Path err) {
        if (!p.isAlive()) {
            String said;
            try {
                said = Files.exists(err) ? Files.readString(err) : "";
            } catch (java.io.IOException e) {
                said = e.toString();
            }
            throw new AssertionError("the agent exited with " + p.exitValue() + ": " + said);
        }
        return true;
    }

    private static void run(ProcessBuilder pb) throws Exception {
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(pb.command() + ": " + out).isZero();
    }
}
