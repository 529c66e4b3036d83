package io.pathprobe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.trace.TraceRequest;
/** One vocabulary for requests (issue 23): the TTL options have the same names on trace, multipath and monitor. */
class RequestVocabularyTest {

    @Test
    void maxTtlAndMaxHopsAreOneOptionOnEveryPathRequest() {
        assertThat(TraceRequest.builder("198.19.0.1").maxHops(9).build().maxTtl()).isEqualTo(9);
        assertThat(TraceRequest.builder("198.19.0.1").maxTtl(9).build().maxHops()).isEqualTo(9);
        MultipathRequest m = MultipathRequest.builder("198.19.0.1").maxHops(9).build();
        assertThat(m.maxTtl()).isEqualTo(9);
        assertThat(m.maxHops()).isEqualTo(9);
        assertThat(MultipathRequest.builder("198.19.0.1").maxTtl(7).build().maxHops()).isEqualTo(7);
        assertThat(MonitorRequest.builder("198.19.0.1").maxTtl(9).build().trace().maxHops()).isEqualTo(9);
        assertThat(MonitorRequest.builder("198.19.0.1").maxHops(8).build().trace().maxTtl()).isEqualTo(8);
    }

    @Test
    void aTtlOutOfRangeIsNamedAsTheCallerWroteIt() {
        assertThatThrownBy(() -> MultipathRequest.builder("198.19.0.1").maxHops(256))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxHops");
        assertThatThrownBy(() -> MultipathRequest.builder("198.19.0.1").maxTtl(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTtl");
        assertThatThrownBy(() -> MonitorRequest.builder("198.19.0.1").maxTtl(256))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTtl");
    }
}
