package io.pathprobe.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lab demo's options (no lab is built: parsing and the address text only). */
class LabDemoTest {

    @Test
    void optionsAsTheCommandLineTookThem() {
        LabDemo.Demo d = new LabDemo.Demo();
        d.shape.parse(List.of("--shape", "diamond", "--width=8", "--hash", "first4", "--ipv6", "--silent", "3, 7",
                "--nat", "1", "--nat-kind=quote", "--json"), d);
        assertThat(d.shape.shape).isEqualTo("diamond");
        assertThat(d.shape.diamond()).isTrue();
        assertThat(d.shape.width).isEqualTo(8);
        assertThat(d.shape.hash).isEqualTo("first4");
        assertThat(d.shape.ipv6).isTrue();
        assertThat(d.shape.silent).containsExactly(3, 7);
        assertThat(d.shape.nat).isEqualTo(1);
        assertThat(d.shape.natKind).isEqualTo("quote");
        assertThat(d.json).isTrue();
        assertThat(d.traceroute).isFalse();
        assertThat(d.shape.hops()).isEqualTo(4); // a diamond's default
    }

    @Test
    void defaultsAreTheChain() {
        LabDemo.Shape s = new LabDemo.Shape();
        s.parse(List.of(), null);
        assertThat(s.diamond()).isFalse();
        assertThat(s.home()).isFalse();
        assertThat(s.hops()).isEqualTo(29);
        assertThat(s.silent).containsExactly(5, 12, 20);
    }

    @Test
    void usageErrorsAreTyped() throws Exception {
        assertThatThrownBy(() -> new LabDemo.Shape().parse(List.of("--bogus"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--bogus");
        assertThatThrownBy(() -> new LabDemo.Shape().parse(List.of("--hops"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> new LabDemo.Shape().parse(List.of("--width", "x"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a number");
        assertThatThrownBy(() -> new LabDemo.Shape().parse(List.of("--json"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("demo only");
        assertThatThrownBy(() -> LabDemo.run(new String[] {"sideways"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("demo or up");
        assertThat(LabDemo.run(new String[] {"--help"})).isZero();
    }

    @Test
    void ipv6AddressesAreShortened() throws Exception {
        assertThat(LabDemo.text(InetAddress.getByName("2001:db8:0:0:0:0:0:1"))).isEqualTo("2001:db8::1");
        assertThat(LabDemo.text(InetAddress.getByName("2001:db8:100:0:0:0:0:1"))).isEqualTo("2001:db8:100::1");
        assertThat(LabDemo.text(InetAddress.getByName("::1"))).isEqualTo("::1");
        assertThat(LabDemo.text(InetAddress.getByName("2001:db8:1:2:3:4:5:6"))).isEqualTo("2001:db8:1:2:3:4:5:6");
        assertThat(LabDemo.text(InetAddress.getByName("198.19.0.1"))).isEqualTo("198.19.0.1");
    }
}
