package io.pathprobe.bufferbloat.internal;

import static io.pathprobe.bufferbloat.internal.BufferbloatLoopbackTest.IDLE_MIN;
import static io.pathprobe.bufferbloat.internal.BufferbloatLoopbackTest.assertNoThreadsLeft;
import static io.pathprobe.bufferbloat.internal.BufferbloatLoopbackTest.quick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.PathTracer;
import io.pathprobe.ResponsivenessServerException;
import io.pathprobe.bufferbloat.BufferbloatResult;
import io.pathprobe.bufferbloat.BufferbloatStatus;
import io.pathprobe.bufferbloat.LatencySample;
import io.pathprobe.server.ResponsivenessServer;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** End to end against bbsrv's ResponsivenessServer on 127.0.0.1. No grade asserted: loopback has no bottleneck. */
class BufferbloatServerTest {

    private static ResponsivenessServer server(ResponsivenessServer.Builder b) throws Exception {
        ResponsivenessServer s = b.bind(InetAddress.getLoopbackAddress(), 0).build();
        s.start();
        return s;
    }

    @Test
    void tlsH2Insecure() throws Exception {
        try (ResponsivenessServer s = server(ResponsivenessServer.builder())) {
            BufferbloatResult r;
            try (PathTracer tracer = PathTracer.builder().offline().build()) {
                r = tracer.testBufferbloat(quick(s.urls().config().toString()).insecure(true).build());
            }
            assertThat(r.status()).as(r.notes().toString()).isIn(BufferbloatStatus.COMPLETED, BufferbloatStatus.DEADLINE_EXCEEDED);
            assertThat(r.duration()).as("the idle phase (1 s) always runs to its end").isGreaterThanOrEqualTo(IDLE_MIN)
                    .as("liveness: 10x the 4 s time limit").isLessThan(Duration.ofSeconds(40));
            assertThat(r.download().orElseThrow().throughputBitsPerSecond()).isPositive();
            assertThat(r.upload().orElseThrow().throughputBitsPerSecond()).isPositive();
            if (io.netty.channel.epoll.Epoll.isAvailable()) {
                // the server names its sending socket's congestion control on /large (over HTTP/2 here): the
                // machine's default on loopback, as is the upload's, read off this host's socket
                String machine = java.nio.file.Files.readString(
                        java.nio.file.Path.of("/proc/sys/net/ipv4/tcp_congestion_control")).strip();
                assertThat(r.download().orElseThrow().load().congestionControl()).contains(machine);
                assertThat(r.upload().orElseThrow().load().congestionControl()).contains(machine);
            }
            assertThat(r.samples()).extracting(LatencySample::kind).contains(LatencySample.Kind.TCP_FOREIGN,
                    LatencySample.Kind.TLS_FOREIGN, LatencySample.Kind.HTTP_FOREIGN, LatencySample.Kind.HTTP_SELF);
            assertThat(r.rpm()).isPresent();
            assertThat(r.notes()).noneMatch(n -> n.contains("HTTP/1.1"));
        }
        assertNoThreadsLeft();
    }

    @Test
    void plain() throws Exception {
        try (ResponsivenessServer s = server(ResponsivenessServer.builder().plain());
                PathTracer tracer = PathTracer.builder().offline().build()) {
            BufferbloatResult r = tracer.testBufferbloat(quick(s.urls().config().toString()).build());
            assertThat(r.status()).as(r.notes().toString()).isIn(BufferbloatStatus.COMPLETED, BufferbloatStatus.DEADLINE_EXCEEDED);
            assertThat(r.download().orElseThrow().throughputBitsPerSecond()).isPositive();
            assertThat(r.rpm()).isPresent();
            if (io.netty.channel.epoll.Epoll.isAvailable()) { // the header over HTTP/1.1 too
                assertThat(r.download().orElseThrow().load().congestionControl()).contains(java.nio.file.Files.readString(
                        java.nio.file.Path.of("/proc/sys/net/ipv4/tcp_congestion_control")).strip());
            }
        }
    }

    @Test
    void http1OnlyFallsBack() throws Exception {
        try (ResponsivenessServer s = server(ResponsivenessServer.builder().http1Only());
                PathTracer tracer = PathTracer.builder().offline().build()) {
            BufferbloatResult r = tracer.testBufferbloat(quick(s.urls().config().toString()).insecure(true).build());
            assertThat(r.notes()).anyMatch(n -> n.contains("HTTP/1.1"));
            assertThat(r.samples()).extracting(LatencySample::kind).doesNotContain(LatencySample.Kind.HTTP_SELF);
            assertThat(r.download().orElseThrow().throughputBitsPerSecond()).isPositive();
        }
    }

    @Test
    void selfSignedWithoutInsecureIsRejected() throws Exception {
        try (ResponsivenessServer s = server(ResponsivenessServer.builder());
                PathTracer tracer = PathTracer.builder().offline().build()) {
            assertThatThrownBy(() -> tracer.testBufferbloat(quick(s.urls().config().toString()).build()))
                    .isInstanceOfSatisfying(ResponsivenessServerException.class,
                            e -> assertThat(e.reason()).isEqualTo(ResponsivenessServerException.Reason.CERTIFICATE_REJECTED));
        }
        assertNoThreadsLeft();
    }

    @Test
    void httpsToPlainServer() throws Exception {
        try (ResponsivenessServer s = server(ResponsivenessServer.builder().plain());
                PathTracer tracer = PathTracer.builder().offline().build()) {
            String url = s.urls().config().toString().replace("http://", "https://");
            assertThatThrownBy(() -> tracer.testBufferbloat(quick(url).insecure(true).build()))
                    .isInstanceOfSatisfying(ResponsivenessServerException.class,
                            e -> assertThat(e.reason()).isEqualTo(ResponsivenessServerException.Reason.NOT_TLS));
        }
    }
}
