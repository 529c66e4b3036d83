package io.pathprobe.core.internal.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The test networks' ICMP limit behaves as Linux's: a burst of 6, then one a second. */
class IcmpLimiterTest {
    private static final long S = 1_000_000_000L;

    @Test
    void aBurstThenOneAnInterval() {
        IcmpLimiter linux = new IcmpLimiter(6, S);
        long t = 5 * S;
        int sent = 0;
        for (int i = 0; i < 20; i++) {
            sent += linux.allows(t) ? 1 : 0;
        }
        assertThat(sent).as("20 errors due at once: the burst").isEqualTo(6);
        assertThat(linux.allows(t + S / 2)).as("half a token").isFalse();
        assertThat(linux.allows(t + S)).as("a whole token after an interval").isTrue();
        assertThat(linux.allows(t + S)).isFalse();
        // an idle minute refills the burst, not more
        sent = 0;
        for (int i = 0; i < 20; i++) {
            sent += linux.allows(t + 61 * S) ? 1 : 0;
        }
        assertThat(sent).isEqualTo(6);
    }

    @Test
    void aPacedSenderWithinTheRateIsNeverRefused() {
        IcmpLimiter vendor = new IcmpLimiter(10, 200_000_000L); // 5 a second, burst 10
        for (int i = 0; i < 1_000; i++) {
            assertThat(vendor.allows(i * 200_000_000L)).as("error %d", i).isTrue();
        }
    }

    @Test
    void aLimitWithoutTokensIsRejected() {
        assertThatThrownBy(() -> new IcmpLimiter(0, S)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IcmpLimiter(6, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
