package io.pathprobe.bufferbloat.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.PathTracer;
import io.pathprobe.ResponsivenessServerException;
import io.pathprobe.bufferbloat.BufferbloatListener;
import io.pathprobe.bufferbloat.BufferbloatPhase;
import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.bufferbloat.BufferbloatResult;
import io.pathprobe.bufferbloat.BufferbloatStatus;
import io.pathprobe.bufferbloat.LatencySample;
import io.pathprobe.bufferbloat.LoadDirection;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** End to end on 127.0.0.1 against a plain HTTP/1.1 fixture: structure, limits, errors, nothing leaked. */
class BufferbloatLoopbackTest {

    /** The idle phase's least length: it always waits to its end unless cancelled (BufferbloatStrategy: a tenth of the time limit, 1 to 2 s). */
    static final Duration IDLE_MIN = Duration.ofSeconds(1);

    static BufferbloatRequest.Builder quick(String url) {
        return BufferbloatRequest.builder(url).deadline(Duration.ofSeconds(4)).interval(Duration.ofMillis(200))
                .probesPerSecond(20).maxConnections(4);
    }

    @Test
    void sequentialOverHttp11() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        try (Http1Fixture server = new Http1Fixture(null)) {
            BufferbloatResult r;
            long t0 = System.nanoTime();
            try (PathTracer tracer = PathTracer.builder().offline().build()) {
                r = tracer.testBufferbloat(quick("http://127.0.0.1:" + server.port())
                        .listener(new BufferbloatListener() {
                            @Override
                            public void phaseStarted(BufferbloatPhase phase) {
                                events.add("phase " + phase);
                            }

                            @Override
                            public void completed(BufferbloatResult result) {
                                events.add("completed");
                            }
                        }).build());
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            assertThat(awaitNoClientConnections(server.port()))
                    .as("connections to the server still established after the tracer closed").isEmpty();
            assertThat(secs).as("liveness: 10x the 4 s time limit").isLessThan(40);
            assertThat(r.duration()).as("the idle phase (1 s) always runs to its end").isGreaterThanOrEqualTo(IDLE_MIN)
                    .isLessThan(Duration.ofSeconds(40));
            assertThat(r.status()).as(r.notes().toString()).isIn(BufferbloatStatus.COMPLETED, BufferbloatStatus.DEADLINE_EXCEEDED);
            assertThat(events).startsWith("phase IDLE", "phase DOWNLOAD", "phase UPLOAD").endsWith("completed");
            assertThat(r.download()).isPresent();
            assertThat(r.upload()).isPresent();
            assertThat(r.download().get().throughputBitsPerSecond()).isPositive();
            assertThat(r.upload().get().throughputBitsPerSecond()).isPositive();
            assertThat(r.download().get().flows()).isBetween(1, 4);
            // the load names its senders' congestion control where they say it: this fixture's server does not; an
            // upload's sender is this host's socket, which runs the machine's default here (epoll reads it)
            assertThat(r.download().get().load().congestionControl()).isEmpty();
            if (io.netty.channel.epoll.Epoll.isAvailable()) {
                assertThat(r.upload().get().load().congestionControl()).contains(java.nio.file.Files.readString(
                        java.nio.file.Path.of("/proc/sys/net/ipv4/tcp_congestion_control")).strip());
            }
            assertThat(r.samples()).extracting(LatencySample::kind).contains(LatencySample.Kind.TCP_FOREIGN,
                    LatencySample.Kind.HTTP_FOREIGN);
            assertThat(r.samples()).extracting(LatencySample::kind).doesNotContain(LatencySample.Kind.HTTP_SELF,
                    LatencySample.Kind.TLS_FOREIGN);
            assertThat(r.notes()).anyMatch(n -> n.contains("HTTP/1.1"));
            assertThat(r.rpm()).isPresent();
            assertThat(r.rpmCategory()).isPresent();
            assertThat(r.server().getPath()).isEqualTo("/.well-known/nq");
        }
        assertNoThreadsLeft();
    }

