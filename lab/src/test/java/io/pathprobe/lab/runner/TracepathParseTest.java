package io.pathprobe.lab.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.Lab;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * {@link Tracepath#parse} on iputils 20221126 output captured in the lab (IPv4, IPv6 with the RTT on the
 * LOCALHOST line, a run that never reached the destination), and the path MTU builder options' checks.
 * No root needed.
 */
class TracepathParseTest {
    private static final String IPV4 = """
             1?: [LOCALHOST]                      pmtu 1500
             1:  198.18.0.2                                            0.064ms\s
             1:  198.18.0.2                                            0.005ms\s
             2:  198.18.0.6                                            0.019ms\s
             3:  198.18.0.10                                           0.019ms\s
             4:  198.18.0.10                                           0.015ms pmtu 1280
             4:  198.18.0.14                                           0.023ms\s
             5:  198.18.0.18                                           0.021ms\s
             6:  198.19.0.1                                            0.022ms reached
                 Resume: pmtu 1280 hops 6 back 6\s
            """;

    private static final String IPV6 = """
             1?: [LOCALHOST]                        0.018ms pmtu 1500
             1:  2001:db8:1::2                                         0.072ms\s
             4:  2001:db8:1:2::2                                       0.013ms pmtu 1280
             4:  2001:db8:1:3::2                                       0.034ms\s
             6:  2001:db8:100::1                                       0.035ms reached
                 Resume: pmtu 1280 hops 6 back 6\s
            """;

    private static final String TOO_MANY = """
             1?: [LOCALHOST]                      pmtu 1500
             1:  198.18.0.2                                            0.128ms\s
             2:  no reply
                 Too many hops: pmtu 1500
                 Resume: pmtu 1500\s
            """;

    @Test
    void theFirstLinkTheDropAndTheResumeAreRead() {
        Tracepath t = Tracepath.parse(IPV4);
        assertThat(t.localMtu()).hasValue(1500);
        assertThat(t.drops()).containsExactly(new Tracepath.Line(4, "198.18.0.10", OptionalInt.of(1280), false));
        assertThat(t.lines()).hasSize(8);
        assertThat(t.reachedAt()).contains(6);
        assertThat(t.resumeMtu()).hasValue(1280);
        assertThat(t.resumeHops()).isEqualTo(6);
    }

    @Test
    void ipv6PrintsAnRttOnTheLocalhostLine() {
        Tracepath t = Tracepath.parse(IPV6);
        assertThat(t.localMtu()).hasValue(1500);
        assertThat(t.drops()).extracting(Tracepath.Line::address).containsExactly("2001:db8:1:2::2");
        assertThat(t.reachedAt()).contains(6);
    }

    @Test
    void aRunThatNeverArrives() {
        Tracepath t = Tracepath.parse(TOO_MANY);
        assertThat(t.reachedAt()).isEmpty();
        assertThat(t.lines()).extracting(Tracepath.Line::address).containsExactly("198.18.0.2", "no reply");
        assertThat(t.resumeMtu()).hasValue(1500);
        assertThat(t.resumeHops()).isEqualTo(-1);
    }

    @Test
    void thePathMtuOptionsAreChecked() {
        assertThatThrownBy(() -> Lab.chain(6).linkMtu(6, 1280)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a router");
        assertThatThrownBy(() -> Lab.chain(6).linkMtu(3, 1000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1280..65535");
        assertThatThrownBy(() -> Lab.chain(6).mtuBlackHole(0, 1400)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lab.chain(6).mtuBlackHole(3, 40)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("68..65535");
        assertThatThrownBy(() -> Lab.diamond(2, EcmpHash.LINUX_L4).linkMtu(1, 1400).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plain chains");
    }
}
