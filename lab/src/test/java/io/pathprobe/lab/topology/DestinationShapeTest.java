package io.pathprobe.lab.topology;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.NatKind;
import org.junit.jupiter.api.Test;

/** The destination shapes the builder refuses, before anything is built (no root needed). */
class DestinationShapeTest {

    @Test
    void combinationsTheLabDoesNotModelAreRefused() {
        assertThatThrownBy(() -> Lab.chain(5).dnatDestination(5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a router's TTL");
        assertThatThrownBy(() -> Lab.chain(5).anycastSite(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lab.chain(5).anycastSite(2, 2)).as("no diamond")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no ECMP router 2 at TTL 2");
        assertThatThrownBy(() -> Lab.diamond(4, EcmpHash.FIRST_4_BYTES).anycastSite(2, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no ECMP router 5");
        assertThatThrownBy(() -> Lab.diamond(4, EcmpHash.FIRST_4_BYTES).anycastSite(2, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("branch 1");
        assertThatThrownBy(() -> Lab.diamond(4, EcmpHash.FIRST_4_BYTES).anycastSite(2).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name the branch");
        assertThatThrownBy(() -> Lab.diamond(4, EcmpHash.FIRST_4_BYTES).dnatDestination(2).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must come before the DNAT");
        assertThatThrownBy(() -> Lab.chain(5).ipv6().destinationAnswersFromOwnAddress().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IPv4");
        assertThatThrownBy(() -> Lab.chain(5).natAt(1, NatKind.MASQUERADE).dnatDestination(3).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IPv4 chains and diamonds only");
    }
}
