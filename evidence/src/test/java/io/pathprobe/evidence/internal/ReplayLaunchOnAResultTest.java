package io.pathprobe.evidence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two traces on one tracer, the second started when the first one's result came (recorded on the lab under load,
 * 2026-11-28, by RecordReplayLabTest): the piece of loop work that made the first result was a late answer's, and
 * the application's launch of the second trace was written while that piece still ran, so the launch's lines come
 * before the piece's act line. An application replaying it waited for the first result while the replay's loop
 * waited for the second launch "recorded before" that piece: both for ever (CI's run of 2026-11-28 hung there). The
 * recording is older than the launched line's {@code during}: the replay infers it from the result written before.
 */
@Timeout(60)
class ReplayLaunchOnAResultTest {
    @TempDir
    Path dir;

    @Test
    void aLaunchMadeOnTheResultOfThePieceUnderWayIsNotAwaitedBeforeThatPiece() throws Exception {
        Path file = Recorded.copy("launched-on-the-first-ones-result.ndjson", dir);
        String text = Files.readString(file);
        // the record as it was: the first result and the second launch, then the act line of the piece that made it
        assertThat(text.indexOf("\"type\":\"result\",\"m\":1")).isLessThan(text.indexOf("\"type\":\"launched\",\"m\":2"));
        assertThat(text.indexOf("\"type\":\"launched\",\"m\":2")).isLessThan(text.indexOf("\"via\":\"R38\""));
        Recorded.replaysIdentically(file, (tracer, application) -> {
            var a = tracer.start(Recorded.FIRST);
            a.result().join();
            var b = tracer.start(Recorded.SECOND);
            b.result().join();
        });
    }
}
