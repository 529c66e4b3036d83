package io.pathprobe.multipath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pathprobe.trace.HopStatistics;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A path's loss as far as its probes tell: the 95 % interval that holds whichever way its rate-limited probes went
 * ({@link MultipathPath#lossLow()}, {@link MultipathPath#lossHigh()}).
 */
class MultipathPathLossTest {
    private static MultipathPath path(int received, int lost, int rateLimited) {
        int sent = received + lost + rateLimited;
        HopStatistics s = new HopStatistics(sent, received, lost, lost, 0, 0, Optional.empty(), rateLimited);
        return new MultipathPath(List.of(new PathHop(1, Optional.of(InetAddress.getLoopbackAddress()), s)), List.of(0),
                s, LossBasis.SPACED_PER_RESPONDER);
    }

    @Test
    void theIntervalHoldsTheLossWhicheverWayTheRateLimitedProbesWent() {
        for (int received = 0; received <= 12; received++) {
            for (int lost = 0; lost <= 12; lost++) {
                for (int limited = 0; limited <= 12; limited++) {
                    MultipathPath p = path(received, lost, limited);
                    int n = received + lost + limited;
                    assertThat(p.lossLow()).isBetween(0.0, 1.0);
                    assertThat(p.lossHigh()).isBetween(p.lossLow(), 1.0);
                    if (n == 0) {
                        assertThat(p.lossLow()).isZero();
                        assertThat(p.lossHigh()).isEqualTo(1.0);
                        continue;
                    }
                    // the loss read, and the loss had every rate-limited probe been answered, or lost
                    assertThat(p.loss()).isBetween(p.lossLow(), p.lossHigh());
                    assertThat(lost / (double) n).isBetween(p.lossLow(), p.lossHigh());
                    assertThat((lost + limited) / (double) n).isBetween(p.lossLow(), p.lossHigh());
                }
            }
        }
    }

    @Test
    void aFewSpacedProbesSayLittleAndManySayMore() {
        assertThat(path(5, 0, 0).lossHigh()).as("5 answered of 5").isCloseTo(0.434, within(0.001));
        assertThat(path(10, 0, 0).lossHigh()).isCloseTo(0.278, within(0.001));
        assertThat(path(100, 0, 0).lossHigh()).isCloseTo(0.037, within(0.001));
        assertThat(path(70, 30, 0).lossLow()).isCloseTo(0.219, within(0.001));
        assertThat(path(70, 30, 0).lossHigh()).isCloseTo(0.396, within(0.001));
        // 3 refused of 10: the loss read is 0, the interval says it could be up to 61 %
        assertThat(path(7, 0, 3).loss()).isZero();
        assertThat(path(7, 0, 3).lossHigh()).isCloseTo(0.603, within(0.001));
    }
}