    @Test
    void concurrentAndCancel() throws Exception {
        try (Http1Fixture server = new Http1Fixture(null); PathTracer tracer = PathTracer.builder().offline().build()) {
            var test = tracer.start(quick("http://127.0.0.1:" + server.port()).direction(LoadDirection.CONCURRENT)
                    .deadline(Duration.ofSeconds(10)).build());
            Thread.sleep(2500);
            assertThat(test.snapshot().status()).isEqualTo(BufferbloatStatus.RUNNING);
            test.cancel();
            BufferbloatResult r = test.result().get();
            assertThat(r.status()).isEqualTo(BufferbloatStatus.CANCELLED);
            assertThat(r.duration()).as("liveness: 10x the 2.5 s at which it was cancelled").isLessThan(Duration.ofSeconds(25));
        }
        assertNoThreadsLeft();
    }

    @Test
    void refusedPort() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (PathTracer tracer = PathTracer.builder().offline().build()) {
            assertThatThrownBy(() -> tracer.testBufferbloat(quick("http://127.0.0.1:" + port).build()))
                    .isInstanceOfSatisfying(ResponsivenessServerException.class,
                            e -> assertThat(e.reason()).isEqualTo(ResponsivenessServerException.Reason.REFUSED));
        }
        assertNoThreadsLeft();
    }

    @Test
    void httpsToAPlainServerIsNotTls() throws Exception {
        try (Http1Fixture server = new Http1Fixture(null); PathTracer tracer = PathTracer.builder().offline().build()) {
            assertThatThrownBy(() -> tracer.testBufferbloat(quick("https://127.0.0.1:" + server.port()).insecure(true).build()))
                    .isInstanceOfSatisfying(ResponsivenessServerException.class,
                            e -> assertThat(e.reason()).isEqualTo(ResponsivenessServerException.Reason.NOT_TLS));
        }
    }

    @Test
    void missingOrBadConfiguration() throws Exception {
        try (Http1Fixture server = new Http1Fixture(null); PathTracer tracer = PathTracer.builder().offline().build()) {
            assertThatThrownBy(() -> tracer.testBufferbloat(quick("http://127.0.0.1:" + server.port() + "/nothing").build()))
                    .isInstanceOfSatisfying(ResponsivenessServerException.class,
                            e -> assertThat(e.reason()).isEqualTo(ResponsivenessServerException.Reason.BAD_CONFIGURATION));
        }
        try (Http1Fixture server = new Http1Fixture("{\"version\":1,\"urls\":{}}");
                PathTracer tracer = PathTracer.builder().offline().build()) {
            assertThatThrownBy(() -> tracer.testBufferbloat(quick("http://127.0.0.1:" + server.port()).build()))
                    .isInstanceOfSatisfying(ResponsivenessServerException.class,
                            e -> assertThat(e.reason()).isEqualTo(ResponsivenessServerException.Reason.BAD_CONFIGURATION));
        }
    }

    /**
     * The established TCP connections toward {@code port} (this namespace's /proc/net/tcp and tcp6: the client
     * sides, whose remote port is the server's), once none is left or after 5 s (a liveness bound).
     */
    static List<String> awaitNoClientConnections(int port) throws Exception {
        String remote = String.format(java.util.Locale.ROOT, ":%04X", port);
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (true) {
            List<String> open = new java.util.ArrayList<>();
            for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
                for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 3 && f[2].endsWith(remote) && f[3].equals("01")) {
                        open.add(line.trim());
                    }
                }
            }
            if (open.isEmpty() || System.nanoTime() > end) {
                return open;
            }
            Thread.sleep(50);
        }
    }

    static void assertNoThreadsLeft() throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            if (leftovers().isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        assertThat(leftovers()).isEmpty();
    }

    static List<String> leftovers() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("pathprobe-load") || n.startsWith("pathprobe-nqprobe")
                        || n.startsWith("pathprobe-bufferbloat"))
                .toList();
    }
}
