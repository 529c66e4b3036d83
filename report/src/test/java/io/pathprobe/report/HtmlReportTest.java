package io.pathprobe.report;

import static io.pathprobe.testing.Samples.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.compare.CompareRequest;
import io.pathprobe.compare.CompareResult;
import io.pathprobe.enrich.Responder;
import io.pathprobe.evidence.Masking;
import io.pathprobe.graph.PathGraph;
import io.pathprobe.monitor.MonitorEvent;
import io.pathprobe.monitor.MonitorPath;
import io.pathprobe.monitor.MonitorRound;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.testing.Samples;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.TraceAllStatus;
import io.pathprobe.trace.TraceResult;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The offline report of each kind of result, on api's hand-built results (Samples). */
class HtmlReportTest {
    /** Whatever a page could fetch: a URL in an attribute or a style, a script, a frame, an object. */
    private static final Pattern FETCHES = Pattern.compile(
            "(?i)(src|href|action|srcset|poster|data)\\s*=|url\\((?!#)|@import|<script|<iframe|<object|<embed|<link");

    private static void offline(String html) {
        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n")
                .contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                        + "style-src 'unsafe-inline'\">", "@media print", "pathprobe " + HtmlReport.version());
        assertThat(FETCHES.matcher(html).find()).as("something fetched in%n%s", html).isFalse();
        // the only URL is SVG's namespace, which is a name, not a request
        assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "")).doesNotContain("http:", "https:", "//");
    }

    /** Every row of the table of class {@code table} has as many cells as its header. */
    private static void columnsAgree(String html, String table) {
        int from = html.indexOf("<table class=\"" + table + "\">");
        assertThat(from).isNotNegative();
        String[] rows = html.substring(from, html.indexOf("</table>", from)).split("</tr>");
        int header = count(rows[0], "<th>");
        assertThat(header).isPositive();
        for (int i = 1; i < rows.length; i++) {
            if (rows[i].contains("<tr")) {
                assertThat(count(rows[i], "<td")).as(rows[i]).isEqualTo(header);
            }
        }
    }

    private static int count(String html, String regex) {
        Matcher m = Pattern.compile(regex).matcher(html);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void aTraceShowsItsHopsNamesAsLossAndRttAndItsGraph() throws Exception {
        TraceResult t = Samples.trace();
        String html = HtmlReport.of(t, Masking.NONE);
        Files.writeString(Path.of("target", "report-trace.html"), html); // to look at (docs/report-trace.png)
        offline(html);
        assertThat(html).contains("<h1>trace to " + HtmlReport.x(t.target()) + "</h1>", "router.home.lab.example",
                "core1.isp.lab.example", "AS64500", "<td class=\"seg-isp\">isp</td>",
                HtmlReport.x(t.request().toString()), "1.000 / 1.750 / 2.500 ms");
        assertThat(count(html, "<tr class=\"hop\"")).isEqualTo(t.hops().size());
        columnsAgree(html, "hops");
        assertThat(count(html, "<g class=\"node ")).isEqualTo(PathGraph.of(t).nodes().size());
        assertThat(count(html, "<g class=\"link\"")).isEqualTo(PathGraph.of(t).links().size());
        assertThat(html).contains("<td class=\"n lost\">1 (33.3%)</td>"); // hop 2: one of three lost
    }

    @Test
    void rateLimitedRepliesAreCountedApartFromTheLost() {
        TraceResult t = Samples.trace();
        Hop h = t.hops().get(1);
        HopStatistics s = h.statistics();
        Hop limited = new Hop(h.ttl(), h.probes(), h.responders(), new HopStatistics(s.sent(), s.received(), 0, 0, 0,
                0, s.rtt(), 1, 0), false, h.segment());
        String html = HtmlReport.of(t.withEnrichment(List.of(t.hops().get(0), limited), t.context()), Masking.NONE);
        assertThat(html).contains("<td class=\"n\">0 (0.0%)</td><td class=\"n limited\">1</td>")
                .doesNotContain("class=\"n lost\"");
    }

    @Test
    void maskingHidesInTheReportWhatItHidesEverywhere() {
        String html = HtmlReport.of(Samples.trace(), Masking.firstHops(2));
        offline(html);
        assertThat(html).doesNotContain("192.168.1.1", "router.home.lab.example", "198.18.1.1", "core1.isp")
                .contains("<td class=\"masked\">masked</td>", "hops 1-2 and the source address masked");
    }

    @Test
    void aMultipathDrawsEveryNodeAndLinkAndEachPathsLoss() {
        MultipathResult r = Samples.multipath();
        String html = HtmlReport.of(r, Masking.NONE);
        offline(html);
        PathGraph g = PathGraph.of(r);
        assertThat(count(html, "<g class=\"node ")).isEqualTo(g.nodes().size());
        assertThat(count(html, "<g class=\"link\"")).isEqualTo(g.links().size());
        assertThat(count(html, "<tr class=\"path\"")).isEqualTo(r.paths().size()).isPositive();
        columnsAgree(html, "legend");
        for (PathGraph.Node n : g.nodes()) {
            assertThat(html).contains("data-id=\"" + HtmlReport.x(n.id()) + "\"");
        }
    }

    @Test
    void aCompareShowsItsProtocolsSideBySide() {
        TraceResult icmp = Samples.trace();
        CompareResult c = CompareResult.of(CompareRequest.builder("198.51.100.10")
                .protocols(List.of(ProbeProtocol.ICMP, ProbeProtocol.UDP)).build(), List.of(icmp, icmp),
                TraceAllStatus.COMPLETED, Samples.START, Duration.ofSeconds(1));
        String html = HtmlReport.of(c, Masking.NONE);
        offline(html);
        assertThat(html).contains("<tr><th>TTL</th><th>" + ProbeProtocol.ICMP + "</th><th>" + ProbeProtocol.UDP
                + "</th></tr>");
        assertThat(count(html, "<tr><td class=\"n\">")).isEqualTo(c.rows().size());
    }

    @Test
    void pingMtuAndAMonitorWithoutRoundsAreReportsToo() {
        String ping = HtmlReport.of(Samples.ping(), Masking.NONE);
        offline(ping);
        columnsAgree(ping, "hops");
        offline(HtmlReport.of(Samples.mtu(), Masking.NONE));
        String monitor = HtmlReport.of(Samples.monitor(), List.of(), Masking.NONE);
        offline(monitor);
        columnsAgree(monitor, "hops");
        assertThat(monitor).contains("r1a.lab.example", "198.18.2.2", "60.0%").doesNotContain("class=\"heatmap\"");
    }

    /** A hop answered by {@code from} (or silent: every probe lost) out of three probes. */
    private static Hop hop(int ttl, String from, boolean answered) {
        return answered ? new Hop(ttl, List.of(), List.of(new Responder(ip(from), 3)), new HopStatistics(3, 3, 0,
                0, Optional.of(Samples.rtt(ttl, ttl, ttl))))
                : new Hop(ttl, List.of(), List.of(), new HopStatistics(3, 0, 3, 0, Optional.empty()));
    }

    private static MonitorPath path(String second, boolean reached) {
        List<Set<InetAddress>> hops = List.of(Set.of(ip("192.168.1.1")), Set.of(ip(second)),
                reached ? Set.of(ip("198.51.100.10")) : Set.of());
        return new MonitorPath(1, hops, reached);
    }

    @Test
    void aSixtyRoundMonitorShowsItsRouteChangeAndItsOutageAtTheirRounds() throws Exception {
        TraceResult base = Samples.trace();
        List<MonitorRound> rounds = new ArrayList<>();
        for (int n = 1; n <= 60; n++) {
            String second = n < 21 ? "198.18.1.1" : "198.18.9.9"; // the route changes at round 21
            boolean out = n >= 35 && n <= 44; // a 10-round outage
            List<Hop> hops = List.of(hop(1, "192.168.1.1", true), hop(2, second, true), hop(3, "198.51.100.10", !out));
            List<MonitorEvent> events = new ArrayList<>();
            if (n == 21) {
                events.add(new MonitorEvent.PathChanged(21, path("198.18.1.1", true), path(second, true)));
            }
            if (n == 35) {
                events.add(new MonitorEvent.DestinationLost(35, 35));
            }
            if (n == 45) {
                events.add(new MonitorEvent.DestinationRegained(45, 10));
            }
            rounds.add(new MonitorRound(n, base.withEnrichment(hops, base.context()), path(second, !out), events));
        }
        String html = HtmlReport.of(Samples.monitor(), rounds, Masking.NONE);
        Files.writeString(Path.of("target", "report-monitor.html"), html); // to look at (docs/report-monitor.png)
        offline(html);
        assertThat(html).contains("data-rounds=\"60\"");
        assertThat(count(html, "<rect class=\"cell\"")).isEqualTo(60 * 3);
        assertThat(count(html, "data-kind=\"route-change\" data-round=\"21\"")).isEqualTo(2); // marker and list
        assertThat(count(html, "data-kind=\"route-change\"")).isEqualTo(2);
        assertThat(html).contains("data-kind=\"outage\" data-from=\"35\" data-to=\"44\"");
        assertThat(count(html, "<rect class=\"marker\" data-kind=\"outage\"")).isEqualTo(1);
        for (int n = 35; n <= 44; n++) { // the destination's cells are red in the outage, and only there
            assertThat(html).contains("data-round=\"" + n + "\" data-ttl=\"3\" x=");
            assertThat(cell(html, n, 3)).contains("fill=\"#c62828\"");
        }
        assertThat(cell(html, 34, 3)).doesNotContain("#c62828");
        assertThat(cell(html, 45, 3)).doesNotContain("#c62828");
    }

    private static String cell(String html, int round, int ttl) {
        int at = html.indexOf("<rect class=\"cell\" data-round=\"" + round + "\" data-ttl=\"" + ttl + "\"");
        assertThat(at).isNotNegative();
        return html.substring(at, html.indexOf("</rect>", at));
    }
}
