package io.pathprobe.evidence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.Measurement;
import io.pathprobe.PathTracer;
import io.pathprobe.ReplayApplication;
import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.evidence.ReplayResult;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A measurement the application cancelled while recording is cancelled where it was in the replay, also when the
 * application's own code runs on the replay and does not cancel it (an interrupted mtr replayed by the command
 * line): the replay ends each measurement as the recording did.
 */
@Timeout(60)
class ReplayCancelTest extends SimulatedRecording {
    @Test
    void aCancelledTraceReplaysCancelledWhereItWas() throws Exception {
        Path file = dir.resolve("cancelled.ndjson");
        Scenario slow = Scenario.named("slow", 4).rtt(3, Duration.ofMillis(400)).rtt(4, Duration.ofMillis(400));
        TraceRequest request = TraceRequest.builder(Scenario.DESTINATION).build();
        TraceResult live;
        try (PathTracer tracer = recording(slow, file)) {
            Measurement<TraceRequest, TraceResult> trace = tracer.start(request);
            Thread.sleep(150); // the first hops answered, the slow ones not yet
            live = trace.cancel();
        }
        assertThat(live.status()).isEqualTo(TraceStatus.CANCELLED);
        ReplayResult replay = PathTracer.replay(file);
        assertThat(replay.identical()).as(replay.toString()).isTrue();
        TraceResult[] again = new TraceResult[1];
        ReplayResult withApplication = ReplayApplication.replay(file, (tracer, application) ->
                again[0] = tracer.trace(request));
        assertThat(withApplication.identical()).as(withApplication.toString()).isTrue();
        assertThat(again[0].status()).isEqualTo(TraceStatus.CANCELLED);
        assertThat(again[0].hops()).isEqualTo(live.hops());
    }
}
