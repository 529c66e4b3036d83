package io.pathprobe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.internal.BudgetSetting;
import io.pathprobe.options.ProbeBudget;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link TracerBudget}: reaches the engine's tracer, and refuses what is not one, typed and named. */
class TracerBudgetTest {
    @Test
    void setsAndReadsTheBudgetOfTheEnginesTracer() {
        List<ProbeBudget> set = new ArrayList<>();
        PathTracer tracer = (PathTracer) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PathTracer.class, BudgetSetting.class}, (proxy, method, args) -> {
                    if (method.getName().equals("budget") && args != null) {
                        set.add((ProbeBudget) args[0]);
                        return null;
                    }
                    return method.getName().equals("budget") ? set.get(set.size() - 1) : null;
                });
        ProbeBudget b = ProbeBudget.builder().perRouter(20).build();
        TracerBudget.of(tracer).set(b);
        assertThat(set).containsExactly(b);
        assertThat(TracerBudget.of(tracer).get()).isEqualTo(b);
        assertThatThrownBy(() -> TracerBudget.of(tracer).set(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("budget");
        assertThat(set).containsExactly(b);
    }

    @Test
    void refusesATracerNotOfTheEngine() {
        PathTracer standIn = (PathTracer) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PathTracer.class}, (proxy, method, args) -> null);
        assertThatThrownBy(() -> TracerBudget.of(standIn)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a tracer of pathprobe's engine").hasMessageContaining("Proxy");
        assertThatThrownBy(() -> TracerBudget.of(null)).isInstanceOf(NullPointerException.class);
    }
}
