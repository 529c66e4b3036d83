package io.pathprobe.linux.internal.transport;

import io.pathprobe.lab.fuzz.FuzzSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Structure-aware fuzzing of the native-linux packet parsers with a seeded mutator
 * ({@link FuzzSupport#run}): every build feeds each parser its seeds and
 * {@value FuzzSupport#DEFAULT_INPUTS} mutants; {@code -Dpathprobe.fuzz.inputs=1000000} is the
 * million-input run (docs/hardening.md, "Fuzzing"). Deterministic: the same seed gives the same inputs.
 */
class PacketParserMutationTest {
    private static final List<FuzzSupport.Stats> STATS = new ArrayList<>();

    @TestFactory
    Stream<DynamicTest> everyParserTakesArbitraryAndMutatedPackets() {
        long inputs = FuzzSupport.inputs();
        return PacketTargets.all().stream().map(t -> DynamicTest.dynamicTest(t.name(), () -> {
            FuzzSupport.Stats s = FuzzSupport.run(t, inputs, 0x9a7b9a7bL ^ t.name().hashCode());
            synchronized (STATS) {
                STATS.add(s);
            }
        }));
    }

    @Test
    void theSocketSessionsHandlersTakeArbitraryAndMutatedMessages() {
        try (SessionTargets t = new SessionTargets()) {
            FuzzSupport.Stats s = FuzzSupport.run(t, FuzzSupport.inputs(), 0x5e55101L);
            synchronized (STATS) {
                STATS.add(s);
            }
            if (!t.skipped().isEmpty()) {
                System.out.println(t.skipped());
            }
        }
    }

    @AfterAll
    static void report() {
        System.out.println("native-linux parsers, structure-aware mutation:\n" + FuzzSupport.table(STATS));
    }
}
