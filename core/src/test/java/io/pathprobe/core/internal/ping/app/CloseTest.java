package io.pathprobe.core.internal.ping.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pathprobe.core.internal.ping.app.ProbeOutcome.Failure;
import io.pathprobe.core.internal.ping.app.ProbeOutcome.FailureKind;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Closing while probes are in flight: every callback once, with CANCELLED; no socket and no thread
 * left (sockets counted in /proc/self/fd, so on Linux only).
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CloseTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration LONG = Duration.ofSeconds(30);

    private static void awaitValue(IntSupplier value, int expected, String what) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (value.getAsInt() != expected && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertThat(value.getAsInt()).as(what).isEqualTo(expected);
    }

    /**
     * A DNS server and a silent HTTP listener on loopback, each probed once to the end on a loop of its own (so that
     * what the JVM opens once and keeps, the random source's devices and classes, is open before the counting
     * begins), then the file descriptors and threads open.
     */
    private static final class Scene implements AutoCloseable {
        final TestDnsServer dnsServer = new TestDnsServer((q, from, s) -> {});
        final ServerSocket silentHttp;
        final int fdsBefore;
        final int threadsBefore;

        Scene() throws Exception {
            silentHttp = new ServerSocket(0, 10, LOOPBACK);
            try (AppProbeLoop loop = new AppProbeLoop()) {
                Duration shortly = Duration.ofMillis(20);
                Outcomes o = new Outcomes(loop, 2);
                dns(loop, shortly).start(0, o);
                http(loop, shortly).start(1, o);
                o.await(5);
            }
            fdsBefore = Outcomes.openFds();
            threadsBefore = Outcomes.liveThreads();
        }

        DnsProbe dns(AppProbeLoop loop, Duration timeout) {
            return new DnsProbe(loop, DnsProbe.Config.a(dnsServer.address(), "probe.lab.test", timeout));
        }

        HttpProbe http(AppProbeLoop loop, Duration timeout) {
            return new HttpProbe(loop, new HttpProbe.Config(URI.create("http://127.0.0.1:" + silentHttp.getLocalPort()
                    + "/"), LOOPBACK, timeout, null));
        }

        @Override
        public void close() throws Exception {
            try {
                silentHttp.close();
            } finally {
                dnsServer.close();
            }
        }
    }

    @Test
    void closingProbesThenTheLoopLeavesNoSocketAndNoThread() throws Exception {
        assumeTrue(Outcomes.openFds() >= 0, "counts file descriptors in /proc/self/fd");
        try (Scene scene = new Scene()) {
            AppProbeLoop loop = new AppProbeLoop();
            int fdsWithLoop = Outcomes.openFds();
            DnsProbe dns = scene.dns(loop, LONG);
            HttpProbe http = scene.http(loop, LONG);
            Outcomes dnsOutcomes = new Outcomes(loop, 100);
            Outcomes httpOutcomes = new Outcomes(loop, 30);
            for (int i = 0; i < 100; i++) {
                assertThat(dns.start(i, dnsOutcomes)).isTrue();
            }
            for (int i = 0; i < 30; i++) {
                assertThat(http.start(i, httpOutcomes)).isTrue();
            }
            awaitValue(Outcomes::openFds, fdsWithLoop + 130, "one socket per probe in flight");
            awaitValue(() -> scene.dnsServer.queries.get() - 1, 100, "queries received (less the warm-up's)");

            dns.close();
            // close() returned: every DNS callback has been called, and their sockets are closed
            assertThat(dnsOutcomes.calls()).isEqualTo(100);
            assertThat(dnsOutcomes.await(1)).allSatisfy(o -> assertThat(((Failure) o).kind())
                    .isEqualTo(FailureKind.CANCELLED));
            assertThat(Outcomes.openFds()).isEqualTo(fdsWithLoop + 30);
            assertThat(httpOutcomes.calls()).as("the other probe's are still in flight").isZero();
            assertThat(dns.start(100, dnsOutcomes)).as("start after close").isFalse();

            http.close();
            assertThat(httpOutcomes.await(1)).allSatisfy(o -> assertThat(((Failure) o).kind())
                    .isEqualTo(FailureKind.CANCELLED));
            assertThat(Outcomes.openFds()).isEqualTo(fdsWithLoop);
            assertThat(loop.admitted()).isZero();

            loop.close();
            assertThat(Outcomes.openFds()).as("the selector closed too").isEqualTo(scene.fdsBefore);
            // the Netty I/O thread has terminated when close() returns, and is gone from the JVM's list just after
            awaitValue(() -> (int) Outcomes.appProbeThreads(), 0, "I/O threads");
            assertThat(Outcomes.liveThreads()).isLessThanOrEqualTo(scene.threadsBefore);
            assertThat(dnsOutcomes.calls() + httpOutcomes.calls()).as("no callback after close").isEqualTo(130);
        }
    }

    @Test
    void closingTheLoopCancelsEveryProbeInFlight() throws Exception {
        assumeTrue(Outcomes.openFds() >= 0, "counts file descriptors in /proc/self/fd");
        try (Scene scene = new Scene()) {
            AppProbeLoop loop = new AppProbeLoop();
            DnsProbe dns = scene.dns(loop, LONG);
            HttpProbe http = scene.http(loop, LONG);
            Outcomes all = new Outcomes(loop, 70);
            for (int i = 0; i < 50; i++) {
                assertThat(dns.start(i, all)).isTrue();
            }
            for (int i = 50; i < 70; i++) {
                assertThat(http.start(i, all)).isTrue();
            }
            loop.close(); // some may not even have been taken up by the loop yet
            List<ProbeOutcome> outcomes = all.await(1);
            assertThat(outcomes).hasSize(70).allSatisfy(o -> assertThat(((Failure) o).kind())
                    .isEqualTo(FailureKind.CANCELLED));
            assertThat(Outcomes.openFds()).isEqualTo(scene.fdsBefore);
            // the Netty I/O thread has terminated when close() returns, and is gone from the JVM's list just after
            awaitValue(() -> (int) Outcomes.appProbeThreads(), 0, "I/O threads");
            assertThat(Outcomes.liveThreads()).isLessThanOrEqualTo(scene.threadsBefore);
            assertThat(dns.start(99, all)).isFalse();
            assertThat(http.start(99, all)).isFalse();
            dns.close(); // after the loop: nothing left to do, returns
            http.close();
            assertThat(all.calls()).isEqualTo(70);
        }
    }
}
