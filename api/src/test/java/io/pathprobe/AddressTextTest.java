package io.pathprobe;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.probe.AddressText;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
class AddressTextTest {

    /** RFC 5952 section 4 and its examples; the JDK writes every one of these in full. */
    @ParameterizedTest
    @CsvSource({
        "2001:db8:0:0:0:0:0:1, 2001:db8::1",
        "2001:0db8:0000:0000:0000:0000:0002:0001, 2001:db8::2:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
        "2001:DB8:AAAA:0:0:0:0:0, 2001:db8:aaaa::",
        "0:0:0:0:0:0:0:0, ::",
        "0:0:0:0:0:0:0:1, ::1",
        "fe80:0:0:0:0:0:0:0, fe80::",
        "198.18.0.1, 198.18.0.1",
    })
    void canonicalForm(String given, String canonical) throws Exception {
        assertThat(AddressText.of(InetAddress.getByName(given))).isEqualTo(canonical);
    }

    /** As a URL's host or before a port, IPv6 is bracketed (RFC 3986 3.2.2), IPv4 is not. */
    @Test
    void hostAndPortBracketIpv6Only() throws Exception {
        assertThat(AddressText.host(InetAddress.getByName("198.18.0.53"))).isEqualTo("198.18.0.53");
        assertThat(AddressText.host(InetAddress.getByName("2001:db8:0:0:0:0:0:53"))).isEqualTo("[2001:db8::53]");
        assertThat(AddressText.of(new InetSocketAddress(InetAddress.getByName("198.18.0.53"), 3478)))
                .isEqualTo("198.18.0.53:3478");
        assertThat(AddressText.of(new InetSocketAddress(InetAddress.getByName("2001:db8::53"), 3478)))
                .isEqualTo("[2001:db8::53]:3478");
        assertThat(AddressText.of(InetSocketAddress.createUnresolved("stun.lab", 3478))).isEqualTo("stun.lab:3478");
        assertThat(AddressText.of(InetSocketAddress.createUnresolved("2001:db8::53", 3478)))
                .isEqualTo("[2001:db8::53]:3478");
    }
}
