package io.pathprobe.agent.metrics;

import static io.pathprobe.agent.metrics.Results.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pathprobe.MeasurementType;
import io.pathprobe.agent.sink.SinkStatistics;
import io.pathprobe.lab.server.PrometheusServer;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingStatus;
import io.pathprobe.testing.Samples;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The alert rules that ship (deploy/prometheus/pathprobe-rules.yaml): Debian's promtool checks them and runs their
 * unit tests (pathprobe-rules.test.yaml: a series that fires each alert and one that must not); every metric, label
 * and outcome they and their tests read is one the agent's scrape has; the Kubernetes PrometheusRule carries them
 * as written.
 */
class AlertRulesTest {
    static final Path DIR = Path.of("..", "deploy", "prometheus");
    static final Path RULES = DIR.resolve("pathprobe-rules.yaml");
    static final Path TESTS = DIR.resolve("pathprobe-rules.test.yaml");
    /** A metric of the agent in an expression: core's and the agent's names start so, the ping ones as OTel's. */
    static final Pattern METRIC = Pattern.compile("\\b(?:pathprobe|ping)_[a-z_]+\\b");
    static final Pattern MATCHER = Pattern.compile("\\b([a-z_]+)=\"([^\"]*)\"");
    static final Pattern SERIES = Pattern.compile("([a-z_]+)\\{(.*)}");
    /** Labels Prometheus puts on every scraped series. */
    static final Set<String> SCRAPE_LABELS = Set.of("instance", "job");

    @Test
    void promtoolChecksTheRulesAndTheirUnitTestsPass() throws Exception {
        String checked = promtool("check", "rules", RULES.getFileName().toString());
        assertThat(checked).contains("SUCCESS: 10 rules found");
        String tested = promtool("test", "rules", TESTS.getFileName().toString());
        assertThat(tested).contains("SUCCESS");
    }

