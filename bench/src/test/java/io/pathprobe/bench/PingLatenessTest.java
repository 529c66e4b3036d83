package io.pathprobe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.ping.PingProbe;
import io.pathprobe.probe.ProbeStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The ping bench's send lateness measures each send against its own due instant as the engine re-plans it: a stall
 * that skipped slots makes the send it delayed late, not every send after it (as against the first grid).
 */
class PingLatenessTest {
    private static final long MS = 1_000_000L;

    private static List<PingProbe> sentAt(long... nanos) {
        List<PingProbe> probes = new ArrayList<>();
        for (int i = 0; i < nanos.length; i++) {
            probes.add(new PingProbe(i, Duration.ofNanos(nanos[i]), ProbeStatus.TIMEOUT, Optional.empty(),
                    Optional.empty(), Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
                    Optional.empty()));
        }
        return probes;
    }

    @Test
    void aStallThatSkippedSlotsMakesOnlyTheDelayedSendLate() {
        // 10 ms grid from 5 ms; the third send, due at 25 ms, stalled 150 ms (more than 10 intervals: the engine
        // re-plans the next to the first slot after it, 185 ms), and the later sends leave on that grid, 7 µs late
        // each (against the first grid they would count 160 ms late)
        long[] late = PingComparison.lateness(sentAt(5 * MS, 15 * MS, 175 * MS, 185 * MS + 7_000, 195 * MS + 7_000),
                10 * MS);
        assertThat(late).containsExactly(0, 7_000, 7_000, 150 * MS);
    }

    @Test
    void aSendCatchingUpIsDueHalfAnIntervalAfterTheLateOne() {
        // the second send 25 ms late (slot 10 ms, left 35 ms): the third is due at 40 ms, half an interval on, the
        // fourth at 45 ms (its slot, 30 ms, passed too: still catching up), and each left then
        long[] late = PingComparison.lateness(sentAt(0, 35 * MS, 40 * MS, 45 * MS), 10 * MS);
        assertThat(late).containsExactly(0, 0, 25 * MS);
    }

    @Test
    void nothingSentIsNothingLateAndTheFirstSendStartsTheSchedule() {
        assertThat(PingComparison.lateness(List.of(), 10 * MS)).isEmpty();
        assertThat(PingComparison.lateness(sentAt(123 * MS), 10 * MS)).isEmpty();
    }
}
