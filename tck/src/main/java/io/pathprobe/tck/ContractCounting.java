package io.pathprobe.tck;

import static io.pathprobe.tck.ProbeTransportContractKit.expectation;
import static io.pathprobe.tck.ProbeTransportContractKit.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCounters;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The tests of {@code ProbeTransportContractKit.Counting}, the contract kit's group of counting:
 * {@code read == delivered + dropped}, and what listeners took or failed on. The kit's nested class of that name
 * extends this class, so that JUnit runs these tests, and Surefire reports them, as that nested class's. Part of
 * the kit: extend {@link ProbeTransportContractKit}, not this.
 */
abstract class ContractCounting extends ContractGroup {
    ContractCounting(ProbeTransportContractKit kit) {
        super(kit);
    }

    @Test
    void countersAddUpAndCountWhatListenersTook() {
        assumeAvailable();
        SessionSpec spec = anySpec();
        try (ProbeTransport t = provider().open()) {
            assumeTrue(t.counters().isPresent(), "the transport does not count");
            Recorder fine = new Recorder();
            Recorder throwing = new Recorder(true);
            try (ProbeSession good = t.openSession(spec, fine); ProbeSession bad = t.openSession(spec, throwing)) {
                ProbePlan.Expectation e = expectation(spec.protocol(), spec.destination());
                plan().add(good, fine, 1, 64, e).add(good, fine, 2, 64, e).add(good, fine, 3, 64, e)
                        .add(bad, throwing, 1, 64, e).runAndVerify();
            }
            TransportCounters c = settledCounters(t);
            assertThat(c.read()).as("read == delivered + dropped: %s", c)
                    .isEqualTo(c.delivered() + c.droppedTotal());
            assertThat(c.delivered()).as("delivered: %s", c).isEqualTo(fine.responses().size());
            assertThat(c.dropped(DropReason.LISTENER_FAILED)).as("listener failures: %s", c)
                    .isEqualTo(throwing.responses().size());
            assertThat(c.dropped().values()).allSatisfy(n -> assertThat(n).isNotNegative());
        }
    }

    @Test
    void theSharedTransportsCountersAddUp() {
        Optional<TransportCounters> counters = transport().counters();
        assumeTrue(counters.isPresent(), "the transport does not count");
        TransportCounters c = settledCounters(transport());
        assertThat(c.read()).as("read == delivered + dropped: %s", c).isEqualTo(c.delivered() + c.droppedTotal());
    }

    /** The counters once the I/O thread is done with what it is handling (bounded wait). */
    private TransportCounters settledCounters(ProbeTransport t) {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        TransportCounters c = t.counters().orElseThrow();
        while (c.read() != c.delivered() + c.droppedTotal() && System.nanoTime() < deadline) {
            ProbePlan.sleep(Duration.ofMillis(20));
            c = t.counters().orElseThrow();
        }
        return c;
    }
}
