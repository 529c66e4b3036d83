package io.pathprobe.core.internal.record.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.pathprobe.PathTracer;
import io.pathprobe.RecordingException;
import io.pathprobe.ReplayApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorder and the replayer are in pathprobe-evidence, which core's tests do not have (it depends on core): on
 * this class path a tracer that records fails {@code build()} with the documented {@code RecordingException} naming
 * the artifact to add, before anything is opened or started (no file, no thread), and both forms of
 * {@code PathTracer.replay} say the same before they read the file or run the application's code. A tracer that does
 * not record builds as ever.
 */
class WithoutEvidenceTest {
    @TempDir
    Path dir;

    private static Set<Thread> pathprobeThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("pathprobe")).collect(Collectors.toSet());
    }

    @Test
    void recordingAndReplayAreATypedErrorNamingTheArtifactBeforeAnythingOpens() throws Exception {
        assertThat(ServiceLoader.load(Evidence.class).findFirst()).as("a recorder on core's test class path").isEmpty();
        PathTracer.builder().offline().build().close();

        Set<Thread> threadsBefore = pathprobeThreads();
        Path file = dir.resolve("run.ndjson");
        Throwable record = catchThrowable(() -> PathTracer.builder().offline().record(file).build());
        assertThat(record).isInstanceOf(RecordingException.class)
                .hasMessageStartingWith(file + ": recording needs pathprobe-evidence")
                .hasMessageContaining("io.pathprobe:pathprobe-evidence");
        assertThat(((RecordingException) record).file()).isEqualTo(file.toString());
        assertThat(file).doesNotExist();
        Set<Thread> started = pathprobeThreads();
        started.removeAll(threadsBefore);
        assertThat(started).as("threads the failed build() started").isEmpty();

        Path recording = Files.writeString(dir.resolve("old.ndjson"), "{\"type\":\"recording\",\"format\":1}\n");
        assertThat(catchThrowable(() -> PathTracer.replay(recording))).isInstanceOf(RecordingException.class)
                .hasMessageStartingWith(recording + ": replaying needs pathprobe-evidence")
                .hasMessageContaining("io.pathprobe:pathprobe-evidence");
        AtomicBoolean ran = new AtomicBoolean();
        assertThat(catchThrowable(() -> ReplayApplication.replay(recording, (tracer, application) -> ran.set(true))))
                .isInstanceOf(RecordingException.class)
                .hasMessageStartingWith(recording + ": replaying needs pathprobe-evidence")
                .hasMessageContaining("io.pathprobe:pathprobe-evidence");
        assertThat(ran).as("the application's code ran").isFalse();
    }
}
