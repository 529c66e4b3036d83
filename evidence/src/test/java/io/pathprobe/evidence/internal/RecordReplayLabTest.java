package io.pathprobe.evidence.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.PathTracer;
import io.pathprobe.RecordingException;
import io.pathprobe.ReplayApplication;
import io.pathprobe.evidence.ReplayResult;
import io.pathprobe.evidence.ReplayedMeasurement;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.mtu.MtuRequest;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.options.MeasurementRequest;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.TraceAllRequest;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Measurements recorded on kernel routers (Linux's default ICMP rate limits, a silent hop) replay, with no probe and
 * no lookup, to the very JSON document the recording wrote; a cut file replays to its last complete line and says so.
 */
@LabTest
@Timeout(120)
class RecordReplayLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(6).silentHops(3).inCurrentNamespace());

    @TempDir
    Path dir;

    private Path record(MeasurementRequest<?> request) throws Exception {
        Path file = dir.resolve("run.ndjson");
        try (PathTracer tracer = PathTracer.builder().offline().record(file).build()) {
            tracer.measure(request);
        }
        return file;
    }

    /**
     * The replay is the recorded document; a recording that does not replay so is kept in target/ for reading (CI
     * once saw a traceAll of two targets leave its record under a loaded machine, and it did not repeat).
     */
    private static void assertIdentical(ReplayResult replay, Path file) throws java.io.IOException {
        if (!replay.identical()) {
            Path kept = Path.of("target", "replay-diverged-" + System.nanoTime() + ".ndjson");
            java.nio.file.Files.copy(file, kept);
            System.out.println("the recording that did not replay identical: " + kept.toAbsolutePath());
        }
        assertThat(replay.measurements()).hasSize(1);
        ReplayedMeasurement m = replay.measurements().get(0);
        assertThat(m.failure()).as(replay.toString()).isEmpty();
        assertThat(m.recordedJson()).isPresent();
        assertThat(m.replayedJson()).as(replay.toString()).isEqualTo(m.recordedJson());
        assertThat(replay.divergence()).as(replay.toString()).isEmpty();
        assertThat(replay.truncated()).isFalse();
        assertThat(replay.identical()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(ProbeProtocol.class)
    void aTraceReplaysToItsRecordedDocument(ProbeProtocol protocol) throws Exception {
        Path file = record(TraceRequest.builder(LAB.lab().destination()).protocol(protocol)
                .probeTimeout(Duration.ofMillis(500)).build());
        ReplayResult replay = PathTracer.replay(file);
        assertIdentical(replay, file);
        TraceResult t = replay.measurements().get(0).result(TraceResult.class);
        assertThat(t.destinationReached()).isTrue();
        assertThat(t.hops()).hasSizeGreaterThanOrEqualTo(6);
    }

    @Test
    void everyOtherMeasurementReplaysToItsRecordedDocument() throws Exception {
        String dest = LAB.lab().destination().getHostAddress();
        List<MeasurementRequest<?>> requests = List.of(
                TraceAllRequest.builder(List.of(dest, LAB.lab().expectedResponder(2).orElseThrow().getHostAddress()))
                        .trace(TraceRequest.builder(dest).probeTimeout(Duration.ofMillis(400)).build()).build(),
                MonitorRequest.builder(TraceRequest.builder(dest).protocol(ProbeProtocol.ICMP)
                        .probeTimeout(Duration.ofMillis(400)).build()).interval(Duration.ofMillis(200)).rounds(3)
                        .build(),
                MultipathRequest.builder(dest).probeTimeout(Duration.ofMillis(400)).build(),
                MtuRequest.builder(dest).probeTimeout(Duration.ofMillis(400)).build(),
                PingRequest.builder(dest).count(4).interval(Duration.ofMillis(50)).build());
        for (MeasurementRequest<?> request : requests) {
            Path file = record(request);
            assertIdentical(PathTracer.replay(file), file);
        }
    }

    /**
     * Two measurements on one tracer: whether the second one's launch found the transport the first one's set-up
     * job opened is a race between the application's thread and that job; the replay settles it as the recording
     * did. Started back to back (the second set up on a pool too), and one after the other (the second begun at once
     * on the opened transport); replayed by the replay itself and by the application's code starting them again.
     */
    @Test
    void twoMeasurementsOfOneTracerReplayHoweverTheirSetUpsRaced() throws Exception {
        String dest = LAB.lab().destination().getHostAddress();
        String router = LAB.lab().expectedResponder(2).orElseThrow().getHostAddress();
        TraceRequest first = TraceRequest.builder(dest).probeTimeout(Duration.ofMillis(400)).build();
        TraceRequest second = TraceRequest.builder(router).probeTimeout(Duration.ofMillis(400)).build();
        for (boolean backToBack : new boolean[] {true, false}) {
            Path file = dir.resolve("two-" + backToBack + ".ndjson");
            try (PathTracer tracer = PathTracer.builder().offline().record(file).build()) {
                startBoth(tracer, first, second, backToBack);
            }
            ReplayResult replay = PathTracer.replay(file);
            assertThat(replay.measurements()).hasSize(2);
            assertThat(replay.identical()).as(backToBack + ": " + replay).isTrue();
            ReplayResult again = ReplayApplication.replay(file,
                    (tracer, application) -> startBoth(tracer, first, second, backToBack));
            assertThat(again.identical()).as(backToBack + ", the application's code: " + again).isTrue();
        }
    }

    /** Starts {@code first}, then (back to back, or once {@code first} ended) {@code second}; waits for both. */
    private static void startBoth(PathTracer tracer, TraceRequest first, TraceRequest second, boolean backToBack) {
        var a = tracer.start(first);
        if (!backToBack) {
            a.result().join();
        }
        var b = tracer.start(second);
        a.result().join();
        b.result().join();
    }

    @Test
    void aCutRecordingReplaysToItsLastCompleteLineAndSaysSo() throws Exception {
        Path file = record(TraceRequest.builder(LAB.lab().destination()).protocol(ProbeProtocol.UDP)
                .probeTimeout(Duration.ofMillis(500)).build());
        byte[] all = Files.readAllBytes(file);
        String text = new String(all, StandardCharsets.UTF_8);
        int middle = text.indexOf('\n', text.length() / 2);
        Path cut = dir.resolve("cut.ndjson");
        Files.write(cut, java.util.Arrays.copyOf(all, middle + 20)); // 20 bytes into the line after the middle
        ReplayResult replay = PathTracer.replay(cut);
        assertThat(replay.truncated()).isTrue();
        assertThat(replay.toString()).contains("cut");
        assertThat(replay.lines()).isEqualTo(text.substring(0, middle + 1).lines().count());
        ReplayedMeasurement m = replay.measurements().get(0);
        assertThat(m.recordedJson()).isEmpty(); // the result line was after the cut
        assertThat(m.result()).isPresent();
        assertThat(replay.divergence()).hasValueSatisfying(d -> assertThat(d.what()).contains("cut"));
    }

    @Test
    void aFileThatIsNotARecordingGivesOneClearError() throws Exception {
        Path junk = dir.resolve("junk.ndjson");
        Files.writeString(junk, "{\"schemaVersion\":9}\n");
        assertThatThrownBy(() -> PathTracer.replay(junk)).isInstanceOf(RecordingException.class)
                .hasMessageContaining("not a pathprobe recording");
        Path newer = dir.resolve("newer.ndjson");
        Files.writeString(newer, "{\"type\":\"recording\",\"format\":99,\"library\":\"pathprobe 9.0\","
                + "\"recordedAt\":\"2030-01-01T00:00:00Z\"}\n");
        assertThatThrownBy(() -> PathTracer.replay(newer)).isInstanceOf(RecordingException.class)
                .hasMessageContaining("format 99").hasMessageContaining("pathprobe 9.0");
        assertThatThrownBy(() -> PathTracer.replay(dir.resolve("missing.ndjson"))).isInstanceOf(RecordingException.class)
                .hasMessageContaining("no such file");
    }
}
