package io.pathprobe.core.internal.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressRangesTest {
    @Test
    void ulaAndLinkLocalAreLocalNetworks() throws Exception {
        assertThat(AddressRanges.isLocalNetwork(InetAddress.getByName("fd00::1"))).isTrue();
        assertThat(AddressRanges.isLocalNetwork(InetAddress.getByName("fe80::1"))).isTrue();
        assertThat(AddressRanges.isLocalNetwork(InetAddress.getByName("2001:db8::1"))).isFalse();
    }

    @Test
    void cgnatEndsAt100_127() throws Exception {
        assertThat(AddressRanges.isCgnat(InetAddress.getByName("100.127.255.255"))).isTrue();
        assertThat(AddressRanges.isCgnat(InetAddress.getByName("100.128.0.0"))).isFalse();
    }
}
