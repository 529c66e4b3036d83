package io.pathprobe.core.internal.ping.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * DNS and HTTP ping probes in flight are bounded per tracer ({@link AppProbeLoop#DEFAULT_MAX_OUTSTANDING},
 * here 3): a probe beyond the limit is not started ({@code start} is false; the ping counts it as a
 * send failure), and one probe ending makes room for the next.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AppProbeLoopBoundTest {

    @Test
    void aProbeBeyondTheLimitIsNotStarted() throws Exception {
        try (TestDnsServer silent = new TestDnsServer((q, from, s) -> {});
             AppProbeLoop loop = new AppProbeLoop(3)) {
            DnsProbe waits = new DnsProbe(loop, DnsProbe.Config.a(silent.address(), "probe.lab.test", Duration.ofMinutes(5)));
            DnsProbe quick = new DnsProbe(loop, DnsProbe.Config.a(silent.address(), "probe.lab.test", Duration.ofMillis(50)));
            Outcomes waiting = new Outcomes(loop, 2);
            Outcomes quickOnes = new Outcomes(loop, 1);
            assertThat(waits.start(0, waiting)).isTrue();
            assertThat(waits.start(1, waiting)).isTrue();
            assertThat(quick.start(2, quickOnes)).isTrue();
            assertThat(waits.start(3, waiting)).as("a fourth in flight").isFalse();
            quickOnes.await(10); // it timed out: its place is free
            assertThat(waits.start(4, waiting)).isTrue();
            assertThat(waits.start(5, waiting)).isFalse();
        }
    }
}
