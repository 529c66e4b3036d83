package io.pathprobe;

/**
 * An application's own code, run on a replay ({@link #replay(java.nio.file.Path, ReplayApplication)}):
 * what it did while recording, it does again on a tracer that replays the recording, and what it makes of the
 * results (what it prints, what its listeners see) comes out as it did. pathprobe's command line replays its
 * recordings so: {@code pathprobe replay FILE} runs the recorded command line again on the replay.
 */
@FunctionalInterface
public interface ReplayApplication {
    /**
     * Runs the application on the replay. The tracer starts the recorded measurements: each {@code start} (or
     * blocking call such as {@code trace}) must ask for the next recorded request, in the recorded order (the
     * listener aside: a request that had one while recording gets the application's, or one that does nothing);
     * another request is refused with an {@link IllegalArgumentException} naming what differs. Each runs on the
     * record, with no probe sent and no lookup made, and its listener hears what the recorded one heard, in the
     * order it heard it. Listeners and the futures' continuations run on the replay's own thread; a measurement
     * the recording cancelled is cancelled where it was (the application's own cancels are not replayed). What the
     * tracer gave the recording application about its transports it gives again; a measurement the recording does
     * not hold (a compare, a bufferbloat test) is refused.
     *
     * @param tracer the tracer that replays (closing it does nothing: the replay closes it when this returns)
     * @param application what the application said of its run while recording
     *     ({@link io.pathprobe.evidence.RecordingOptions#application()}); empty if nothing
     */
    void run(PathTracer tracer, String application);

    /**
     * Replays a recording with the application's own code: {@code application} runs (in the caller's thread) on a
     * tracer that replays the recording, and starts the recorded measurements itself, with its own listeners; what
     * it prints from the results and what its listeners hear comes out as it did while recording. Each measurement
     * replays exactly as with {@link PathTracer#replay(java.nio.file.Path)}.
     *
     * <pre>{@code
     * ReplayResult replay = ReplayApplication.replay(Path.of("incident.ndjson"),
     *         (tracer, application) -> System.out.println(tracer.trace(request.toBuilder().listener(table).build())));
     * }</pre>
     *
     * @param file the recording
     * @param application the application's code
     * @return the replay (the measurements the application did not start failed: "not started")
     * @throws RecordingException if the file cannot be read or replayed (as
     *     {@link PathTracer#replay(java.nio.file.Path)})
     * @throws RuntimeException what {@code application} throws, once the replay has ended
     * @throws PathProbeException if no pathprobe engine (pathprobe-core) is on the class path
     */
    static io.pathprobe.evidence.ReplayResult replay(java.nio.file.Path file, ReplayApplication application) {
        java.util.Objects.requireNonNull(file, "file");
        java.util.Objects.requireNonNull(application, "application");
        return (io.pathprobe.evidence.ReplayResult) PathTracerBuilder.findFactory().replay(file, application);
    }
}
