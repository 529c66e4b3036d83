package io.pathprobe.cli;

import static io.pathprobe.cli.CliRuns.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pathprobe.diff.PathDiff;
import io.pathprobe.json.DiffJson;
import io.pathprobe.json.MonitorJson;
import io.pathprobe.json.PathProbeJson;
import io.pathprobe.json.PingJson;
import io.pathprobe.json.TraceJson;
import io.pathprobe.testing.Samples;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pathprobe diff} on files: JSON round trips (a result written by its writer and read back is the snapshot
 * of the object, so their diff is none), a moved router in a file, traceAll arrays, monitor documents, recordings
 * (cut mid-line too), and the errors: a file that holds no measurement, two kinds, a missing file.
 */
class DiffCommandTest {
    private static final CliRuns CLI = new CliRuns(CliRuns.Enrichment.AS_GIVEN);

    @TempDir
    Path dir;

    private Path file(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private static CliRuns.Run diff(Path a, Path b, String... more) {
        String[] args = new String[3 + more.length];
        args[0] = "diff";
        args[1] = a.toString();
        args[2] = b.toString();
        System.arraycopy(more, 0, args, 3, more.length);
        return CLI.run(args);
    }

    @Test
    void aTraceReadBackFromItsDocumentComparesAsTheObject() throws Exception {
        for (io.pathprobe.trace.TraceResult t : List.of(Samples.trace(), Samples.trace6())) {
            io.pathprobe.trace.TraceResult read = DiffJson.read(TraceJson.write(t)).traces().get(0);
            assertThat(PathDiff.of(t, read).none()).as("%s", t.target()).isTrue();
            assertThat(PathDiff.of(read, t).none()).isTrue();
            assertThat(DiffJson.write(PathDiff.of(read, read))).isEqualTo(DiffJson.write(PathDiff.of(t, t)));
        }
        io.pathprobe.monitor.MonitorResult read = MonitorJson.read(MonitorJson.write(Samples.monitor()));
        PathDiff d = PathDiff.of(Samples.monitor(), read);
        assertThat(d.none()).isTrue();
        assertThat(d.targets().get(0).after().destinationTtl()).isEqualTo(d.targets().get(0).before()
                .destinationTtl()).hasValue(3);
        assertThat(DiffJson.write(d)).isEqualTo(DiffJson.write(PathDiff.of(Samples.monitor(), Samples.monitor())));
    }

    @JarTest
    @Test
    void twoEqualFilesSayNoChangeAndExitZero() throws Exception {
        Path a = file("a.json", TraceJson.write(Samples.trace()));
        Path b = file("b.json", TraceJson.write(Samples.trace()));
        CliRuns.Run r = diff(a, b);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("no change\n");
        CliRuns.Run j = diff(a, b, "--json");
        assertThat(j.exitCode()).isZero();
        assertThat(JSON.readTree(j.out()).get("changed").asBoolean()).isFalse();
        Path m = file("m.json", MonitorJson.write(Samples.monitor()));
        assertThat(diff(m, m).out()).isEqualTo("no change\n");
        // mtr --ndjson: round lines, then the monitor document on the last line
        Path stream = file("m.ndjson", "{\"schemaVersion\":4,\"type\":\"round\",\"round\":1}\n"
                + MonitorJson.line(Samples.monitor()) + "\n");
        CliRuns.Run s = diff(stream, m);
        assertThat(s.exitCode()).as(s.err()).isZero();
        assertThat(s.out()).isEqualTo("no change\n");
    }

    @JarTest
    @Test
    void aMovedRouterInAFileIsNamedAndNothingElse() throws Exception {
        JsonNode moved = JSON.readTree(TraceJson.write(Samples.trace()));
        ObjectNode two = (ObjectNode) moved.get("hops").get(1);
        two.put("address", "198.18.9.1");
        ((ObjectNode) two.get("responders").get(0)).put("address", "198.18.9.1");
        Path a = file("a.json", TraceJson.write(Samples.trace()));
        Path b = file("b.json", moved.toString());
        CliRuns.Run r = diff(a, b);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("hop 2: 198.18.1.1 -> 198.18.9.1 (AS64500)\n");
        JsonNode j = JSON.readTree(diff(a, b, "--json").out());
        assertThat(j.get("changed").asBoolean()).isTrue();
        assertThat(j.at("/targets/0/changes")).hasSize(1);
        assertThat(j.at("/targets/0/changes/0/kind").asText()).isEqualTo("RESPONDER_CHANGED");
        assertThat(j.at("/targets/0/changes/0/ttl").asInt()).isEqualTo(2);
    }

    @JarTest
    @Test
    void traceAllArraysAreComparedTargetByTarget() throws Exception {
        String both = PathProbeJson.write(List.of(TraceJson.tree(Samples.trace()), TraceJson.tree(Samples.trace6())));
        String one = PathProbeJson.write(List.of(TraceJson.tree(Samples.trace6())));
        Path a = file("all-a.json", both);
        assertThat(diff(a, file("all-b.json", both)).out()).isEqualTo("no change (2 targets)\n");
        CliRuns.Run r = diff(a, file("one.json", one));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("only before: " + Samples.ODD_NAME + "\n");
        // a single trace against a traceAll: traces both, compared as sets
        assertThat(diff(file("six.json", TraceJson.write(Samples.trace6())), a).out())
                .isEqualTo("only after: " + Samples.ODD_NAME + "\n");
    }

    @JarTest
    @Test
    void aRecordingGivesItsLastCompleteResult() throws Exception {
        String head = "{\"type\":\"recording\",\"format\":1,\"measurement\":\"trace\"}\n";
        String before = "{\"type\":\"result\",\"measurement\":\"trace\",\"result\":"
                + JSON.readTree(TraceJson.write(Samples.trace6())) + "}\n";
        String later = "{\"type\":\"result\",\"measurement\":\"trace\",\"result\":"
                + JSON.readTree(TraceJson.write(Samples.trace())) + "}\n";
        Path plain = file("t.json", TraceJson.write(Samples.trace()));
        Path rec = file("rec.ndjson", head + "{\"type\":\"probe\",\"ttl\":1}\n" + before + later);
        assertThat(diff(rec, plain).out()).isEqualTo("no change\n");
        Path cut = file("cut.ndjson", head + later + later.substring(0, later.length() / 2));
        assertThat(diff(cut, plain).out()).as("cut mid-line: the complete line before").isEqualTo("no change\n");
        Path none = file("none.ndjson", head + later.substring(0, 40));
        CliRuns.Run r = diff(none, plain);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("pathprobe diff: " + none + ": a recording that holds no complete result "
                + "line (cut before its measurement ended?)\n");
        Path ping = file("ping.ndjson", head + "{\"type\":\"result\",\"measurement\":\"ping\",\"result\":"
                + JSON.readTree(PingJson.write(Samples.ping())) + "}\n");
        assertThat(diff(ping, plain).err()).contains("a recording of a ping result: diff compares traces");
    }

    @JarTest
    @Test
    void aFileThatHoldsNoSuchMeasurementIsOneLineAndExitTwo() throws Exception {
        Path trace = file("t.json", TraceJson.write(Samples.trace()));
        Path monitor = file("m.json", MonitorJson.write(Samples.monitor()));
        oneLine(diff(trace, monitor), trace + " holds traces (a trace document), " + monitor
                + " monitor runs (a monitor document): diff compares measurements of one kind");
        Path missing = dir.resolve("missing.json");
        oneLine(diff(trace, missing), missing + ": no such file");
        oneLine(diff(file("x.txt", "hop 1 198.18.0.1\n"), trace), "x.txt: not JSON (");
        oneLine(diff(file("p.json", PingJson.write(Samples.ping())), trace), "p.json: not a trace, traceAll or "
                + "monitor document");
        JsonNode bad = JSON.readTree(TraceJson.write(Samples.trace()));
        ((ObjectNode) bad.get("hops").get(0)).remove("ttl");
        oneLine(diff(file("bad.json", bad.toString()), trace), "bad.json: a hop without a ttl");
        ((ArrayNode) bad.get("hops")).removeAll();
        ((ObjectNode) bad).put("destination", "destination.lab.example");
        oneLine(diff(file("name.json", bad.toString()), trace), "'destination.lab.example' is not an IP address");
        CliRuns.Run j = diff(trace, missing, "--json");
        assertThat(j.exitCode()).isEqualTo(2);
        assertThat(JSON.readTree(j.out()).at("/error/type").asText()).isEqualTo("invalid_argument");
    }

    private static void oneLine(CliRuns.Run r, String message) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines().toList()).singleElement().asString().startsWith("pathprobe diff: ")
                .contains(message);
    }
}
