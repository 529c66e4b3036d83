package io.pathprobe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.options.ProbeBudget;
import org.junit.jupiter.api.Test;

/** A probing budget: each field checked by name; one place for the overall rate on the tracer's builder. */
class ProbeBudgetTest {
    @Test
    void fieldsOutOfRangeAreNamed() {
        assertThatThrownBy(() -> ProbeBudget.builder().overall(-1).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("overall must be 0 (unlimited)..10000000 probes a second, was -1");
        assertThatThrownBy(() -> ProbeBudget.builder().perDestination(-2).build())
                .hasMessageStartingWith("perDestination must be");
        assertThatThrownBy(() -> ProbeBudget.builder().perRouter(ProbeBudget.MAX_RATE + 1).build())
                .hasMessageStartingWith("perRouter must be");
        assertThatThrownBy(() -> ProbeBudget.builder().perPrefix(-1).build()).hasMessageStartingWith("perPrefix must be");
        assertThatThrownBy(() -> ProbeBudget.builder().burst(0).build())
                .hasMessage("burst must be 1..10000000, was 0");
    }

    @Test
    void unsetRatesAreUnlimitedAndKeyedOnlyWithAPerKeyRate() {
        ProbeBudget b = ProbeBudget.builder().build();
        assertThat(b).isEqualTo(new ProbeBudget(0, 0, 0, 0, 1));
        assertThat(b.keyed()).isFalse();
        assertThat(ProbeBudget.builder().overall(500).build().keyed()).isFalse();
        assertThat(ProbeBudget.builder().perRouter(50).build().keyed()).isTrue();
        assertThat(ProbeBudget.builder().perDestination(5).build().keyed()).isTrue();
        assertThat(ProbeBudget.builder().perPrefix(5).build().keyed()).isTrue();
        assertThat(ProbeBudget.DEFAULT).isEqualTo(new ProbeBudget(1000, 0, 0, 0, 128));
        assertThat(ProbeBudget.DEFAULT).hasToString("1000/s overall (burst 128)");
        assertThat(new ProbeBudget(0, 5, 50, 0, 1)).hasToString("unlimited overall (burst 1), 5/s per destination, "
                + "50/s per router");
    }

    @Test
    void theBudgetAndThePacketRateAreOneOptionOnTheTracer() {
        ProbeBudget b = ProbeBudget.builder().overall(100).perRouter(10).build();
        assertThatThrownBy(() -> PathTracer.builder().budget(b).packetsPerSecond(5))
                .isInstanceOf(IllegalStateException.class).hasMessage("packetsPerSecond was already set");
        assertThatThrownBy(() -> PathTracer.builder().budget(b).burst(5)).hasMessage("burst was already set");
        assertThatThrownBy(() -> PathTracer.builder().packetsPerSecond(5).budget(b))
                .isInstanceOf(IllegalStateException.class).hasMessage("budget was already set");
        assertThatThrownBy(() -> PathTracer.builder().burst(5).budget(b)).hasMessage("budget was already set");
        assertThatThrownBy(() -> PathTracer.builder().budget(b).budget(b)).hasMessage("budget was already set");
    }
}
