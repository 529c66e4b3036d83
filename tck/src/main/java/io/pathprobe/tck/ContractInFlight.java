package io.pathprobe.tck;

import static io.pathprobe.tck.ProbeTransportContractKit.QUIET;
import static io.pathprobe.tck.ProbeTransportContractKit.ROUND;
import static io.pathprobe.tck.ProbeTransportContractKit.ROUNDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.SendFailedException;
import org.junit.jupiter.api.Test;

/**
 * The tests of {@code ProbeTransportContractKit.InFlight}, the contract kit's group of probes in flight: a session
 * of one probe in flight releases the outstanding one when it sends the next. The kit's nested class of that name
 * extends this class, so that JUnit runs these tests, and Surefire reports them, as that nested class's. Part of
 * the kit: extend {@link ProbeTransportContractKit}, not this.
 */
abstract class ContractInFlight extends ContractGroup {
    ContractInFlight(ProbeTransportContractKit kit) {
        super(kit);
    }

    /**
     * {@code maxInFlight()} is at least 1; a session of one probe in flight accepts a second send
     * while the first is outstanding (releasing the first, whose answer may be lost), answers the
     * second, and never answers with a sequence it was not sent.
     */
    @Test
    void aSessionOfOneProbeInFlightReleasesTheOutstandingOneWhenItSendsTheNext() throws SendFailedException {
        forEachLoopbackSession((s, recorder, protocol, target, policy) -> {
            String what = protocol + " " + policy + " " + target.getHostAddress();
            assertThat(s.maxInFlight()).as("%s maxInFlight", what).isPositive();
            if (s.maxInFlight() != 1) {
                return;
            }
            for (int round = 0; round < ROUNDS && recorder.forSequence(2).isEmpty(); round++) {
                s.send(ProbeSpec.of(1, 64));
                s.send(ProbeSpec.of(2, 64)); // the first is (most likely) still outstanding
                recorder.awaitUntil(r -> r.stream().anyMatch(x -> x.sequence() == 2), ROUND);
            }
            ProbePlan.sleep(QUIET);
            assertThat(recorder.forSequence(2)).as("%s: the second probe's answer", what).isNotEmpty();
            assertThat(recorder.responses()).as("%s: only sequences sent", what)
                    .allSatisfy(r -> assertThat(r.sequence()).isIn(1, 2));
        });
    }
}
