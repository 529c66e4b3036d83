package io.pathprobe.evidence;

import io.pathprobe.util.Checks;
import java.time.Duration;
import java.util.Locale;

/**
 * Where a replay left its record ({@link ReplayResult#divergence()}): the replayed engine did something the
 * recording does not hold, or the record ended before the measurements did. From there on the replay ran on fake
 * time with no answers, so a result it gave after that point is not the recorded one: it is not given as if it were
 * ({@link ReplayedMeasurement#result(Class)} refuses it); the recorded result is {@link
 * ReplayedMeasurement#recordedJson()}, the replayed one {@link ReplayedMeasurement#result()}.
 *
 * @param what what the replay met, in a user's words ({@code "the engine sent a probe the recording did not send
 *     (TTL 4, attempt 3)"}, {@code "the recording is cut after line 212"})
 * @param at how far into the recording it was: the recorded clock's time since the recording's first reading
 * @param probesFollowed how many of the recorded probes the replay had sent as recorded
 * @param probesRecorded how many probes the recording holds
 * @param detail the replay's own account of it (the piece of the engine's work it concerns), for a bug report
 * @param recordEnded whether what the replay met is the record's end (a recording cut, or still being written), not
 *     something the engine did that the record does not hold
 */
public record ReplayDivergence(String what, Duration at, long probesFollowed, long probesRecorded, String detail,
        boolean recordEnded) {
    /**
     * Checks the components (see the record's description).
     *
     * @param what what the replay met
     * @param at how far into the recording it was
     * @param probesFollowed how many of the recorded probes the replay had sent as recorded
     * @param probesRecorded how many probes the recording holds
     * @param detail the replay's own account of it
     * @param recordEnded whether what the replay met is the record's end
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if a count or {@code at} is negative
     */
    public ReplayDivergence {
        Checks.nonNull("what", what, "at", at, "detail", detail);
        if (at.isNegative() || probesFollowed < 0 || probesRecorded < 0) {
            throw new IllegalArgumentException("negative: " + at + ", " + probesFollowed + ", " + probesRecorded);
        }
    }

    /**
     * A divergence where the engine did something the record does not hold ({@code recordEnded} false).
     *
     * @param what what the replay met
     * @param at how far into the recording it was
     * @param probesFollowed how many of the recorded probes the replay had sent as recorded
     * @param probesRecorded how many probes the recording holds
     * @param detail the replay's own account of it
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if a count or {@code at} is negative
     */
    public ReplayDivergence(String what, Duration at, long probesFollowed, long probesRecorded, String detail) {
        this(what, at, probesFollowed, probesRecorded, detail, false);
    }

    /**
     * One line: {@code "left the record 1.204 s into the recording, after 14 of its 19 probes: the engine sent a
     * probe the recording did not send (TTL 4, attempt 3) [detail]"}.
     */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "left the record %.3f s into the recording, after %d of its %d %s: %s%s",
                at.toNanos() / 1e9, probesFollowed, probesRecorded, probesRecorded == 1 ? "probe" : "probes", what,
                detail.isEmpty() ? "" : " [" + detail + "]");
    }
}
