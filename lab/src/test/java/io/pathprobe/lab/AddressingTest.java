package io.pathprobe.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AddressingTest {

    @Test
    void linksAreSlash30sFrom198_18_0_0() {
        assertThat(Addressing.text(Addressing.host())).isEqualTo("198.18.0.1");
        assertThat(Addressing.text(Addressing.up(1))).isEqualTo("198.18.0.2");
        assertThat(Addressing.text(Addressing.down(1))).isEqualTo("198.18.0.5");
        assertThat(Addressing.text(Addressing.up(2))).isEqualTo("198.18.0.6");
        assertThat(Addressing.text(Addressing.up(65))).isEqualTo("198.18.1.2");
        assertThat(Addressing.text(Addressing.down(249))).isEqualTo("198.18.3.229");
        assertThat(Addressing.text(Addressing.UNROUTED)).isEqualTo("198.18.255.1");
        assertThat(Addressing.text(Addressing.DESTINATION)).isEqualTo("198.19.0.1");
    }

    @Test
    void rangesBecomeTheFewestCidrBlocks() {
        long base = Addressing.LINK_BASE;
        assertThat(Addressing.cidrs(base, base)).isEmpty();
        assertThat(Addressing.cidrs(base, base + 4)).containsExactly("198.18.0.0/30");
        assertThat(Addressing.cidrs(base, base + 12)).containsExactly("198.18.0.0/29", "198.18.0.8/30");
        assertThat(Addressing.cidrs(base + 8, base + 4 * 29))
                .containsExactly("198.18.0.8/29", "198.18.0.16/28", "198.18.0.32/27", "198.18.0.64/27",
                        "198.18.0.96/28", "198.18.0.112/30");
        assertThat(Addressing.cidrs(0, 1L << 32)).containsExactly("0.0.0.0/0");
    }

    @Test
    void routesCoverEveryOtherLinkExactlyAndNeverTheUnroutedAddress() {
        int hops = 29;
        for (int node = 1; node < hops; node++) {
            List<String> routes = new java.util.ArrayList<>(Addressing.hostSide(node));
            routes.addAll(Addressing.destinationSide(node, hops));
            for (int link = 0; link < hops; link++) {
                long address = Addressing.LINK_BASE + 4L * link + 1;
                boolean connected = link == node - 1 || link == node;
                assertThat(covered(routes, address)).as("router %d, link %d", node, link).isEqualTo(!connected);
            }
            assertThat(covered(routes, Addressing.DESTINATION)).isTrue();
            assertThat(covered(routes, Addressing.UNROUTED)).as("router %d", node).isFalse();
        }
        assertThat(Addressing.hostSide(1)).isEmpty();
    }

    private static boolean covered(List<String> prefixes, long address) {
        return prefixes.stream().filter(p -> {
            String[] parts = p.split("/");
            long net = Long.parseLong(parts[0].split("\\.")[0]) << 24 | Long.parseLong(parts[0].split("\\.")[1]) << 16
                    | Long.parseLong(parts[0].split("\\.")[2]) << 8 | Long.parseLong(parts[0].split("\\.")[3]);
            int len = Integer.parseInt(parts[1]);
            long mask = len == 0 ? 0 : (0xFFFF_FFFFL << (32 - len)) & 0xFFFF_FFFFL;
            return (address & mask) == net;
        }).count() == 1;
    }

    @Test
    void badArgumentsFailAtOnce() {
        assertThatThrownBy(() -> Lab.chain(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hops must be 1..250, was 0");
        assertThatThrownBy(() -> Lab.chain(251)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lab.chain(4).silentHops(4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("silent hop 4 is not a router's TTL: routers are at 1..3");
        assertThatThrownBy(() -> Lab.chain(4).silentHops(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lab.chain(1).silentHops(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lab.chain(4).silentHops(1).silentHops(2)).isInstanceOf(IllegalStateException.class)
                .hasMessage("silentHops was already set");
        assertThatThrownBy(() -> Lab.chain(4).icmpRateLimit(java.time.Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lab.chain(4).hostPingGroupRange(-1, 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
