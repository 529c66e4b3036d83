package io.pathprobe.evidence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.PathTracer;
import io.pathprobe.ReplayApplication;
import io.pathprobe.enrich.HostResolver;
import io.pathprobe.evidence.RecordingOptions;
import io.pathprobe.evidence.ReplayResult;
import io.pathprobe.internal.TracerSettings;
import io.pathprobe.trace.TraceRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The recordings kept beside the tests (made in the lab), each copied into a test's own folder to be replayed. */
final class Recorded {
    private Recorded() {}

    /** {@return recording {@code name}, copied into {@code dir}} */
    static Path copy(String name, Path dir) throws IOException {
        Path file = dir.resolve(name);
        try (InputStream in = Recorded.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            Files.copy(in, file);
        }
        return file;
    }

    /** The first trace of the two-trace recordings, as their application started it. */
    static final TraceRequest FIRST = TraceRequest.builder("198.19.0.1").probeTimeout(Duration.ofMillis(400)).build();
    /** The second trace of the two-trace recordings. */
    static final TraceRequest SECOND = TraceRequest.builder("198.18.0.6").probeTimeout(Duration.ofMillis(400)).build();

    /** Replays {@code file} alone, then under {@code application}: each time identical to the recording. */
    static void replaysIdentically(Path file, ReplayApplication application) throws Exception {
        ReplayResult alone = PathTracer.replay(file);
        assertThat(alone.identical()).as(alone.toString()).isTrue();
        ReplayResult again = ReplayApplication.replay(file, application);
        assertThat(again.divergence()).as(again.toString()).isEmpty();
        assertThat(again.identical()).as(again.toString()).isTrue();
    }

    /** {@return recording {@code name}, copied into {@code dir} and replayed: one measurement} */
    static ReplayResult replayOne(String name, Path dir) throws Exception {
        ReplayResult replay = PathTracer.replay(copy(name, dir));
        assertThat(replay.measurements()).hasSize(1);
        return replay;
    }

    /** {@return a recorder into {@code file}, with the tracer's default settings (library "test")} */
    static Recorder recorder(Path file) {
        return Recorder.open(RecordingOptions.to(file), new TracerSettings(null, null, 0, 128, HostResolver.SYSTEM, null),
                "test");
    }
}
