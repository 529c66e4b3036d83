package io.pathprobe.linux.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.fuzz.FuzzSupport;
import org.junit.jupiter.api.Test;

/**
 * {@link SessionTargets} in the lab run (root, a private network namespace), where ping sockets
 * can be allowed: linux-icmp-dgram's handlers are fuzzed too, beside linux-udp-recverr's. Seeds
 * and {@link FuzzSupport#DEFAULT_INPUTS} mutants, or -Dpathprobe.fuzz.inputs (docs/hardening.md, "Fuzzing").
 */
@LabTest
class SessionHandlersFuzzLabTest {
    @Test
    void everySocketSessionsHandlersTakeArbitraryAndMutatedMessages() {
        try (SessionTargets t = new SessionTargets()) {
            assertThat(t.skipped()).as("linux-icmp-dgram opened here").isEmpty();
            FuzzSupport.Stats s = FuzzSupport.run(t, FuzzSupport.inputs(), 0x5e55102L);
            System.out.println("socket sessions in the lab namespace, structure-aware mutation:\n" + s);
            // linux-icmp-dgram's handlers delivered some inputs (alone, or beside other sessions': which mutants
            // each session takes depends on the identifiers and ports the kernel gave them in this run)
            assertThat(s.outcomes().keySet()).anyMatch(k -> k.startsWith("delivered by ") && k.contains("icmp-dgram"));
        }
    }
}
