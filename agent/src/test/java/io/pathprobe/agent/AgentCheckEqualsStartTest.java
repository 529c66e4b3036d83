package io.pathprobe.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agent --check} (which reads the file with {@link AgentConfig#read}) and start (the builder, then
 * {@link PathProbeAgent#start()}) refuse the same bad schedules with the same one-line message.
 */
class AgentCheckEqualsStartTest {
    private static final String JOB = "jobs:\n  - {name: a, kind: trace, target: 198.18.4.1, interval: 10s}\n";

    /** A bad schedule and a part of the message that says why. */
    private static final Map<String, String> BAD = badSchedules();

    private static Map<String, String> badSchedules() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        String sink = "sinks:\n  - {type: file, path: /tmp/pathprobe-check-never-opened.ndjson%s}\n" + JOB;
        m.put(sink.formatted("").replace("type: file", "type: s3"), "no sink type 's3'");
        m.put(sink.formatted("").replace("type: file", "type: kafka"), "add pathprobe-agent-kafka for kafka");
        m.put(sink.formatted(", maxBytes: 1XB"), "maxBytes '1XB' is not a size");
        m.put(sink.formatted(", maxBytes: 0"), "maxBytes must be positive");
        m.put(sink.formatted(", files: -1"), "files must be a count 0 or more, was '-1'");
        m.put(sink.formatted(", files: many"), "files must be a count 0 or more");
        m.put(sink.formatted("").replace("path: /tmp/pathprobe-check-never-opened.ndjson", "path: \"\""),
                "path is empty");
        m.put(sink.formatted("").replace(", path: /tmp/pathprobe-check-never-opened.ndjson", ""),
                "needs the option 'path'");
        m.put(sink.formatted(", maxbytes: 1MB"), "unknown key 'maxbytes'");
        m.put(sink.formatted(", mode: rw"), "mode must be octal permissions such as 0600");
        m.put(sink.formatted(", options: {compression: gzip}"), "unknown key 'compression'");
        m.put("sinks:\n  - {type: stdout, path: /tmp/x}\n" + JOB, "sink stdout (stdout): unknown key 'path'");
        m.put(sink.formatted(", bufferRecords: 2147483647"), "bufferRecords must be 1..1000000");
        m.put(sink.formatted(", bufferRecords: 0"), "bufferRecords must be at least 1");
        m.put(sink.formatted(", format: csv"), "'csv' is not a record format");
        m.put(JOB.replace("198.18.4.1", "999.1.1.1"), "'999.1.1.1' is not a valid IPv4 address");
        m.put(JOB.replace("198.18.4.1", "224.0.0.1"), "'224.0.0.1' is not a unicast address");
        m.put(JOB.replace("198.18.4.1", "198.19.0.0/24"), "'198.19.0.0/24' is not a host name or address");
        m.put(JOB.replace("198.18.4.1", "198.19.0.1:80"), "'198.19.0.1:80' names a port");
        m.put(JOB.replace("198.18.4.1", "255.255.255.255"), "is a broadcast address");
        m.put(JOB.replace("198.18.4.1", "\"https://198.18.4.1/\""), "is a URL");
        m.put(JOB.replace("target: 198.18.4.1", "targets: [198.18.4.1, 0.0.0.0]"), "'0.0.0.0' is not a unicast");
        m.put(JOB.replace("interval: 10s", "interval: 1ms"), "1 ms is shorter than a trace job's floor, 1000 ms");
        m.put(JOB.replace("kind: trace", "kind: multipath").replace("10s", "500ms"), "multipath job's floor");
        m.put(JOB.replace("kind: trace", "kind: mtu").replace("10s", "999ms"), "mtu job's floor, 1000 ms");
        m.put(JOB.replace("kind: trace", "kind: ping").replace("10s", "10ms"), "ping job's floor, 1000 ms");
        m.put(JOB.replace("kind: trace", "kind: monitor").replace("10s", "10ms"), "monitor job's floor, 100 ms");
        m.put(JOB.replace("interval: 10s", "interval: 10s, speed: 3"), "unknown key 'speed'");
        m.put(JOB.replace("interval: 10s", "interval: 10s, options: {trafficClass: 0xb8x}"), "is not allowed here");
        m.put(JOB.replace("interval: 10s", "interval: 10s, options: {trafficClass: 184}"), "is not allowed here");
        m.put(JOB + JOB.replace("jobs:\n", ""), "'a' is the name of another job");
        m.put(JOB + "jobs: []\n", "the key 'jobs' is given twice");
        m.put("{\"jobs\": [], \"jobs\": [{\"name\": \"a\"}]}", "the key 'jobs' is given twice");
        m.put("metrics: {port: 70000}\n" + JOB, "port must be 0..65535");
        m.put("metrics: {port: 9464, port: 9465}\n" + JOB, "the key 'port' is given twice");
        m.put("limits: {concurrency: 0}\n" + JOB, "concurrency must be at least 1");
        m.put("!!java.util.Date {}\n", "Global tag is not allowed");
        return m;
    }

    @Test
    void checkAndStartRefuseEveryBadScheduleWithTheSameLine(@TempDir Path dir) throws Exception {
        assertThat(BAD).hasSizeGreaterThanOrEqualTo(30);
        List<String> seen = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, String> e : BAD.entrySet()) {
            Path file = dir.resolve("bad-" + i++ + ".yaml");
            Files.writeString(file, e.getKey());
            String check = refusal(() -> AgentConfig.read(file));
            String start = refusal(() -> {
                try (PathProbeAgent agent = PathProbeAgent.builder().configFile(file).build()) {
                    agent.start();
                }
            });
            assertThat(check).as(e.getKey()).contains(e.getValue()).startsWith(file.toString()).doesNotContain("\n");
            assertThat(start).as(e.getKey()).isEqualTo(check);
            seen.add(check);
        }
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(Files.exists(Path.of("/tmp/pathprobe-check-never-opened.ndjson"))).isFalse();
    }

    private static String refusal(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        List<String> message = new ArrayList<>();
        assertThatThrownBy(call).isInstanceOf(AgentConfigException.class).satisfies(t -> message.add(t.getMessage()));
        return message.get(0);
    }

    @Test
    void aFileSinksModeIsTakenByCheckAndStartAlike(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("records.ndjson");
        Path file = dir.resolve("mode.yaml");
        Files.writeString(file, "sinks:\n  - {type: file, path: " + out + ", mode: '0640'}\n" + JOB);
        assertThat(AgentConfig.read(file).sinks()).hasSize(1);
        try (PathProbeAgent agent = PathProbeAgent.builder().configFile(file).build()) {
            agent.start();
        }
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
                .isEqualTo("rw-r-----");
    }

    @Test
    void trafficClassTakesTheToSByteInHexAsTheCliDoes() {
        assertThat(ConfigReader.trafficClass("0xb8").dscp()).isEqualTo(46);
        assertThat(ConfigReader.trafficClass("0xB8/ce")).isEqualTo(ConfigReader.trafficClass("EF/ce"));
        assertThat(ConfigReader.trafficClass("46")).isEqualTo(ConfigReader.trafficClass("EF"));
    }
}
