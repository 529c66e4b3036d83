package io.pathprobe.evidence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.evidence.ReplayResult;
import io.pathprobe.evidence.ReplayedMeasurement;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.TraceResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 68, a lossy link (30 % each way) in front of a destination whose ICMP is not limited: a recording of
 * {@code trace -P udp -q 10} on that lab ({@code LabDemo up --hops 5 --destination-unlimited --drop-to-destination 30
 * --drop-from-destination 30}, 2026-11-27, 1 of 30 such traces) in which the destination answered its 1st and 3rd
 * probes and none of the other 8, no refill retry went to it, and the trace recorded {@code 0 %} lost, 8
 * "rate-limited": the rate-limit model's budget (a destination of Linux's 6 a burst) called the misses past it a
 * limiter's without anything showing one (no refusal pattern against answers, no answer on its refill). Replayed,
 * the same answers give what the evidence allows: the 8 misses lost and undecided, the loss a bound from 0 % to
 * 80 % (ICMP read about 50 % on that lab), never a 0 % headline.
 */
@Timeout(60)
class LossyDestinationReplayTest {
    @TempDir
    Path dir;

    @Test
    void aLossyDestinationsMissesAreNoRefusalsOnTheModelsWordAlone() throws Exception {
        ReplayResult replay = Recorded.replayOne("lossy-unlimited-destination-udp.ndjson", dir);
        ReplayedMeasurement m = replay.measurements().get(0);
        assertThat(m.recordedJson()).as("the recorded defect").hasValueSatisfying(json -> assertThat(json)
                .contains("\"rateLimited\":8"));
        assertThat(replay.divergence()).as("the replay followed the record: the same probes, the same answers").isEmpty();
        // the verdict differs from the recorded one (that is the fix), so result(Class), which insists on the
        // recorded document, is not what is read: the replayed result itself
        TraceResult r = (TraceResult) m.result().orElseThrow();
        HopStatistics end = r.hops().get(r.hops().size() - 1).statistics();
        assertThat(r.hops()).hasSize(5);
        assertThat(end.received()).as("%s", r).isEqualTo(2);
        assertThat(end.rateLimited()).as("nothing showed the destination limits: %s", r).isZero();
        assertThat(end.lost()).as("%s", r).isEqualTo(8);
        assertThat(end.undecided()).as("%s", r).isEqualTo(8);
        assertThat(end.loss()).as("the headline: the bound's high end").isEqualTo(0.8);
        assertThat(end.lossLow()).isZero();
        assertThat(end.sent()).isEqualTo(end.received() + end.lost() + end.rateLimited() + end.abandoned());
        assertThat(r.protocolNote()).hasValueSatisfying(n -> assertThat(n).contains("loss 0-80 %"));
        assertThat(r.tcpConfirmations()).isZero();
    }
}
