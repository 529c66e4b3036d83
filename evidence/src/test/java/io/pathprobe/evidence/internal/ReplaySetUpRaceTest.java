package io.pathprobe.evidence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.PathTracer;
import io.pathprobe.ReplayApplication;
import io.pathprobe.evidence.ReplayResult;
import io.pathprobe.trace.TraceRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
        ReplayResult alone = PathTracer.replay(file);
        assertThat(alone.identical()).as(alone.toString()).isTrue();
        TraceRequest first = TraceRequest.builder("198.19.0.1").probeTimeout(Duration.ofMillis(400)).build();
        TraceRequest second = TraceRequest.builder("198.18.0.6").probeTimeout(Duration.ofMillis(400)).build();
        ReplayResult again = ReplayApplication.replay(file, (tracer, application) -> {
            var a = tracer.start(first);
            var b = tracer.start(second);
            a.result().join();
            b.result().join();
        });
        assertThat(again.divergence()).as(again.toString()).isEmpty();
        assertThat(again.identical()).as(again.toString()).isTrue();
    }
}
