package io.pathprobe.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.PathTracer;
import io.pathprobe.TracerStats;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.TraceResult;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The trace build() runs on fake time while the transport opens: a whole trace, in memory, and nothing left. */
class WarmupTest {
    @Test
    void theWarmupTracesItsTwoRoutersAndDestinationOnFakeTimeWithoutAThread() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();

        TraceResult r = Warmup.trace();

        assertThat(r).isNotNull();
        assertThat(r.destinationReached()).as(String.valueOf(r)).isTrue();
        assertThat(r.hops()).extracting(Hop::address).containsExactly(
                Optional.of(InetAddress.getByName("192.0.2.1")), Optional.of(InetAddress.getByName("192.0.2.2")),
                Optional.of(InetAddress.getByName("192.0.2.3")));
        assertThat(r.hops()).allSatisfy(h -> {
            assertThat(h.statistics().sent()).isPositive();
            assertThat(h.statistics().lost()).isZero();
        });
        List<String> started = Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t))
                .map(Thread::getName).filter(n -> n.startsWith("pathprobe")).collect(Collectors.toList());
        assertThat(started).as("threads the warm-up started").isEmpty();
    }

    @Test
    void aBuiltTracerHoldsNothingOfTheWarmup() {
        try (PathTracer tracer = PathTracer.builder().offline().build()) {
            TracerStats s = tracer.stats();
            assertThat(s.probesSent()).isZero();
            assertThat(s.answersMatched()).isZero();
            assertThat(s.activeMeasurements()).isZero();
        }
    }
}
