package io.pathprobe.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.spi.SessionSpec;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The tests of {@code ProbeTransportContractKit.Leaks}, the contract kit's group of leaks: opening and closing many
 * sessions, and transports, leaks neither file descriptors nor threads. The kit's nested class of that name extends
 * this class, so that JUnit runs these tests, and Surefire reports them, as that nested class's. Part of the kit:
 * extend {@link ProbeTransportContractKit}, not this.
 */
abstract class ContractLeaks extends ContractGroup {
    ContractLeaks(ProbeTransportContractKit kit) {
        super(kit);
    }

    @Test
    void openingAndClosingManySessionsLeaksNeitherFileDescriptorsNorThreads() throws SendFailedException {
        ProbeTransport t = transport();
        SessionSpec spec = anySpec();
        for (int i = 0; i < 50; i++) { // warm up: lazily created pools, caches, classes
            t.openSession(spec, r -> { }).close();
        }
        OptionalInt fdsBefore = Resources.openFileDescriptors();
        int threadsBefore = Resources.liveThreads();
        List<String> threadNamesBefore = Resources.liveThreadNames();
        for (int i = 0; i < 1000; i++) {
            ProbeSession s = t.openSession(spec, r -> { });
            if (i % 100 == 0) {
                s.send(ProbeSpec.of(i % 256, 64)); // some of them actually send
            }
            s.close();
        }
        assertFileDescriptorsBack(fdsBefore, "1000 sessions");
        int threadsAfter = Resources.settle(Resources::liveThreads,
                threadsBefore, Duration.ofSeconds(5));
        assertThat(threadsAfter).as("live threads after 1000 sessions; before: %s, after: %s", threadNamesBefore,
                Resources.liveThreadNames()).isLessThanOrEqualTo(threadsBefore);
    }

    @Test
    void openingAndClosingTransportsLeaksNeitherFileDescriptorsNorThreads() {
        assumeAvailable();
        SessionSpec spec = anySpec();
        Runnable cycle = () -> {
            try (ProbeTransport t = provider().open()) {
                t.openSession(spec, r -> { }); // left open: closing the transport closes it
            }
        };
        cycle.run();
        OptionalInt fdsBefore = Resources.openFileDescriptors();
        int threadsBefore = Resources.settle(Resources::liveThreads, 0,
                Duration.ofSeconds(3));
        for (int i = 0; i < 20; i++) {
            cycle.run();
        }
        assertFileDescriptorsBack(fdsBefore, "20 transports");
        // Libraries may keep an idle helper thread for a second or so (Netty's global executor): wait it out.
        int threadsAfter = Resources.settle(Resources::liveThreads,
                threadsBefore, Duration.ofSeconds(10));
        assertThat(threadsAfter).as("live threads after 20 transports: %s",
                Resources.liveThreadNames()).isLessThanOrEqualTo(threadsBefore);
    }

    /** Where the system counts them, the open file descriptors are back to at most {@code before} within 5 s. */
    private static void assertFileDescriptorsBack(OptionalInt before, String after) {
        if (before.isPresent()) {
            int fdsAfter = Resources.settle(
                    () -> Resources.openFileDescriptors().orElse(0),
                    before.getAsInt(), Duration.ofSeconds(5));
            assertThat(fdsAfter).as("open file descriptors after %s", after)
                    .isLessThanOrEqualTo(before.getAsInt());
        }
    }
}