    /**
     * Runs Debian's promtool in deploy/prometheus; {@return what it said} failing on a non-zero exit, and on Linux
     * when there is no promtool (build/deps installs it). Elsewhere plain {@code mvn test} runs without it, as the
     * build promises, and this test is skipped.
     */
    static String promtool(String... args) throws IOException, InterruptedException {
        Assumptions.assumeTrue(PrometheusServer.onPath("promtool").isPresent()
                || System.getProperty("os.name").startsWith("Linux"), "no promtool on the PATH off Linux");
        List<String> command = new java.util.ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("promtool is not installed: build/deps installs Debian's prometheus", e);
        }
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("promtool %s ends", command).isTrue();
        assertThat(p.exitValue()).as("%s exits 0; it said:%n%s", command, said).isZero();
        return said;
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyMetricLabelAndOutcomeTheRulesAndTheirTestsReadIsOneTheAgentExposes() throws Exception {
        Map<String, Set<String>> labels = new HashMap<>(); // metric -> its label names in the agent's scrape
        Map<String, Set<String>> values = new HashMap<>(); // label -> its values there
        for (Scrape.Line l : agentScrape().lines) {
            labels.computeIfAbsent(l.name(), n -> new HashSet<>()).addAll(l.labels().keySet());
            l.labels().forEach((k, v) -> values.computeIfAbsent(k, n -> new HashSet<>()).add(v));
        }
        int metrics = 0;
        for (Map<String, Object> rule : rules(Files.readString(RULES))) {
            String expr = (String) rule.get("expr");
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                assertThat(labels).as("%s reads %s", rule.get("alert"), m.group()).containsKey(m.group());
                metrics++;
            }
            Matcher lm = MATCHER.matcher(expr);
            while (lm.find()) {
                assertThat(values.get(lm.group(1))).as("%s selects %s", rule.get("alert"), lm.group())
                        .contains(lm.group(2));
            }
        }
        assertThat(metrics).isGreaterThanOrEqualTo(13);
        Map<String, Object> tests = new Yaml().load(Files.readString(TESTS));
        int series = 0;
        for (Map<String, Object> test : (List<Map<String, Object>>) tests.get("tests")) {
            for (Map<String, Object> input : (List<Map<String, Object>>) test.get("input_series")) {
                Matcher s = SERIES.matcher((String) input.get("series"));
                assertThat(s.matches()).as("%s", input).isTrue();
                Set<String> names = new HashSet<>();
                Matcher lm = MATCHER.matcher(s.group(2));
                while (lm.find()) {
                    names.add(lm.group(1));
                }
                names.removeAll(SCRAPE_LABELS);
                assertThat(names).as("the labels of %s in the tests", s.group(1)).isEqualTo(labels.get(s.group(1)));
                series++;
            }
        }
        assertThat(series).isGreaterThan(30);
    }

    /**
     * The agent's run counters, as its registry shows them when the schedule is loaded and after one run each, fed
     * to promtool as a Prometheus scraping every minute would have them: the first skip of job {@code slow} is an
     * increase of 1 and fires {@code PathprobeRunsSkipped}, the first failure of job {@code broken} fires
     * {@code PathprobeRunsFailing}. Job {@code late} is counted without being loaded first (its series appear with
     * their first run, as before the counters started at 0): its skip is no increase and fires nothing, which is
     * why the zero matters.
     */
    @Test
    void theFirstSkippedAndTheFirstFailedRunOfAJobFireTheirAlerts(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AgentMetrics metrics = new AgentMetrics(registry);
        metrics.jobAdded("slow", MeasurementType.TRACE);
        metrics.jobAdded("broken", MeasurementType.PING);
        Scrape loaded = new Scrape(registry.scrape());
        metrics.measurement("slow", MeasurementType.TRACE, "skipped");
        metrics.measurement("broken", MeasurementType.PING, "failed");
        metrics.measurement("late", MeasurementType.TRACE, "skipped");
        Scrape ran = new Scrape(registry.scrape());
        StringBuilder series = new StringBuilder();
        for (Scrape.Line l : ran.find("pathprobe_agent_measurements_total")) {
            Map<String, String> labels = l.labels();
            java.util.OptionalDouble before = loaded.value(l.name(), labels.entrySet().stream()
                    .flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toArray(String[]::new));
            StringBuilder values = new StringBuilder(before.isPresent() ? fmt(before.getAsDouble()) : "_");
            for (int minute = 1; minute <= 10; minute++) {
                values.append(' ').append(fmt(l.value()));
            }
            series.append("      - series: 'pathprobe_agent_measurements_total{instance=\"node-a:9464\","
                    + "job=\"pathprobe-agent\",pathprobe_job=\"").append(labels.get("pathprobe_job"))
                    .append("\",kind=\"").append(labels.get("kind")).append("\",outcome=\"")
                    .append(labels.get("outcome")).append("\"}'\n        values: '").append(values).append("'\n");
        }
        assertThat(series.toString()).as("slow and broken: 3 outcomes, late: 1").hasLineCount(2 * 7);
        Path test = Files.writeString(dir.resolve("first-runs.test.yaml"), "rule_files:\n  - "
                + RULES.toAbsolutePath().normalize() + "\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n"
                + "    input_series:\n" + series
                + "    promql_expr_test:\n"
                + "      - expr: increase(pathprobe_agent_measurements_total{outcome=\"skipped\"}[15m])\n"
                + "        eval_time: 5m\n        exp_samples:\n"
                + increase("slow", "trace", 1) + increase("late", "trace", 0) + increase("broken", "ping", 0)
                + "    alert_rule_test:\n"
                + "      - eval_time: 5m\n        alertname: PathprobeRunsSkipped\n        exp_alerts:\n"
                + "          - exp_labels: {severity: warning, instance: \"node-a:9464\", job: pathprobe-agent,"
                + " pathprobe_job: slow, kind: trace, outcome: skipped}\n"
                + "            exp_annotations:\n"
                + "              summary: \"pathprobe job slow: runs skipped\"\n"
                + "              description: \"Job slow (agent node-a:9464) skipped 1 runs in 15 minutes: each was"
                + " due while the previous one still ran.\"\n"
                + "      - eval_time: 5m\n        alertname: PathprobeRunsFailing\n        exp_alerts:\n"
                + "          - exp_labels: {severity: warning, instance: \"node-a:9464\", job: pathprobe-agent,"
                + " pathprobe_job: broken, kind: ping}\n"
                + "            exp_annotations:\n"
                + "              summary: \"pathprobe job broken: runs failing\"\n"
                + "              description: \"100% of job broken's runs (agent node-a:9464) failed in 15 minutes;"
                + " the agent's log says why.\"\n");
        assertThat(promtool("test", "rules", test.toAbsolutePath().toString())).as(Files.readString(test))
                .contains("SUCCESS");
    }

    /** An expected sample of the skipped runs' increase, in promtool's test file. */
    private static String increase(String job, String kind, int value) {
        return "          - labels: '{instance=\"node-a:9464\",job=\"pathprobe-agent\",pathprobe_job=\"" + job
                + "\",kind=\"" + kind + "\",outcome=\"skipped\"}'\n            value: " + value + "\n";
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** What the agent's registry shows with a result of every kind the rules read, runs, sinks and reloads. */
    static Scrape agentScrape() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AgentMetrics metrics = new AgentMetrics(registry);
        String dst = AgentMetricsTest.DST;
        metrics.record(record("core", MeasurementType.TRACE, dst, AgentMetricsTest.fourHops("198.18.1.1")),
                List.of(new io.pathprobe.check.Assertion.MustReach()));
        metrics.record(record("ping", MeasurementType.PING, dst, new PingResult(List.of(AgentMetricsTest.pinged(0,
                dst, 10, 9, 1, 1.5)), PingStatus.COMPLETED, Results.TIME, Duration.ofSeconds(1))));
        metrics.record(record("mda", MeasurementType.MULTIPATH, "198.18.10.1", Samples.multipath()));
        for (String outcome : List.of("completed", "failed", "skipped")) {
            metrics.measurement("core", MeasurementType.TRACE, outcome);
        }
        metrics.bindSinks(() -> List.of(new SinkStatistics("file", 10, 2, 1, 0, 3, true)));
        metrics.bindReloads(() -> 1, () -> 1);
        return new Scrape(registry.scrape());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theKubernetesPrometheusRuleCarriesTheRulesAsWritten() throws Exception {
        Map<String, Object> file = new Yaml().load(Files.readString(RULES));
        Map<String, Object> manifest = new Yaml().load(Files.readString(Path.of("..", "deploy", "kubernetes",
                "prometheus-rules.yaml")));
        assertThat(manifest).containsEntry("kind", "PrometheusRule");
        assertThat(((Map<String, Object>) manifest.get("spec")).get("groups")).isEqualTo(file.get("groups"));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rules(String text) {
        Map<String, Object> file = new Yaml().load(text);
        return ((List<Map<String, Object>>) file.get("groups")).stream()
                .flatMap(g -> ((List<Map<String, Object>>) g.get("rules")).stream()).toList();
    }
}
