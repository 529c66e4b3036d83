package io.pathprobe.lab.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.lab.Addressing;
import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabBuilder;
import io.pathprobe.lab.LabProvisioner;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fabric shapes and their plan (nodes, interfaces, routes, expected topology), without building a lab. */
class EcmpFabricTest {

    private static ChainTopology topology(LabBuilder b) {
        return new ChainTopology("t", b.settings());
    }

    @Test
    void shapesTheirWidthsAndMeshing() {
        assertThat(EcmpFabric.diamond(4).widths()).containsExactly(4);
        assertThat(EcmpFabric.nested(2, 3).widths()).containsExactly(2, 1, 3);
        assertThat(EcmpFabric.asymmetric().widths()).containsExactly(2, 3);
        assertThat(EcmpFabric.meshed(2).widths()).containsExactly(2, 2);
        assertThat(EcmpFabric.meshed(2).meshed()).isTrue();
        assertThat(EcmpFabric.nested(4, 4).meshed()).as("a single meeting router is not a mesh").isFalse();
        assertThat(EcmpFabric.asymmetric().meshed()).isFalse();
        assertThat(EcmpFabric.diamond(16).meshed()).isFalse();
        assertThat(EcmpFabric.meshed(2).predecessors(1, 1)).containsExactly(0, 1);
    }

    @Test
    void badShapesAreRefused() {
        assertThatThrownBy(() -> EcmpFabric.diamond(17)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EcmpFabric.of(List.of())).isInstanceOf(IllegalArgumentException.class);
        // router 1 of layer 1 has no predecessor
        assertThatThrownBy(() -> EcmpFabric.of(List.of(List.of(List.of(0)), List.of(List.of(), List.of()))))
                .hasMessageContaining("no predecessor");
        assertThatThrownBy(() -> EcmpFabric.of(List.of(List.of(List.of(0))))).hasMessageContaining("last layer");
        assertThatThrownBy(() -> Lab.chain(4).fabric(2, EcmpFabric.meshed(2), EcmpHash.LINUX_L4))
                .as("the merging router would be the destination").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMeshedDiamondsPlan() {
        ChainTopology t = topology(Lab.meshedDiamond(2, EcmpHash.LINUX_L4).ipv6());
        // host, r1, r2b1 (node 2), r3b1 (node 3), r4, d (node 5), r2b2 (6), r3b2 (7)
        assertThat(t.nodeCount()).isEqualTo(8);
        assertThat(t.nodesAt(2)).containsExactly(2, 6);
        assertThat(t.nodesAt(3)).containsExactly(3, 7);
        assertThat(t.role(7)).isEqualTo("r3b2");
        assertThat(t.interfaceNames(2)).containsExactly("uplink", "down1", "down2");
        assertThat(t.interfaceNames(3)).containsExactly("up1", "up2", "downlink");
        assertThat(t.interfaceNames(4)).containsExactly("up1", "up2", "downlink");
        assertThat(Addressing.text(t.up(3))).as("answers from its link to its first predecessor").isEqualTo("198.18.5.2");
        assertThat(Addressing.text(t.up(7))).isEqualTo("198.18.5.6");
        assertThat(t.up6(7)).isEqualTo("2001:db8:3:2::2");
        assertThat(t.balances(1)).isTrue();
        assertThat(t.balances(2)).isTrue();
        assertThat(t.balances(3)).isFalse();
        // the cross link b -> c: the third link of transition 1, 198.18.5.8/30
        assertThat(t.links()).anySatisfy(l -> assertThat(l).containsExactly("6", "down1 index 41", "3", "up2 index 12"));
        assertThat(t.expectedLinks(false)).hasSize(2 + 4 + 2 + 1);
        assertThat(t.routes(2)).anySatisfy(r -> assertThat(r.gateways()).containsExactly("198.18.5.2", "198.18.5.6"));
        LabProvisioner p = new LabProvisioner(t, Lab.meshedDiamond(2, EcmpHash.LINUX_L4).ipv6().settings(), true);
        assertThat(p.nodeSetUp(2).script()).contains("fib_multipath_hash_seed").contains("fib_multipath_hash_policy");
        assertThat(p.nodeSetUp(1).script()).as("the branching router keeps the kernel's key")
                .doesNotContain("fib_multipath_hash_seed");
        assertThat(p.nftRules(3)).contains("ip6 saddr set 2001:db8:3:1::2");
    }

    @Test
    void aPerPacketDiamondMarksByNumgen() {
        LabBuilder b = Lab.diamond(4, EcmpHash.PER_PACKET);
        LabProvisioner p = new LabProvisioner(topology(b), b.settings(), true);
        assertThat(p.nftRules(1)).contains("meta mark set numgen random mod 4 offset 1");
        assertThat(topology(b).routes(1)).filteredOn(r -> r.table() != 0).hasSize(4);
    }
}
