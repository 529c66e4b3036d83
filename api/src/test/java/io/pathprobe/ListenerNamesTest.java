package io.pathprobe;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.bufferbloat.BufferbloatListener;
import io.pathprobe.monitor.MonitorListener;
import io.pathprobe.mtu.MtuListener;
import io.pathprobe.multipath.MultipathListener;
import io.pathprobe.ping.PingListener;
import io.pathprobe.trace.TraceListener;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One vocabulary for listeners: every measurement's last event is {@code completed(result)}, the first (where the
 * measurement has one) {@code started(request, destination, transport)}; no earlier name is left beside them.
 */
class ListenerNamesTest {
    private static final List<Class<?>> LISTENERS = List.of(TraceListener.class, PingListener.class,
            MultipathListener.class, MonitorListener.class, MtuListener.class, BufferbloatListener.class);

    @Test
    void everyListenerEndsWithCompleted() {
        for (Class<?> listener : LISTENERS) {
            assertThat(names(listener)).as(listener.getSimpleName()).contains("completed");
        }
        for (Class<?> listener : List.of(TraceListener.class, MultipathListener.class, MonitorListener.class,
                MtuListener.class)) {
            assertThat(names(listener)).as(listener.getSimpleName()).contains("started");
        }
    }

    @Test
    void noEarlierNameOrDeprecationIsLeft() {
        for (Class<?> listener : LISTENERS) {
            assertThat(names(listener)).as(listener.getSimpleName()).doesNotContain("traceStarted", "traceCompleted",
                    "discoveryStarted", "discoveryCompleted", "pingCompleted");
            assertThat(Arrays.stream(listener.getMethods()).filter(m -> m.isAnnotationPresent(Deprecated.class)))
                    .as(listener.getSimpleName()).isEmpty();
        }
    }

    private static List<String> names(Class<?> type) {
        return Arrays.stream(type.getMethods()).map(Method::getName).toList();
    }
}
