package io.pathprobe.evidence;

import io.pathprobe.util.Checks;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A recording replayed ({@code PathTracer.replay(Path)}): its measurements with their replayed results, and
 * how far the record carried the replay.
 *
 * @param file the recording, as given
 * @param format the recording's format version ({@link #FORMAT})
 * @param recordedBy the library that wrote it ({@code "pathprobe 0.1.0"})
 * @param recordedAt when the recording began (wall clock of the recording machine)
 * @param application what the recording application said of its run ({@link RecordingOptions#application()}); empty
 *     if nothing
 * @param segment which segment of a rotated recording this file is (1: the first, the one that replays)
 * @param lines the complete lines read
 * @param truncated whether the file ends in a cut line (a recording that was still being written, or cut): the
 *     replay used everything before it
 * @param divergence where the replay left the record, if it did: the first thing the engine did that the
 *     recording does not hold (a probe it never sent, a lookup it never made), or the end of a truncated record;
 *     from there on the replay ran on fake time with no answers (every probe still unanswered timed out), and a
 *     result that differs from the recorded one is not given as if it were ({@link ReplayedMeasurement})
 * @param measurements the measurements, in the order they were started
 * @param masking what the recording hides ({@link RecordingOptions#masking()}; {@link Masking#NONE}: nothing): its
 *     documents (recorded and replayed) are masked so, and so should what shows a replayed result be
 */
public record ReplayResult(String file, int format, String recordedBy, Instant recordedAt, String application,
        int segment, long lines, boolean truncated, Optional<ReplayDivergence> divergence,
        List<ReplayedMeasurement> measurements, Masking masking) {
    /**
     * The recording format this library writes and the newest it reads (it reads every older one). 1: the first.
     * 2: the application's code (listeners, its futures) takes no name in the engine's order and a measurement's
     * launch is named after its number (a format 1 recording made with listeners could replay off its record), a
     * request says whether it had a listener, and the header may hold the application's {@code application}.
     */
    public static final int FORMAT = 2;

    /**
     * Checks the components (see the record's description) and copies {@code measurements}.
     *
     * @param file the recording
     * @param format the recording's format version
     * @param recordedBy the library that wrote it
     * @param recordedAt when the recording began
     * @param application what the recording application said of its run
     * @param segment which segment of a rotated recording this file is
     * @param lines the complete lines read
     * @param truncated whether the file ends in a cut line
     * @param divergence where the replay left the record
     * @param measurements the measurements
     * @param masking what the recording hides
     * @throws NullPointerException if a component is null
     */
    public ReplayResult {
        Checks.nonNull("file", file, "masking", masking, "recordedBy", recordedBy, "recordedAt", recordedAt,
                "application", application, "divergence", divergence);
        measurements = List.copyOf(measurements);
    }

    /** {@return whether every measurement replayed to exactly its recorded result} */
    public boolean identical() {
        return !measurements.isEmpty() && measurements.stream().allMatch(ReplayedMeasurement::identical);
    }

    /**
     * {@return whether the record ends (a recording cut, or still being written) after it holds every measurement's
     * result but before the engine's last acts} The replay followed every recorded probe, then ran out of record, not
     * off it: what it gave from there on fake time is not compared with the recorded results, which stand (the
     * CLI's {@code replay} says "cut after its results", exit 3).
     */
    public boolean cutAfterItsResults() {
        return divergence.filter(d -> d.recordEnded() && d.probesFollowed() == d.probesRecorded()).isPresent()
                && !measurements.isEmpty() && measurements.stream().allMatch(m -> m.recordedJson().isPresent()
                        && m.failure().isEmpty());
    }

    /**
     * The recording, how it replayed, and each measurement, never cut in a word:
     * <pre>
     * replay of run.ndjson (format 2, pathprobe 0.1.0, recorded 2026-11-26T09:00:00Z, 412 lines)
     *   trace of 198.18.1.9: identical to the recorded result
     * </pre>
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("replay of ").append(file).append(" (format ").append(format)
                .append(", ").append(recordedBy).append(", recorded ").append(recordedAt).append(", ").append(lines)
                .append(lines == 1 ? " line" : " lines").append(segment > 1 ? ", segment " + segment : "").append(')');
        if (masking.active()) {
            b.append("\n  the recording hides ").append(masking.toString().replaceFirst(" masked$", ""));
        }
        if (truncated) {
            b.append("\n  the file ends in a cut line: replayed up to its last complete line");
        }
        divergence.ifPresent(d -> b.append("\n  ").append(d));
        boolean cut = cutAfterItsResults();
        for (ReplayedMeasurement m : measurements) {
            b.append("\n  ").append(cut && !m.identical() ? m.what() + ": not compared: the recording holds its "
                    + "result but not the engine's last acts" : m.toString());
        }
        return b.toString();
    }
}
