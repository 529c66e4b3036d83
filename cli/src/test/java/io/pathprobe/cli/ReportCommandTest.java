package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.compare.CompareRequest;
import io.pathprobe.compare.CompareResult;
import io.pathprobe.graph.PathGraph;
import io.pathprobe.json.CompareJson;
import io.pathprobe.json.MonitorJson;
import io.pathprobe.json.MtuJson;
import io.pathprobe.json.MultipathJson;
import io.pathprobe.json.PingJson;
import io.pathprobe.json.TraceJson;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.testing.Samples;
import io.pathprobe.trace.TraceAllStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pathprobe report IN -o FILE} and {@code --html FILE} through the shipped launcher: a trace or monitor document
 * becomes a report; bad input is one line on stderr, exit 2, and no file (not even a temporary one) is left behind; a
 * {@code --html} file with no directory to go in is a usage error before anything is sent.
 */
class ReportCommandTest {
    private static final CliRuns CLI = new CliRuns(CliRuns.Enrichment.AS_GIVEN);

    private static long files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @JarTest
    @Test
    void aTraceOrMonitorDocumentBecomesAReport(@TempDir Path dir) throws Exception {
        Path trace = Files.writeString(dir.resolve("trace.json"), TraceJson.write(Samples.trace()));
        Path html = dir.resolve("trace.html");
        CliRuns.Run r = CLI.run("report", trace.toString(), "-o", html.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(Files.readString(html, StandardCharsets.UTF_8)).startsWith("<!DOCTYPE html>")
                .contains("default-src 'none'", "core1.isp.lab.example", "<svg");

        Path monitor = Files.writeString(dir.resolve("monitor.json"), MonitorJson.write(Samples.monitor()));
        Path mhtml = dir.resolve("monitor.html");
        CliRuns.Run m = CLI.run("report", monitor.toString(), "--output", mhtml.toString());
        assertThat(m.exitCode()).as(m.err()).isZero();
        assertThat(Files.readString(mhtml, StandardCharsets.UTF_8)).contains("<h1>monitor of 198.19.0.1</h1>",
                "r1a.lab.example");
        assertThat(files(dir)).isEqualTo(4); // the two documents and their reports, nothing else
    }

    /** {@return how many times {@code needle} stands in {@code text}} */
    private static long count(String text, String needle) {
        return text.split(java.util.regex.Pattern.quote(needle), -1).length - 1L;
    }

    /** {@return a file holding {@code doc} with {@code field} gone, its path} */
    private static String broken(Path dir, String name, String doc, String field) throws Exception {
        String without = doc.replaceFirst(field + ",", "");
        assertThat(without).isNotEqualTo(doc);
        return Files.writeString(dir.resolve(name), without).toString();
    }

    @JarTest
    @Test
    void aPathMtuOrPingDocumentBecomesAReportOfItsHopsOrTargets(@TempDir Path dir) throws Exception {
        Path mtu = Files.writeString(dir.resolve("mtu.json"), MtuJson.write(Samples.mtu()));
        CliRuns.Run r = CLI.run("report", mtu.toString(), "-o", dir.resolve("mtu.html").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        String html = Files.readString(dir.resolve("mtu.html"), StandardCharsets.UTF_8);
        assertThat(html).contains("<h1>path MTU to 198.19.0.1</h1>", "black hole at hop 6");
        assertThat(count(html, "<tr><td>")).as("a row per hop").isEqualTo(Samples.mtu().hops().size());

        Path ping = Files.writeString(dir.resolve("ping.json"), PingJson.write(Samples.ping()));
        CliRuns.Run p = CLI.run("report", ping.toString(), "-o", dir.resolve("ping.html").toString());
        assertThat(p.exitCode()).as(p.err()).isZero();
        String phtml = Files.readString(dir.resolve("ping.html"), StandardCharsets.UTF_8);
        assertThat(phtml).contains("<h1>ping</h1>", "dst.lab.example", "no.such.name.lab.example");
        assertThat(count(phtml, "<tr><td>")).as("a row per target").isEqualTo(Samples.ping().targets().size());
        assertThat(files(dir)).isEqualTo(4);
    }

    @JarTest
    @Test
    void aMultipathOrComparisonDocumentBecomesAReportOfItsGraphOrRows(@TempDir Path dir) throws Exception {
        MultipathResult mp = Samples.multipath();
        Path multipath = Files.writeString(dir.resolve("multipath.json"), MultipathJson.write(mp));
        CliRuns.Run r = CLI.run("report", multipath.toString(), "-o", dir.resolve("multipath.html").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        String html = Files.readString(dir.resolve("multipath.html"), StandardCharsets.UTF_8);
        assertThat(html).contains("<h1>multipath discovery to 198.18.10.1</h1>");
        assertThat(count(html, "<g class=\"node ")).as("a node per graph node").isEqualTo(PathGraph.of(mp).nodes()
                .size());
        assertThat(count(html, "<tr class=\"path\"")).as("a row per path").isEqualTo(mp.paths().size());

        CompareResult c = CompareResult.of(CompareRequest.builder("198.51.100.10").protocols(List.of(
                ProbeProtocol.ICMP, ProbeProtocol.UDP)).build(), List.of(Samples.trace(), Samples.trace()),
                TraceAllStatus.COMPLETED, Samples.START, Duration.ofSeconds(1));
        Path compare = Files.writeString(dir.resolve("compare.json"), CompareJson.write(c));
        CliRuns.Run p = CLI.run("report", compare.toString(), "-o", dir.resolve("compare.html").toString());
        assertThat(p.exitCode()).as(p.err()).isZero();
        String chtml = Files.readString(dir.resolve("compare.html"), StandardCharsets.UTF_8);
        assertThat(count(chtml, "<tr><td class=\"n\">")).as("a row per TTL").isEqualTo(c.rows().size());
        assertThat(files(dir)).isEqualTo(4);
    }

    @JarTest
    @Test
    void badInputIsExitTwoWithOneLineAndNoFileLeftBehind(@TempDir Path dir) throws Exception {
        Path html = dir.resolve("out.html");
        Path garbage = Files.writeString(dir.resolve("garbage.json"), "{\"not\": \"a result\"");
        for (String[] args : new String[][] {{"report", garbage.toString(), "-o", html.toString()},
                {"report", dir.resolve("absent.json").toString(), "-o", html.toString()},
                {"report", dir.toString(), "-o", html.toString()},
                {"report", broken(dir, "mtu.json", MtuJson.write(Samples.mtu()), "\"pathMtu\" ?: ?1500"), "-o",
                        html.toString()},
                {"report", broken(dir, "ping.json", PingJson.write(Samples.ping()), "\"kind\" ?: ?\"icmp\""), "-o",
                        html.toString()}}) {
            CliRuns.Run r = CLI.run(args);
            assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.err()).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).startsWith("pathprobe report: ");
        }
        assertThat(files(dir)).as("only the inputs").isEqualTo(3);
        CliRuns.Run noDir = CLI.run("report", garbage.toString(), "-o", dir.resolve("no/such/dir/out.html").toString());
        assertThat(noDir.exitCode()).isEqualTo(2);
        assertThat(noDir.err()).contains("no directory");
        CliRuns.Run html2 = CLI.run("trace", "--html", dir.resolve("no/such/dir/t.html").toString(), "127.0.0.1");
        assertThat(html2.exitCode()).isEqualTo(2);
        assertThat(html2.out()).as("refused before anything is sent").isEmpty();
        assertThat(html2.err()).startsWith("pathprobe trace: ").contains("--html", "no directory");
    }
}
