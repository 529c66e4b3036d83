package io.pathprobe.nativecommon;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.TransportCounters;
import org.junit.jupiter.api.Test;

class ReceiveCountersTest {
    @Test
    void countsEachMessageReadOnceByItsOutcome() {
        ReceiveCounters counters = new ReceiveCounters();
        counters.read();
        counters.outcome(null);
        counters.read();
        counters.outcome(DropReason.values()[0]);
        TransportCounters c = counters.snapshot();
        assertThat(c.read()).isEqualTo(2);
        assertThat(c.delivered()).isEqualTo(1);
        assertThat(c.dropped(DropReason.values()[0])).isEqualTo(1);
        assertThat(counters).hasToString(c.toString());
    }
}
