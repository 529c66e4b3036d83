package io.pathprobe.internal;


/**
 * The engine behind {@link io.pathprobe.PathTracer#builder()}, found through {@link java.util.ServiceLoader}.
 * Not API: pathprobe-core provides it; applications neither implement nor call it.
 */
public interface TracerFactory {
    /**
     * Makes a tracer.
     *
     * @param settings the options of the {@link io.pathprobe.PathTracerBuilder}
     * @return the tracer, a {@link io.pathprobe.PathTracer} (typed {@code Object} so that this package
     *     depends on nothing above it: the API's packages have no cycle)
     */
    Object create(TracerSettings settings);

    /**
     * Replays a recording.
     *
     * @param file the recording
     * @return the replay, an {@link io.pathprobe.evidence.ReplayResult}
     * @throws io.pathprobe.RecordingException if the file cannot be read or replayed
     * @throws UnsupportedOperationException if this engine does not replay
     */
    default Object replay(java.nio.file.Path file) {
        throw new UnsupportedOperationException("this pathprobe engine does not replay recordings");
    }

    /**
     * Replays a recording with the application's code ({@link io.pathprobe.ReplayApplication}).
     *
     * @param file the recording
     * @param application the application's code, an {@link io.pathprobe.ReplayApplication}
     * @return the replay, an {@link io.pathprobe.evidence.ReplayResult}
     * @throws io.pathprobe.RecordingException if the file cannot be read or replayed
     * @throws UnsupportedOperationException if this engine does not replay
     */
    default Object replay(java.nio.file.Path file, Object application) {
        throw new UnsupportedOperationException("this pathprobe engine does not replay recordings");
    }
}
