package io.pathprobe.evidence;

import io.pathprobe.internal.TracerFactory;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Replays a recording ({@link io.pathprobe.PathTracerBuilder#record(RecordingOptions)}): each recorded measurement
 * runs again through the same strategies, on the recording's clock, with the recorded answers instead of the
 * network and the recorded lookups instead of DNS; nothing is sent and nothing is asked. A recording made by this
 * library replays to the recorded result ({@link ReplayedMeasurement#identical()}): a field report becomes a
 * regression test.
 *
 * <pre>{@code
 * ReplayResult replay = Replay.of(Path.of("incident.ndjson"));
 * TraceResult trace = replay.measurements().get(0).result(TraceResult.class);
 * }</pre>
 */
public final class Replay {
    /** The recording format this library writes and the newest it reads. */
    public static final int FORMAT = 1;

    private Replay() {}

    /**
     * Replays {@code file}.
     *
     * @param file the recording
     * @return the replay
     * @throws RecordingException if the file cannot be read, is not a recording, needs a newer library (the
     *     message names the format and the library that wrote it) or holds no measurement
     * @throws io.pathprobe.PathProbeException if no pathprobe engine (pathprobe-core) is on the class path
     */
    public static ReplayResult of(Path file) {
        Objects.requireNonNull(file, "file");
        return (ReplayResult) TracerFactory.find().replay(file);
    }
}
