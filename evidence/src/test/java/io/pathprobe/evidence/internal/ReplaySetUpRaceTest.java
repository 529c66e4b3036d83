package io.pathprobe.evidence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two traces started back to back on one tracer, recorded on the lab under load (2026-11-27): the first one's set-up
 * job gave the loop its first piece of work, then waited for the transport while the second one's launch set up on
 * the pool too and its job opened the transport; the first job ended after. An application replaying it (starting the
 * two traces again) reached that first piece of work before it had started the second trace: the replay ran the first
 * job whole, which opened the transport, the second launch found it open and began at once, and the replay left the
 * record. A job that ended, while recording, after a launch the application has not made yet waits for that launch.
 */
@Timeout(60)
class ReplaySetUpRaceTest {
    @TempDir
    Path dir;

    @Test
    void twoSetUpsThatRacedReplayAsTheyRanAlsoUnderTheApplication() throws Exception {
        Path file = Recorded.copy("two-set-ups-at-once.ndjson", dir);
        assertThat(Files.readString(file)).contains("{\"type\":\"launched\",\"m\":2,\"pooled\":true}");
        Recorded.replaysIdentically(file, (tracer, application) -> {
            var a = tracer.start(Recorded.FIRST);
            var b = tracer.start(Recorded.SECOND);
            a.result().join();
            b.result().join();
        });
    }
}
