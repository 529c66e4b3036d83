package io.pathprobe.core.internal.record.spi;

import io.pathprobe.RecordingException;
import io.pathprobe.ReplayApplication;
import io.pathprobe.evidence.RecordingOptions;
import io.pathprobe.evidence.ReplayResult;
import io.pathprobe.internal.TracerSettings;
import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceLoader;
import org.jspecify.annotations.Nullable;

/**
 * The recorder and the replayer, found through {@link java.util.ServiceLoader} (module path: {@code provides};
 * class path: {@code META-INF/services}): the {@code pathprobe-evidence} artifact provides them. Without it,
 * {@code PathTracerBuilder.record(...).build()} and {@code PathTracer.replay} throw a {@link RecordingException}
 * naming the artifact ({@link #find}), before anything is opened or started.
 */
public interface Evidence {
    /** The artifact that provides this, as Maven coordinates without the version. */
    String ARTIFACT = "io.pathprobe:pathprobe-evidence";

    /**
     * Opens a recording and writes its header and the tracer's settings.
     *
     * @param library the pathprobe version the header names
     * @throws RecordingException if the file cannot be created, or what it is written with is missing
     */
    Recording record(RecordingOptions options, TracerSettings settings, String library);

    /**
     * Replays {@code file} on engines {@code engine} builds; with an application, the application's code starts the
     * recorded measurements (in the caller's thread).
     *
     * @throws RecordingException if it cannot be read or replayed, or what it is read with is missing
     * @throws RuntimeException what the application throws, once the replay has ended
     */
    ReplayResult replay(Path file, ReplayEngine engine, @Nullable ReplayApplication application);

    /**
     * The provider on the class path or module path.
     *
     * @param file the recording to be written or read
     * @param doing what needs it: "recording", "replaying"
     * @throws RecordingException naming {@link #ARTIFACT} if there is none
     */
    static Evidence find(Path file, String doing) {
        Optional<Evidence> e = ServiceLoader.load(Evidence.class, Evidence.class.getClassLoader()).findFirst();
        if (e.isEmpty()) {
            e = ServiceLoader.load(Evidence.class).findFirst();
        }
        return e.orElseThrow(() -> new RecordingException(file, doing + " needs pathprobe-evidence (" + ARTIFACT
                + ", the same version as pathprobe-core; it brings jackson-databind, which recordings are written "
                + "and read with) on the class path or module path", null));
    }
}
