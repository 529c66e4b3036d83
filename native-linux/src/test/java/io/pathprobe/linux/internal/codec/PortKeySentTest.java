package io.pathprobe.linux.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.linux.internal.socket.Destination;
import io.pathprobe.spi.FlowPolicy;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** PortKey remembers every sequence number sent, over the whole range, with a bitmap grown on demand. */
class PortKeySentTest {
    @Test
    void everySentNumberIsRememberedAndNoOtherAcrossGrowth() {
        PortKey key = new PortKey(new Destination(InetAddress.getLoopbackAddress()), FlowPolicy.PER_PROBE, 40000, 1,
                33434, 0, 0xfffe, 0, PortKey.newCookie());
        int[] sent = {0, 5, 63, 64, 127, 128, 200, 4095, 4096, 30000, 0xfffe};
        for (int s : sent) {
            key.markSent(s);
        }
        for (int s : sent) {
            assertThat(key.wasSent(s)).as("sent %d", s).isTrue();
        }
        for (int s : new int[] {1, 62, 65, 129, 201, 4097, 29999, 0xfffd}) {
            assertThat(key.wasSent(s)).as("not sent %d", s).isFalse();
        }
        assertThat(key.wasSent(-1)).isFalse();
        assertThat(key.wasSent(0xffff)).as("beyond maxSequence").isFalse();
    }
}
