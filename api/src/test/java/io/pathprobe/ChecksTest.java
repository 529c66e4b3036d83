package io.pathprobe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.trace.TraceRequest;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
/** The builders' shared checks keep each builder's own message. */
class ChecksTest {
    private static final Duration OVER_A_YEAR = Duration.ofDays(366);

    @Test
    void eachBuilderShowsTheDurationBoundAsPeopleWriteIt() {
        assertThatThrownBy(() -> TraceRequest.builder("192.0.2.1").deadline(OVER_A_YEAR))
                .hasMessage("deadline must be at most 365 days, was 366 days");
        assertThatThrownBy(() -> MultipathRequest.builder("192.0.2.1").deadline(OVER_A_YEAR))
                .hasMessage("deadline must be at most 365 days, was 366 days");
        assertThatThrownBy(() -> PingRequest.builder().deadline(OVER_A_YEAR))
                .hasMessage("deadline must be at most 365 days, was 366 days");
        assertThatThrownBy(() -> PingRequest.builder().probeTimeout(Duration.ofHours(2)))
                .hasMessage("probeTimeout must be at most 1 h, was 2 h");
        assertThatThrownBy(() -> MultipathRequest.builder("192.0.2.1").pathInterval(Duration.ZERO))
                .hasMessage("pathInterval must be positive, was 0 ms");
        assertThatThrownBy(() -> PingRequest.builder().interval(Duration.ofMillis(-1)))
                .hasMessage("interval must be positive, was -1 ms");
        assertThatThrownBy(() -> TraceRequest.builder("192.0.2.1").probeTimeout(null))
                .isInstanceOf(NullPointerException.class).hasMessage("probeTimeout");
    }

    @Test
    void ttlsAndPortsAreCheckedAlike() {
        assertThatThrownBy(() -> MultipathRequest.builder("192.0.2.1").firstTtl(0))
                .hasMessage("firstTtl must be 1..255, was 0");
        assertThatThrownBy(() -> MultipathRequest.builder("192.0.2.1").maxTtl(256))
                .hasMessage("maxTtl must be 1..255, was 256");
        assertThatThrownBy(() -> MultipathRequest.builder("192.0.2.1").gapLimit(0))
                .hasMessage("gapLimit must be 1..255, was 0");
        assertThatThrownBy(() -> MultipathRequest.builder("192.0.2.1").destinationPort(65536))
                .hasMessage("destinationPort must be 1..65535, was 65536");
        assertThatThrownBy(() -> TraceRequest.builder("192.0.2.1").firstTtl(256))
                .hasMessage("firstTtl must be 1..255, was 256");
        assertThatThrownBy(() -> PingRequest.builder().ttl(0)).hasMessage("ttl must be 1..255, was 0");
        assertThatThrownBy(() -> PingRequest.builder().ttl(256)).hasMessage("ttl must be 1..255, was 256");
        assertThat(PingRequest.builder().ttl(255).target("192.0.2.1").build().ttl()).isEqualTo(255);
        assertThat(MultipathRequest.builder("192.0.2.1").firstTtl(1).maxTtl(255).build().maxTtl()).isEqualTo(255);
    }

    @Test
    void aNullComponentIsNamedAsRequireNonNullWouldName() {
        Duration d = Duration.ofMillis(1);
        assertThatThrownBy(() -> new RttStatistics(d, d, null, d, d, Optional.empty()))
                .isInstanceOf(NullPointerException.class).hasMessage("avg");
        assertThatThrownBy(() -> new RttStatistics(d, d, d, d, d, null))
                .isInstanceOf(NullPointerException.class).hasMessage("percentiles");
        assertThat(new RttStatistics(d, d, d, d, d, Optional.empty()).avg()).isEqualTo(d);
    }
}
