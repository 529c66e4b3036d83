package io.pathprobe.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The metrics endpoint on loopback. */
class MetricsServerTest {
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    static HttpResponse<String> send(MetricsServer server, String method, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + path);
        return CLIENT.send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheScrapeInThePrometheusTextFormatAtItsPathOnly() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Counter.builder("pathprobe.test.runs").tag("pathprobe_job", "a").register(registry).increment(3);
        try (MetricsServer server = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                "/metrics", registry)) {
            assertThat(server.address().getPort()).isPositive();
            HttpResponse<String> ok = send(server, "GET", "/metrics");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(new Scrape(ok.body()).value("pathprobe_test_runs_total", "pathprobe_job", "a")).hasValue(3);
            assertThat(send(server, "HEAD", "/metrics").statusCode()).isEqualTo(200);
            assertThat(send(server, "GET", "/").statusCode()).isEqualTo(404);
            assertThat(send(server, "GET", "/metrics/more").statusCode()).isEqualTo(404);
            HttpResponse<String> post = send(server, "POST", "/metrics");
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
            for (int i = 0; i < 20; i++) {
                assertThat(send(server, "GET", "/metrics").statusCode()).as("request %d", i).isEqualTo(200);
            }
        }
    }

    @Test
    void closingFreesTheAddressAndAPathMustBeAbsolute() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        assertThatThrownBy(() -> MetricsServer.start(any, "metrics", registry))
                .isInstanceOf(IllegalArgumentException.class);
        InetSocketAddress bound;
        try (MetricsServer server = MetricsServer.start(any, "/metrics", registry)) {
            bound = server.address();
            assertThatThrownBy(() -> MetricsServer.start(bound, "/metrics", registry)).isInstanceOf(IOException.class);
        }
        try (MetricsServer again = MetricsServer.start(bound, "/metrics", registry)) {
            assertThat(send(again, "GET", "/metrics").statusCode()).isEqualTo(200);
        }
    }
}
