package io.pathprobe.bufferbloat.internal.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.lab.fuzz.FuzzSupport;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Structure-aware fuzzing of the responsiveness configuration's parser ({@link NqConfig#parse}) with the seeded
 * mutator ({@link FuzzSupport#run}): every build feeds it its seeds and {@value FuzzSupport#DEFAULT_INPUTS} mutants;
 * {@code -Dpathprobe.fuzz.inputs=1000000} is the million-input run (docs/hardening.md). Deterministic: the same seed
 * gives the same inputs.
 */
class BufferbloatParserMutationTest {
    @Test
    void theConfigurationParserTakesArbitraryAndMutatedBodies() {
        BufferbloatParserFuzzTest.Nq nq = new BufferbloatParserFuzzTest.Nq();
        FuzzSupport.Stats s = FuzzSupport.run(nq, FuzzSupport.inputs(), 0x9a7b9a7bL ^ nq.name().hashCode());
        System.out.println("bufferbloat parsers, structure-aware mutation:\n" + FuzzSupport.table(List.of(s)));
        // the seeds parse, and mutants reach both of the parser's refusals
        assertThat(s.outcomes()).containsKeys("config", "BadConfig: JSON", "BadConfig: not JSON");
    }
}
