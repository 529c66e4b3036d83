package io.pathprobe.evidence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.evidence.ReplayResult;
import io.pathprobe.evidence.ReplayedMeasurement;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording whose lookups were still pending when its trace ended: the CLI's masked, enriched trace of
 * {@code CliRecordReplayLabTest}, kept from a CI run (2026-11-27) in which the lab's DNS server answered late, so
 * the recorded result says PENDING for most hops' names and AS numbers and the recording holds no end for them.
 * Its replay gave those lookups an immediate failure ("not in the recording"), and so FAILED where the recording
 * said PENDING: "differs from the recorded result". A lookup whose end the recording does not hold stays pending.
 */
@Timeout(60)
class ReplayPendingLookupsTest {
    @TempDir
    Path dir;

    @Test
    void lookupsThatNeverEndedInTheRecordingStayPendingInTheReplay() throws Exception {
        ReplayResult replay = Recorded.replayOne("lookups-pending-at-the-result.ndjson", dir);
        ReplayedMeasurement m = replay.measurements().get(0);
        assertThat(m.failure()).as(replay.toString()).isEmpty();
        assertThat(m.recordedJson())
                .hasValueSatisfying(json -> assertThat(json).contains("\"hostnameStatus\":\"PENDING\""));
        assertThat(m.replayedJson()).as(replay.toString()).isEqualTo(m.recordedJson());
        assertThat(replay.divergence()).as(replay.toString()).isEmpty();
        assertThat(replay.identical()).isTrue();
    }
}
