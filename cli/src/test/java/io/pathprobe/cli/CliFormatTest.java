package io.pathprobe.cli;

import static io.pathprobe.cli.CliRuns.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Run;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code --format} and {@code --json} without a probe sent: usage errors, and errors as one JSON
 * object on stdout with exit code 2 when JSON output was asked for.
 */
class CliFormatTest {
    private static final CliRuns CLI = new CliRuns(Enrichment.OFF);

    /** stdout holds exactly one JSON value, an error document; returns its error object. */
    static JsonNode oneErrorObject(Run r) throws Exception {
        List<JsonNode> values;
        try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(r.out())) {
            values = it.readAll();
        }
        assertThat(values).as("stdout: %s", r.out()).hasSize(1);
        JsonNode doc = values.get(0);
        assertThat(doc.isObject()).isTrue();
        assertThat(doc.get("schemaVersion").asInt()).isEqualTo(1);
        JsonNode e = doc.get("error");
        assertThat(e.get("type").isTextual()).isTrue();
        assertThat(e.get("message").asText()).isNotBlank();
        return e;
    }

    @JarTest
    @Test
    void errorsWithJsonOutputAreOneJsonObjectOnStdoutAndExitTwo() throws Exception {
        for (String[] args : List.of(
                new String[] {"trace", "--json", "--no-such-option", "127.0.0.1"},
                new String[] {"trace", "--format", "json", "--no-such-option", "127.0.0.1"},
                new String[] {"trace", "--format=json", "--first-ttl", "x", "127.0.0.1"},
                new String[] {"ping", "--json", "-c", "x", "127.0.0.1"},
                new String[] {"multipath", "--json", "127.0.0.1", "extra"},
                new String[] {"bufferbloat", "--json"},
                new String[] {"trace", "--json", "--format", "atlas", "127.0.0.1"})) {
            Run r = CLI.run(args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(oneErrorObject(r).get("type").asText()).as(String.join(" ", args)).isEqualTo("usage");
        }
        Run both = CLI.run("trace", "--json", "-4", "-6", "127.0.0.1");
        assertThat(both.exitCode()).isEqualTo(2);
        JsonNode e = oneErrorObject(both);
        assertThat(e.get("type").asText()).isEqualTo("invalid_argument");
        assertThat(e.get("message").asText()).isEqualTo("-4 and -6 exclude each other");
        assertThat(both.err()).contains("-4 and -6 exclude each other");
        Run multipath = CLI.run("multipath", "--format", "json", "--width", "10", "127.0.0.1");
        assertThat(multipath.exitCode()).isEqualTo(2);
        assertThat(oneErrorObject(multipath).get("message").asText()).isEqualTo("--width 10: the text needs at least 40 columns");
    }

    @JarTest
    @Test
    void aServerThatRefusesIsAJsonErrorToo() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run r = CLI.run("bufferbloat", "--format", "json", "--url", "http://127.0.0.1:" + port, "--quick");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(oneErrorObject(r).get("type").asText()).isEqualTo("server");
        Run text = CLI.run("bufferbloat", "--url", "http://127.0.0.1:" + port, "--quick");
        assertThat(text.exitCode()).isEqualTo(2);
        assertThat(text.out()).isEmpty();
        assertThat(text.err()).startsWith("pathprobe bufferbloat: ");
    }

    @JarTest
    @Test
    void textErrorsStayOnStderr() {
        Run r = CLI.run("trace", "--no-such-option", "127.0.0.1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("Unknown option: '--no-such-option'");
        Run bad = CLI.run("trace", "--format", "xml", "127.0.0.1");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.out()).isEmpty();
        assertThat(bad.err()).contains("--format").contains("xml");
    }

    @JarTest
    @Test
    void atlasWhereItDoesNotApplyIsAUsageError() {
        Run bb = CLI.run("bufferbloat", "--format", "atlas", "--url", "https://127.0.0.1:1");
        assertThat(bb.exitCode()).isEqualTo(2);
        assertThat(bb.out()).isEmpty();
        // bufferbloat does not offer atlas: picocli names the formats it takes (issue 23: it was offered)
        assertThat(bb.err()).contains("Invalid value for option '--format'").contains("[TEXT, JSON]");
        Run help = CLI.run("bufferbloat", "--help");
        assertThat(help.out()).contains("--format=FORMAT").doesNotContain("atlas");
        assertThat(CLI.run("trace", "--help").out()).contains("atlas").doesNotContainPattern("PT[0-9]");
        for (String kind : List.of("dns", "http")) {
            Run p = CLI.run("ping", "--format", "atlas", "-P", kind, "-c", "1", "127.0.0.1");
            assertThat(p.exitCode()).isEqualTo(2);
            assertThat(p.out()).isEmpty();
            assertThat(p.err()).contains("ICMP, UDP and TCP pings, not " + kind);
        }
        Run contradiction = CLI.run("ping", "--json", "--format", "text", "127.0.0.1");
        assertThat(contradiction.exitCode()).isEqualTo(2);
        assertThat(contradiction.err()).contains("--json is --format json; it contradicts --format text");
    }

    @JarTest
    @Test
    void everyMeasurementCommandHasFormatAndJson() {
        for (String command : List.of("trace", "ping", "multipath", "bufferbloat")) {
            Run help = CLI.run(command, "--help");
            assertThat(help.exitCode()).isZero();
            assertThat(help.out()).as(command).contains("--format=FORMAT").contains("--json");
        }
    }

    @JarTest
    @Test
    void scamperIsOfferedByTraceAndMultipathOnly() {
        for (String command : List.of("trace", "multipath")) {
            assertThat(CLI.run(command, "--help").out()).as(command).contains("scamper (scamper's -O json");
        }
        assertThat(CLI.run("ping", "--help").out()).contains("atlas").doesNotContain("scamper");
        Run ping = CLI.run("ping", "--format", "scamper", "127.0.0.1");
        assertThat(ping.exitCode()).isEqualTo(2);
        assertThat(ping.out()).isEmpty();
        assertThat(ping.err()).contains("Invalid value for option '--format'").contains("[TEXT, JSON, ATLAS]");
        Run bb = CLI.run("bufferbloat", "--format", "scamper", "--url", "https://127.0.0.1:1");
        assertThat(bb.exitCode()).isEqualTo(2);
        assertThat(bb.err()).contains("[TEXT, JSON]");
        Run contradiction = CLI.run("trace", "--json", "--format", "scamper", "127.0.0.1");
        assertThat(contradiction.exitCode()).isEqualTo(2);
        assertThat(contradiction.out()).as("--json asked for a JSON error").contains("--format scamper");
    }

    @Test
    void scamperLinesAreCycleStartTheObjectsAndCycleStop() throws Exception {
        Instant start = Instant.parse("2026-11-26T02:04:41.5Z");
        String out = ScamperLines.lines(start, start.plusSeconds(3), List.of("{\"type\":\"trace\"}", "{\"type\":\"trace\"}"));
        assertThat(out).doesNotEndWith("\n");
        List<String> lines = out.lines().toList();
        assertThat(lines).hasSize(4);
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.get("type").asText()).isEqualTo("cycle-start");
        assertThat(first.get("list_name").asText()).isEqualTo("default");
        assertThat(first.get("id").asInt()).isZero();
        assertThat(first.get("hostname").asText()).isEqualTo(ScamperLines.hostname()).isNotBlank();
        assertThat(first.get("start_time").asLong()).isEqualTo(start.getEpochSecond());
        assertThat(lines.subList(1, 3)).containsOnly("{\"type\":\"trace\"}");
        JsonNode last = JSON.readTree(lines.get(3));
        assertThat(last.get("type").asText()).isEqualTo("cycle-stop");
        assertThat(last.get("stop_time").asLong()).isEqualTo(start.getEpochSecond() + 3);
        // the route lookup behind src: a connected UDP socket, nothing sent
        InetAddress loopback = InetAddress.getLoopbackAddress();
        assertThat(ScamperLines.source(Optional.of(loopback))).isEqualTo(loopback);
        assertThat(ScamperLines.source(Optional.empty())).isNull();
        assertThat(ScamperLines.source(Optional.of(InetAddress.getByName("0.0.0.0")))).isNull();
    }
}
