package io.pathprobe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.bufferbloat.BufferbloatResult;
import io.pathprobe.bufferbloat.BufferbloatStatus;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.monitor.MonitorStatus;
import io.pathprobe.mtu.MtuRequest;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.multipath.MultipathStatus;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingStatus;
import io.pathprobe.trace.TraceAllRequest;
import io.pathprobe.trace.TraceAllStatus;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceStatus;

/** One word per concept: each option has one name on every request, each ending one name on every status. */
class RequestVocabularyTest {

    /** The names that lost to the one kept beside them (maxTtl, probeTimeout, destinationPort, probesPerTtl, deadline). */
    private static final Set<String> ALIASES = Set.of("maxHops", "timeout", "port", "probesPerHop", "probesPerFlow",
            "attempts", "timeLimit");

    private static final List<Class<?>> REQUESTS = List.of(TraceRequest.class, TraceRequest.Builder.class,
            TraceAllRequest.class, TraceAllRequest.Builder.class, PingRequest.class, PingRequest.Builder.class,
            MultipathRequest.class, MultipathRequest.Builder.class, MonitorRequest.class, MonitorRequest.Builder.class,
            MtuRequest.class, MtuRequest.Builder.class, BufferbloatRequest.class, BufferbloatRequest.Builder.class,
            MultipathResult.class, BufferbloatResult.class);

    @Test
    void noRequestOrBuilderKeepsAnAlias() {
        List<String> found = new ArrayList<>();
        for (Class<?> type : REQUESTS) {
            for (Method m : type.getMethods()) {
                if (ALIASES.contains(m.getName())) {
                    found.add(type.getSimpleName() + "." + m.getName());
                }
                if (m.isAnnotationPresent(Deprecated.class)) {
                    found.add(type.getSimpleName() + "." + m.getName() + " @Deprecated");
                }
            }
        }
        assertThat(found).isEmpty();
    }

    @Test
    void everyStatusEndsWithTheSameWords() {
        List<Class<? extends Enum<?>>> statuses = List.of(TraceStatus.class, TraceAllStatus.class, PingStatus.class,
                MultipathStatus.class, MonitorStatus.class, BufferbloatStatus.class);
        for (Class<? extends Enum<?>> status : statuses) {
            List<String> names = Arrays.stream(status.getEnumConstants()).map(Enum::name).toList();
            assertThat(names).as(status.getSimpleName()).doesNotContain("COMPLETE", "DEADLINE", "TIME_LIMIT", "TIMEOUT");
        }
        assertThat(MultipathStatus.valueOf("COMPLETED")).isNotNull();
        assertThat(BufferbloatStatus.valueOf("COMPLETED")).isNotNull();
        assertThat(MultipathStatus.valueOf("DEADLINE_EXCEEDED")).isNotNull();
        assertThat(BufferbloatStatus.valueOf("DEADLINE_EXCEEDED")).isNotNull();
    }

    @Test
    void maxTtlIsOneOptionOnEveryPathRequest() {
        assertThat(TraceRequest.builder("198.19.0.1").maxTtl(9).build().maxTtl()).isEqualTo(9);
        assertThat(MultipathRequest.builder("198.19.0.1").maxTtl(7).build().maxTtl()).isEqualTo(7);
        assertThat(MonitorRequest.builder(TraceRequest.builder("198.19.0.1").probesPerTtl(1).maxTtl(8).build()).build().trace().maxTtl()).isEqualTo(8);
    }

    @Test
    void aTtlOutOfRangeIsNamedAsTheCallerWroteIt() {
        assertThatThrownBy(() -> MultipathRequest.builder("198.19.0.1").maxTtl(256))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTtl");
        assertThatThrownBy(() -> MultipathRequest.builder("198.19.0.1").maxTtl(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTtl");
        assertThatThrownBy(() -> MonitorRequest.builder(TraceRequest.builder("198.19.0.1").probesPerTtl(1).maxTtl(256).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTtl");
    }
}
