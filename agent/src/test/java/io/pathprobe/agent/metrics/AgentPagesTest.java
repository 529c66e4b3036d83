package io.pathprobe.agent.metrics;

import static io.pathprobe.agent.metrics.AgentMetricsTest.threeHops;
import static io.pathprobe.agent.metrics.Results.TIME;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pathprobe.MeasurementType;
import io.pathprobe.agent.sink.AgentRecord;
import io.pathprobe.monitor.MonitorPath;
import io.pathprobe.monitor.MonitorRound;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AgentPagesTest {
    private static final String ODD = "<b>\"x\" & 'y'/z</b> +1";
    private final Map<String, List<String>> schedule = new LinkedHashMap<>(Map.of("api", List.of("198.18.10.1")));
    private final AgentPages pages = new AgentPages("/", () -> Map.copyOf(schedule));

    private static AgentRecord at(int second, String job, String target, Object result) {
        return new AgentRecord(job, MeasurementType.TRACE, target, Map.of(), TIME.plusSeconds(second), result);
    }

    private String get(String path) {
        return pages.page(path).orElseThrow(() -> new AssertionError("no page at " + path)).body();
    }

    @Test
    void theIndexListsEachJobsTargetsWithTheirStateAndLinksToTheirPage() {
        assertThat(get("/")).contains("api", "198.18.10.1", "no result yet", "href=\"/job/api/198.18.10.1\"");
        pages.record(at(0, "api", "198.18.10.1", threeHops("198.18.0.2")));
        assertThat(get("/")).contains("result at " + TIME + ": DESTINATION_REACHED");
        pages.record(at(1, "api", "198.18.10.1", new AgentRecord.Failure("no route")));
        assertThat(get("/")).contains("failed at " + TIME.plusSeconds(1) + ": no route");
    }

    @Test
    void aTargetsPageDrawsItsNewestResultAndItsPathChangesNewestFirst() {
        pages.record(at(0, "api", "198.18.10.1", threeHops("198.18.0.2")));
        pages.record(at(1, "api", "198.18.10.1", threeHops("198.18.0.3")));
        String page = get("/job/api/198.18.10.1");
        // the report's hop table, of the newest result: its addresses in TTL order
        Matcher m = Pattern.compile("<tr class=\"hop\" data-ttl=\"\\d+\"><td class=\"n\">\\d+</td><td>([^<]*)</td>")
                .matcher(page);
        List<String> hops = new ArrayList<>();
        while (m.find()) {
            hops.add(m.group(1));
        }
        assertThat(hops).containsExactly("198.18.0.1", "198.18.0.3", AgentMetricsTest.DST);
        assertThat(page).startsWith("<!DOCTYPE html>").contains("<a href=\"/\">all jobs</a>")
                .contains("<tr class=\"path-change\"><td>" + TIME.plusSeconds(1) + "</td><td>0</td><td>198.18.0.1 "
                        + "198.18.0.2 " + AgentMetricsTest.DST + "</td><td>198.18.0.1 198.18.0.3 "
                        + AgentMetricsTest.DST + "</td></tr>")
                .endsWith("</body></html>\n");
        assertThat(page.indexOf("Recent path changes")).isGreaterThan(page.lastIndexOf("data-ttl"));
    }

    @Test
    void theSameRouteAgainIsNoChange() {
        pages.record(at(0, "api", "198.18.10.1", threeHops("198.18.0.2")));
        pages.record(at(1, "api", "198.18.10.1", threeHops("198.18.0.2")));
        assertThat(pages.changes("api", "198.18.10.1")).isEmpty();
        assertThat(get("/job/api/198.18.10.1")).contains("none seen").doesNotContain("path-change\"");
    }

    @Test
    void theHistoryKeepsTheLastChangesAndForgetsWhatTheScheduleNoLongerHas() {
        int results = 3 * AgentPages.CHANGES;
        for (int i = 0; i < results; i++) {
            pages.record(at(i, "api", "198.18.10.1", threeHops("198.18.0." + (2 + i % 2))));
        }
        List<AgentPages.Change> kept = pages.changes("api", "198.18.10.1");
        assertThat(kept).hasSize(AgentPages.CHANGES);
        assertThat(kept.get(0).time()).isEqualTo(TIME.plusSeconds(results - 1));
        assertThat(kept.get(kept.size() - 1).time()).isEqualTo(TIME.plusSeconds(results - AgentPages.CHANGES));
        assertThat(get("/job/api/198.18.10.1").split("<tr class=\"path-change\">", -1)).hasSize(
                AgentPages.CHANGES + 1);

        pages.record(at(0, "gone", "198.18.10.1", threeHops("198.18.0.2"))); // not in the schedule: dropped
        assertThat(pages.changes("gone", "198.18.10.1")).isEmpty();
        assertThat(pages.page("/job/gone/198.18.10.1")).isEmpty();

        pages.jobRemoved("api");
        assertThat(pages.changes("api", "198.18.10.1")).isEmpty();
        pages.record(at(0, "api", "198.18.10.1", threeHops("198.18.0.2")));
        schedule.put("api", List.of("198.18.10.2")); // the target left the job: forgotten with the next record
        pages.record(at(1, "api", "198.18.10.2", threeHops("198.18.0.2")));
        pages.record(at(2, "api", "198.18.10.2", threeHops("198.18.0.3")));
        assertThat(pages.changes("api", "198.18.10.2")).hasSize(1);
        assertThat(pages.page("/job/api/198.18.10.1")).isEmpty();
    }

    @Test
    void aMonitorsPageDrawsItsLastRoundsAsTheReportsHeatmap() {
        schedule.put("watch", List.of("198.18.10.1"));
        int rounds = AgentPages.ROUNDS + 15;
        for (int n = 1; n <= rounds; n++) {
            pages.record(new AgentRecord("watch", MeasurementType.MONITOR, "198.18.10.1", Map.of(),
                    TIME.plusSeconds(n), new MonitorRound(n, threeHops("198.18.0.2"), MonitorPath.NONE, List.of())));
        }
        List<MonitorRound> kept = pages.rounds("watch", "198.18.10.1");
        assertThat(kept).hasSize(AgentPages.ROUNDS);
        assertThat(kept.get(0).number()).isEqualTo(rounds - AgentPages.ROUNDS + 1);
        assertThat(kept.get(kept.size() - 1).number()).isEqualTo(rounds);
        String page = get("/job/watch/198.18.10.1");
        assertThat(page).contains("data-rounds=\"" + AgentPages.ROUNDS + "\"", "data-round=\"" + rounds + "\"")
                .doesNotContain("data-round=\"" + (rounds - AgentPages.ROUNDS) + "\"");
        assertThat(page.split("<rect class=\"cell\"", -1)).hasSize(3 * AgentPages.ROUNDS + 1); // three TTLs
        assertThat(page.indexOf("class=\"heatmap\"")).isLessThan(page.indexOf("Recent path changes"));

        // a round numbered anew (the monitor started again) starts the kept rounds anew
        pages.record(new AgentRecord("watch", MeasurementType.MONITOR, "198.18.10.1", Map.of(), TIME.plusSeconds(
                rounds + 1), new MonitorRound(1, threeHops("198.18.0.2"), MonitorPath.NONE, List.of())));
        assertThat(pages.rounds("watch", "198.18.10.1")).extracting(MonitorRound::number).containsExactly(1L);
        // a trace job's page draws no heatmap
        pages.record(at(0, "api", "198.18.10.1", threeHops("198.18.0.2")));
        assertThat(pages.rounds("api", "198.18.10.1")).isEmpty();
        assertThat(get("/job/api/198.18.10.1")).doesNotContain("class=\"heatmap\"");
    }

    @Test
    void namesAreEscapedInTheHtmlAndEncodedInTheLinks() {
        schedule.put(ODD, List.of("2001:db8::1"));
        String index = get("/");
        assertThat(index).doesNotContain("<b>").contains("&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;/z&lt;/b&gt; +1");
        String href = AgentPages.href("/", ODD, "2001:db8::1");
        assertThat(href).isEqualTo("/job/%3Cb%3E%22x%22%20%26%20%27y%27%2Fz%3C%2Fb%3E%20%2B1/2001%3Adb8%3A%3A1");
        assertThat(index).contains("href=\"" + href + "\"");
        assertThat(get(href)).contains("no result yet").doesNotContain("<b>");
    }

    @Test
    void whatIsNotAJobsTargetIsNotFound() {
        assertThat(pages.page("/job/api/198.18.10.9")).isEmpty(); // a target the job does not have
        assertThat(pages.page("/job/nope/198.18.10.1")).isEmpty();
        assertThat(pages.page("/job/api")).isEmpty();
        assertThat(pages.page("/job/api/198.18.10.1/more")).isEmpty();
        assertThat(pages.page("/job/api/%zz")).isEmpty(); // a broken escape
        assertThat(pages.page("/other")).isEmpty();
        AgentPages under = new AgentPages("/agent", () -> Map.copyOf(schedule));
        assertThat(under.page("/")).isEmpty();
        assertThat(under.page("/agent")).isPresent();
        assertThat(under.page("/agent/")).isPresent();
        assertThat(under.page("/agent/job/api/198.18.10.1")).isPresent();
    }

    @Test
    void theEndpointServesThePagesForGetAndHeadOnly() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        pages.record(at(0, "api", "198.18.10.1", threeHops("198.18.0.2")));
        try (MetricsServer server = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                "/metrics", registry, new AgentMetrics(registry), MetricsServer.Options.defaults(), pages)) {
            HttpResponse<String> index = MetricsServerTest.send(server, "GET", "/");
            assertThat(index.statusCode()).isEqualTo(200);
            assertThat(index.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(index.headers().firstValue("Content-Security-Policy")).hasValue(
                    io.pathprobe.report.HtmlReport.CONTENT_SECURITY_POLICY);
            assertThat(index.body()).contains("/job/api/198.18.10.1");
            assertThat(MetricsServerTest.send(server, "GET", "/job/api/198.18.10.1?x=1").body())
                    .contains("198.18.0.2");
            HttpResponse<String> head = MetricsServerTest.send(server, "HEAD", "/job/api/198.18.10.1");
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            for (String method : List.of("POST", "PUT", "DELETE")) {
                HttpResponse<String> refused = MetricsServerTest.send(server, method, "/job/api/198.18.10.1");
                assertThat(refused.statusCode()).isEqualTo(405);
                assertThat(refused.headers().firstValue("Allow")).hasValue("GET, HEAD");
            }
            assertThat(MetricsServerTest.send(server, "POST", "/").statusCode()).isEqualTo(405);
            assertThat(MetricsServerTest.send(server, "GET", "/job/api/198.18.10.2").statusCode()).isEqualTo(404);
            assertThat(MetricsServerTest.send(server, "GET", "/job/nope/198.18.10.1").statusCode()).isEqualTo(404);
            HttpResponse<String> metrics = MetricsServerTest.send(server, "GET", "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValue(MetricsServer.CONTENT_TYPE);
        }
    }
}
