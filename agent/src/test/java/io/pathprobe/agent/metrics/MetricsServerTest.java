package io.pathprobe.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
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

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void aClientHoldingHalfARequestDelaysNoOtherScrapeAndIsClosedByTheTimeout() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MetricsServer.Options options = new MetricsServer.Options(Duration.ofSeconds(2), Optional.empty(),
                Optional.empty());
        try (MetricsServer server = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                "/metrics", registry::scrape, options, MetricsServer.Pages.NONE);
                Socket held = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
            OutputStream out = held.getOutputStream();
            out.write("GET /metr".getBytes(StandardCharsets.US_ASCII)); // half a request line, then nothing
            out.flush();
            // many more held connections (no thread is held by any): the scrape still gets through
            Socket[] more = new Socket[64];
            for (int i = 0; i < more.length; i++) {
                more[i] = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort());
                more[i].getOutputStream().write("GET / HTTP/1.1\r\nHost: x".getBytes(StandardCharsets.US_ASCII));
            }
            assertThat(send(server, "GET", "/metrics").statusCode()).isEqualTo(200);
            // the held connection is closed by the server (end of stream, or a reset), within a generous bound
            held.setSoTimeout(60_000);
            InputStream in = held.getInputStream();
            try {
                assertThat(in.read()).isEqualTo(-1);
            } catch (java.net.SocketException reset) {
                // closed with data unread: a reset is a close too
            }
            for (Socket s : more) {
                s.close();
            }
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aHeadLongerThanTheCapIsRefusedAndTheConnectionClosed() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (MetricsServer server = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                "/metrics", registry);
                Socket s = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
            String big = "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Pad: " + "a".repeat(MetricsServer.MAX_HEAD * 2)
                    + "\r\n\r\n";
            try {
                s.getOutputStream().write(big.getBytes(StandardCharsets.US_ASCII));
            } catch (java.net.SocketException closedWhileWriting) {
                // the server may close before the whole head is written: that is a refusal too
            }
            s.setSoTimeout(30_000);
            String answer;
            try {
                answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            } catch (java.net.SocketException reset) {
                answer = "";
            }
            assertThat(answer).as("a 400 or a bare close, never the scrape").satisfiesAnyOf(
                    a -> assertThat(a).startsWith("HTTP/1.1 400"), a -> assertThat(a).isEmpty());
            assertThat(send(server, "GET", "/metrics").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withCredentialsEveryPathAsksForBasicAuthentication() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MetricsServer.Options options = new MetricsServer.Options(Duration.ofSeconds(10), Optional.of("prom:s3cret"),
                Optional.empty());
        try (MetricsServer server = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                "/metrics", registry::scrape, options, MetricsServer.Pages.NONE)) {
            assertThat(send(server, "GET", "/metrics").statusCode()).isEqualTo(401);
            assertThat(send(server, "GET", "/").statusCode()).isEqualTo(401);
            assertThat(send(server, "GET", "/metrics").headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Basic realm="));
            assertThat(sendAs(server, "prom:wrong", "/metrics").statusCode()).isEqualTo(401);
            assertThat(sendAs(server, "prom:s3cret", "/metrics").statusCode()).isEqualTo(200);
            assertThat(sendAs(server, "prom:s3cret", "/other").statusCode()).isEqualTo(404);
        }
    }

    static HttpResponse<String> sendAs(MetricsServer server, String credentials, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + path);
        String basic = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
        return CLIENT.send(HttpRequest.newBuilder(uri).header("Authorization", basic)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
