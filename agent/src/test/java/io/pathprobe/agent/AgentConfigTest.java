package io.pathprobe.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.MeasurementType;
import io.pathprobe.agent.sink.RecordFormat;
import io.pathprobe.check.Assertion;
import io.pathprobe.probe.IpVersion;
import io.pathprobe.probe.ProbeProtocol;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The schedule's file: what it means, and an error naming the line for everything it cannot mean. */
class AgentConfigTest {
    static final String SCHEDULE = """
            limits:
              concurrency: 4
              packetsPerSecond: 200
            defaults:
              maxTtl: 12
              probeTimeout: 500ms
            sinks:
              - type: file
                format: atlas
                path: /tmp/records.ndjson
                maxBytes: 10MB
              - type: stdout
            metrics:
              port: 0
            jobs:
              - name: web
                kind: trace
                targets: [198.18.1.1, 198.18.1.2]
                interval: 60s
                jitter: 5s
                labels: {service: web}
                options: {protocol: tcp, destinationPort: 443, trafficClass: EF/ect0}
              - name: edge
                kind: ping
                target: 198.18.1.3
                interval: 10s
                count: 3
              - name: watch
                kind: monitor
                target: 198.18.1.4
            """;

    @Test
    void aScheduleReadsAsWritten() {
        AgentConfig c = AgentConfig.parse(SCHEDULE, "agent.yaml");
        assertThat(c.limits()).isEqualTo(new AgentConfig.Limits(4, 200));
        assertThat(c.sinks()).hasSize(2);
        assertThat(c.sinks().get(0).format()).isEqualTo(RecordFormat.ATLAS);
        assertThat(c.sinks().get(0).options()).containsEntry("path", "/tmp/records.ndjson");
        assertThat(c.sinks().get(1).name()).isEqualTo("stdout");
        assertThat(c.metrics()).hasValueSatisfying(m -> assertThat(m.path()).isEqualTo("/metrics"));
        JobConfig web = c.job("web").orElseThrow();
        assertThat(web.kind()).isEqualTo(MeasurementType.TRACE);
        assertThat(web.targets()).containsExactly("198.18.1.1", "198.18.1.2");
        assertThat(web.interval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(web.labels()).containsEntry("service", "web");
        assertThat(web.options().maxTtl()).hasValue(12); // the defaults, under the job's own
        assertThat(web.options().protocol()).contains(ProbeProtocol.TCP);
        assertThat(web.options().destinationPort()).hasValue(443);
        assertThat(web.options().trafficClass()).contains(io.pathprobe.probe.TrafficClass.of(0xba));
        assertThat(c.job("edge").orElseThrow().count()).isEqualTo(3);
        assertThat(c.job("watch").orElseThrow().interval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void thePagesAreAtTheRootUnlessMovedOrSwitchedOff() {
        String jobs = "\njobs: [{name: a, kind: trace, target: 198.18.1.1, interval: 60s}]\n";
        assertThat(AgentConfig.parse("metrics: {port: 0}" + jobs, "a.yaml").metrics().orElseThrow().pages())
                .hasValue("/");
        assertThat(AgentConfig.parse("metrics: {port: 0, pages: /agent/}" + jobs, "a.yaml").metrics().orElseThrow()
                .pages()).hasValue("/agent/");
        for (String off : new String[] {"false", "off", "no"}) {
            assertThat(AgentConfig.parse("metrics: {port: 0, pages: " + off + "}" + jobs, "a.yaml").metrics()
                    .orElseThrow().pages()).isEmpty();
        }
        // the scrape at / keeps it: no pages unless they are given a path of their own
        assertThat(AgentConfig.parse("metrics: {port: 0, path: /}" + jobs, "a.yaml").metrics().orElseThrow()
                .pages()).isEmpty();
        assertThatThrownBy(() -> AgentConfig.parse("metrics: {port: 0, path: /m, pages: /m}" + jobs, "a.yaml"))
                .hasMessageContaining("a.yaml:1:").hasMessageContaining("pages must be a path starting with /");
        assertThatThrownBy(() -> AgentConfig.parse("metrics: {port: 0, pages: agent}" + jobs, "a.yaml"))
                .hasMessageContaining("pages must be a path starting with /");
    }

    @Test
    void theBudgetIsTheTracersWithTheOverallRateInPacketsPerSecond() {
        String job = "jobs: [{name: a, kind: trace, target: 198.18.1.1, interval: 60s}]\n";
        AgentConfig c = AgentConfig.parse("limits:\n  packetsPerSecond: 500\n  budget: {perRouter: 50, perDestination: 5,"
                + " perPrefix: 100}\n" + job, "agent.yaml");
        assertThat(c.limits().budget()).isEqualTo(new io.pathprobe.options.ProbeBudget(500, 5, 50, 100, 1));
        assertThat(c.limits().packetsPerSecond()).isEqualTo(500);
        assertThat(AgentConfig.parse(job, "agent.yaml").limits().budget().keyed()).isFalse();
        assertThat(c.startsAs(AgentConfig.parse("limits: {packetsPerSecond: 500}\n" + job, "x")))
                .as("a reload applies a changed budget: no restart").isTrue();
        assertError("limits:\n  budget: {perRouter: -1}\n" + job, 2, "perRouter must be 0 (unlimited)");
        assertError("limits:\n  budget: {perHost: 5}\n" + job, 2, "perHost");
    }

    @Test
    void jsonIsReadToo() {
        AgentConfig c = AgentConfig.parse("{\"jobs\": [{\"name\": \"a\", \"kind\": \"mtu\", \"target\": \"198.18.1.1\","
                + " \"interval\": \"PT5M\", \"options\": {\"ipVersion\": \"4\"}}]}", "agent.json");
        assertThat(c.jobs().get(0).interval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.jobs().get(0).options().ipVersion()).contains(IpVersion.IPV4);
        assertThat(c.limits()).isEqualTo(AgentConfig.Limits.DEFAULT);
    }

    @Test
    void everyErrorNamesItsLine() {
        assertError(SCHEDULE.replace("interval: 60s", "interval: 6x"), 19,
                "jobs[0].interval: '6x' is not a duration");
        assertError(SCHEDULE.replace("kind: ping", "kind: pong"), 24, "jobs[1].kind: 'pong' is not a kind");
        assertError(SCHEDULE.replace("jitter: 5s", "jiter: 5s"), 20, "unknown key 'jiter'");
        assertError(SCHEDULE.replace("maxTtl: 12", "maxTtl: 300"), 5, "maxTtl must be 1..255, was 300");
        assertError(SCHEDULE.replace("protocol: tcp", "protocol: sctp"), 22, "'sctp' is not allowed here");
        assertError(SCHEDULE.replace("trafficClass: EF/ect0", "trafficClass: AF51"), 22, "'AF51' is not allowed here");
        assertError(SCHEDULE.replace("name: edge", "name: web"), 23, "'web' is the name of another job");
        assertError(SCHEDULE.replace("service: web", "__service: web"), 21, "is not a label name");
        assertError(SCHEDULE.replace("  - name: watch\n    kind: monitor\n", "  - name: watch\n    kind: mtu\n"
                + "    options: {probesPerTtl: 9}\n    interval: 1m\n"), 28, "probesPerTtl must be 1..5, was 9");
        assertError(SCHEDULE.replace("format: atlas", "format: csv"), 9, "'csv' is not a record format");
        assertError(SCHEDULE.replace("count: 3", "count: three"), 27, "'three' is not a whole number");
        assertError("jobs: [a, b", 1, "not valid YAML");
        assertError("limits: {concurrency: 2}\n", 1, "has no 'jobs'");
        assertError("", 0, "is empty");
        assertError("jobs:\n  - name: x\n    kind: trace\n    interval: 1m\n", 2, "give 'target' or 'targets'");
        assertError("jobs:\n  - name: x\n    kind: trace\n    target: 198.18.1.1\n", 2, "give 'interval'");
    }

    /** Issue 72: a job's assertions are {@code pathprobe check}'s options, read by the check module's parser. */
    @Test
    void aJobsAssertionsArePathprobeChecksOptions() {
        String job = "jobs:\n  - name: a\n    kind: trace\n    target: 198.18.1.1\n    interval: 1m\n    assert: ";
        JobConfig a = AgentConfig.parse(job + "{max-loss: 5%, must-reach: true, no-dscp-change: false, "
                + "must-traverse: [AS64500, 198.18.9.0/24], max-rtt: p50:80ms}\n", "agent.yaml").jobs().get(0);
        assertThat(a.assertions()).map(Object::toString).containsExactly("--max-loss 5%", "--must-reach",
                "--must-traverse AS64500", "--must-traverse 198.18.9.0/24", "--max-rtt p50:80ms");
        assertThat(AgentConfig.parse(job.replace("    assert: ", ""), "x").jobs().get(0).assertions()).isEmpty();
        assertError(job + "{max-loss: 500%}\n", 6, "jobs[0].assert.max-loss: --max-loss 500%: a percent 0..100");
        assertError(job + "{max-los: 5%}\n", 6, "jobs[0].assert: unknown key 'max-los'");
        assertError(job + "{must-reach: maybe}\n", 6, "jobs[0].assert.must-reach: --must-reach 'maybe': true or false");
        assertError(job + "{max-hops: x}\n", 6, "jobs[0].assert.max-hops: --max-hops 'x': not a whole number");
        assertError(job.replace("kind: trace", "kind: mtu") + "{must-reach: true}\n", 6,
                "jobs[0].assert: a mtu job takes no assertions");
    }

    /**
     * Issue 72: a job's assertion its kind cannot show is refused as {@code pathprobe check} refuses it (the check
     * module's one rule, {@code Assertions.refusal}): a ping job's hop assertions (they would always read 0), a
     * monitor's quote assertions, a trace's jitter; each error names the job, the assertion and its line. The
     * destination's bounds a ping job takes; so does a flag set to false (no assertion).
     */
    @Test
    void aJobsAssertionItsKindCannotShowIsRefusedNamingTheJobAndTheAssertion() {
        String ping = "jobs:\n  - name: fleet\n    kind: ping\n    target: 198.18.1.1\n    interval: 1m\n    assert: ";
        assertError(ping + "{must-reach: true, max-hops: 3}\n", 6,
                "jobs[0].assert.max-hops: job 'fleet': --max-hops 3 reads a trace or a monitor, not a ping");
        assertError(ping + "{must-traverse: [198.18.9.0/24, AS64500]}\n", 6, "jobs[0].assert.must-traverse: job "
                + "'fleet': --must-traverse 198.18.9.0/24 reads a trace or a monitor, not a ping");
        assertError(ping + "{must-not-traverse: AS64501}\n", 6,
                "job 'fleet': --must-not-traverse AS64501 reads a trace or a monitor, not a ping");
        assertError(ping + "{max-loss: [5%, 1%@hop2]}\n", 6,
                "jobs[0].assert.max-loss: job 'fleet': --max-loss 1%@hop2 reads a trace or a monitor, not a ping");
        assertError(ping + "{path-id: 7}\n", 6, "job 'fleet': --path-id 7 reads a trace or a monitor, not a ping");
        assertError(ping + "{no-dscp-change: true}\n", 6, "job 'fleet': --no-dscp-change reads a trace, not a ping");
        assertError(ping + "{no-ecn-change: true}\n", 6, "job 'fleet': --no-ecn-change reads a trace, not a ping");
        assertError(ping.replace("kind: ping", "kind: monitor") + "{no-dscp-change: true}\n", 6,
                "job 'fleet': --no-dscp-change reads a trace, not a monitor");
        assertError(ping.replace("kind: ping", "kind: trace") + "{max-jitter: 5ms}\n", 6,
                "job 'fleet': --max-jitter 5ms reads a monitor or a ping, not a trace");
        JobConfig ok = AgentConfig.parse(ping + "{max-loss: 5%, must-reach: true, max-rtt: p50:20ms, max-jitter: 5ms, "
                + "no-dscp-change: false}\n", "agent.yaml").jobs().get(0);
        assertThat(ok.assertions()).map(Object::toString).containsExactly("--max-loss 5%", "--must-reach",
                "--max-rtt p50:20ms", "--max-jitter 5ms");
        // a schedule built in Java is held to the same rule
        assertThatThrownBy(() -> new JobConfig("fleet", MeasurementType.PING, List.of("198.18.1.1"),
                Duration.ofMinutes(1), Duration.ZERO, Map.of(), ok.options(), 5, Duration.ofSeconds(1),
                List.of(new Assertion.MustReach(), new Assertion.MaxHops(3))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("job fleet: --max-hops 3 reads a trace or a monitor, not a ping");
    }

    /** Issue 69: {@code user:} is looked up when the file is read, so --check refuses what start would. */
    @Test
    void theUserIsLookedUpWhenTheFileIsRead() {
        String job = "jobs:\n  - {name: a, kind: trace, target: 198.18.1.1, interval: 1m}\n";
        assertThat(AgentConfig.parse(job, "agent.yaml").user()).isEmpty();
        assertThat(AgentConfig.parse("user: root\n" + job, "agent.yaml").user())
                .hasValue(new io.pathprobe.linux.privilege.User("root", 0, 0));
        assertError("user: pathprobe-no-such-user\n" + job, 1,
                "user: unknown user 'pathprobe-no-such-user': not in this host's user database");
        assertError(job + "user: 'a b'\n", 3, "user: 'a b' is not a user name");
        assertError("user: [nobody]\n" + job, 1, "user: a single value was expected here");
        assertThat(AgentConfig.parse("user: root\n" + job, "agent.yaml").startsAs(AgentConfig.parse(job, "x")))
                .as("a reload that changes the user needs a restart").isFalse();
    }

    private static void assertError(String text, int line, String message) {
        assertThatThrownBy(() -> AgentConfig.parse(text, "agent.yaml"))
                .isInstanceOf(AgentConfigException.class)
                .hasMessageContaining(message)
                .hasMessageStartingWith("agent.yaml" + (line > 0 ? ":" + line + ":" : ": "))
                .satisfies(e -> assertThat(((AgentConfigException) e).line()).isEqualTo(line));
    }

    @Test
    void durationsReadAsPeopleWriteThem() {
        assertThat(ConfigReader.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(ConfigReader.parseDuration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(ConfigReader.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(ConfigReader.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(ConfigReader.parseDuration("PT10S")).isEqualTo(Duration.ofSeconds(10));
        assertThatThrownBy(() -> ConfigReader.parseDuration("10")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> ConfigReader.parseDuration("NaNs")).hasMessageContaining("not a duration");
    }
}
