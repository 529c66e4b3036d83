package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.agent.metrics.AgentPages;
import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.middlebox.Chaos;
import io.pathprobe.probe.AddressText;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 71, item 4, as a person would look: {@code pathprobe agent --config FILE} (the shipped jar, a process) traces
 * and monitors a lab's diamond; its endpoint's index at {@code /} lists the jobs and their target and links to each
 * job's target page, which draws the newest trace (the monitor's newest round): its hop addresses are those of the
 * agent's record of the same time. After the route is moved to the other branch with the lab's tools, each page
 * draws the new path and lists the change where its path moved (the trace's: from the old path to the new); the
 * monitor's page draws its recent rounds as the report's heatmap, which Chromium opens offline. Every
 * probe stays in the lab; the endpoint listens on loopback of the test's namespace.
 */
@LabTest
@Timeout(240)
class CliAgentPagesLabTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern HOP = Pattern.compile(
            "<tr class=\"hop\" data-ttl=\"\\d+\"><td class=\"n\">\\d+</td><td(?: class=\"masked\")?>([^<]*)</td>");
    private static final Pattern STATE = Pattern.compile("target [^:]*: result at (\\S+): ");

    @Test
    void theTargetsPageShowsTheNewestPathAndTheRouteChange(@TempDir Path dir) throws Exception {
        try (Lab lab = Lab.diamond(2, EcmpHash.LINUX_L4).icmpUnlimited("every trace is compared hop by hop")
                .inCurrentNamespace().build();
                Chaos chaos = Chaos.on(lab)) {
            String dst = AddressText.of(lab.destination());
            int port;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Path records = dir.resolve("records.ndjson");
            Path file = Files.writeString(dir.resolve("agent.yaml"), "sinks:\n  - {type: file, path: " + records
                    + "}\nmetrics: {host: 127.0.0.1, port: " + port + "}\n"
                    + "defaults: {enrich: off, probeTimeout: 500ms, maxTtl: 8}\n"
                    + "jobs:\n  - {name: path, kind: trace, target: " + dst + ", interval: 3s,"
                    + " options: {protocol: udp, probesPerTtl: 2}}\n"
                    + "  - {name: watch, kind: monitor, target: " + dst + ", interval: 1s,"
                    + " options: {protocol: icmp}}\n");
            Path err = dir.resolve("stderr.txt");
            Process p = new CliRuns(CliRuns.Enrichment.AS_GIVEN).call().command("agent", "--config", file.toString())
                    .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                String base = "http://127.0.0.1:" + port;
                String href = "/job/path/" + dst.replace(":", "%3A");
                String watch = "/job/watch/" + dst.replace(":", "%3A");
                String index = until(p, err, base + "/", b -> b.contains(href + "\"") && b.contains(watch + "\"")
                        && b.split("result at ", -1).length == 3);
                assertThat(index).contains(">path</td>", ">trace</td>", ">watch</td>", ">monitor</td>",
                        ">" + dst + "</a>");

                // the newest path: its hop addresses are the record's of the same time
                List<String> first = assertNewest(p, err, base + href, "path", records);
                // the monitor's ICMP probes may hash to the other branch than the trace's UDP
                List<String> watched = assertNewest(p, err, base + watch, "watch", records);
                String was = first.get(1);
                Set<InetAddress> branches = lab.expectedResponders(2);
                assertThat(branches.stream().map(AddressText::of)).contains(was);
                InetAddress other = branches.stream().filter(a -> !AddressText.of(a).equals(was)).findFirst()
                        .orElseThrow();

                // router 1 sends the destination's traffic through the other branch
                chaos.replaceRoute(1, dst + "/32 via " + other.getHostAddress());
                String page = until(p, err, base + href, b -> hops(b).size() > 1
                        && hops(b).get(1).equals(AddressText.of(other)) && b.contains("<tr class=\"path-change\">"));
                List<String> moved = assertNewest(p, err, base + href, "path", records);
                assertThat(moved.get(1)).isEqualTo(AddressText.of(other));
                assertThat(page).contains("<td>" + String.join(" ", first) + "</td><td>" + String.join(" ", moved)
                        + "</td></tr>");
                // the monitor's rounds too: its newest round's path, and the change if it was on the old branch
                boolean watchMoved = !watched.get(1).equals(AddressText.of(other));
                until(p, err, base + watch, b -> hops(b).size() > 1 && hops(b).get(1).equals(AddressText.of(other))
                        && (!watchMoved || b.contains("<tr class=\"path-change\">")));
                assertThat(assertNewest(p, err, base + watch, "watch", records).get(1))
                        .isEqualTo(AddressText.of(other));
                assertHeatmap(dir, send(base + watch).body());
                assertThat(send(base + "/job/path/198.51.100.99").statusCode()).isEqualTo(404);
                assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(base + href)).POST(
                        HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode()).isEqualTo(405);
            } finally {
                p.destroy(); // SIGTERM
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("it stops on SIGTERM").isTrue();
            }
        }
    }

    /**
     * The monitor job's page draws its recent rounds as the report's heatmap: at most {@link AgentPages#ROUNDS}
     * columns, the last the newest round the page states, a cell per round and TTL; opened offline in Chromium (a
     * screenshot to {@code target/agent-page.png}).
     */
    private static void assertHeatmap(Path dir, String page) throws Exception {
        Matcher newest = Pattern.compile(": result at \\S+: round (\\d+), ").matcher(page);
        assertThat(newest.find()).as(page).isTrue();
        Matcher drawn = Pattern.compile("class=\"heatmap\"[^>]* data-rounds=\"(\\d+)\"").matcher(page);
        assertThat(drawn.find()).as(page).isTrue();
        int rounds = Integer.parseInt(drawn.group(1));
        assertThat(rounds).isBetween(1, AgentPages.ROUNDS);
        assertThat(page).contains("<rect class=\"cell\" data-round=\"" + newest.group(1) + "\" data-ttl=\"1\"");
        assertThat(Chromium.count(page, "<rect class=\"cell\"") % rounds).isZero();
        Path file = Path.of("target", "agent-page.html").toAbsolutePath();
        Files.writeString(file, page);
        String dom = Chromium.opened(dir, file, Path.of("target", "agent-page.png").toAbsolutePath());
        assertThat(Chromium.count(dom, "<rect class=\"cell\"")).isEqualTo(Chromium.count(page, "<rect class=\"cell\""));
    }

    /**
     * GETs the target's page until the record of the result it draws is in the file; asserts the page's hop addresses
     * are that record's and returns them ({@code *} for a silent TTL, as the page writes it).
     */
    private static List<String> assertNewest(Process p, Path err, String url, String job, Path records)
            throws Exception {
        String page = until(p, err, url, b -> STATE.matcher(b).find());
        Matcher m = STATE.matcher(page);
        assertThat(m.find()).isTrue();
        String time = m.group(1);
        JsonNode record = null;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // the sink writes on its own thread
        while (record == null && System.nanoTime() < end) {
            record = record(records, job, time);
            Thread.sleep(200);
        }
        assertThat(record).as("the record of %s", time).isNotNull();
        List<String> expected = new ArrayList<>();
        for (JsonNode h : record.path("result").path("hops")) {
            expected.add(h.path("address").isNull() || h.path("address").isMissingNode() ? "*"
                    : h.path("address").asText());
        }
        assertThat(hops(page)).isEqualTo(expected);
        return expected;
    }

    private static @Nullable JsonNode record(Path records, String job, String time) throws Exception {
        if (!Files.exists(records)) {
            return null;
        }
        for (String line : Files.readAllLines(records)) {
            if (line.endsWith("}")) {
                JsonNode r = CliRuns.JSON.readTree(line);
                if (r.path("job").asText().equals(job) && r.path("time").asText().equals(time)) {
                    return r;
                }
            }
        }
        return null;
    }

    private static List<String> hops(String page) {
        List<String> hops = new ArrayList<>();
        Matcher m = HOP.matcher(page);
        while (m.find()) {
            hops.add(m.group(1));
        }
        return hops;
    }

    /** GETs {@code url} until its page satisfies {@code done} (the test's timeout bounds the wait). */
    private static String until(Process p, Path err, String url, java.util.function.Predicate<String> done)
            throws Exception {
        while (true) {
            assertThat(p.isAlive()).as("the agent runs (stderr: %s)", Files.readString(err)).isTrue();
            try {
                HttpResponse<String> r = send(url);
                if (r.statusCode() == 200 && done.test(r.body())) {
                    return r.body();
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(300);
        }
    }

    private static HttpResponse<String> send(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
