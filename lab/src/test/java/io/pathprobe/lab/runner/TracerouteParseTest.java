package io.pathprobe.lab.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TracerouteParseTest {

    private static Optional<InetAddress> ip(String literal) {
        try {
            return Optional.of(InetAddress.getByName(literal));
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void silentHopsAndTheDestination() {
        Traceroute.Result r = Traceroute.parse("""
                traceroute to 198.19.0.1 (198.19.0.1), 30 hops max, 60 byte packets
                 1  198.18.0.2  0.543 ms  0.407 ms  0.419 ms
                 2  * * *
                 3  198.19.0.1  0.089 ms  0.042 ms  0.041 ms
                """);
        assertThat(r.path()).containsExactly(ip("198.18.0.2"), Optional.empty(), ip("198.19.0.1"));
        assertThat(r.reached(ip("198.19.0.1").orElseThrow())).isTrue();
        assertThat(r.hop(1).orElseThrow().probes()).hasSize(3).allMatch(Traceroute.Probe::answered);
        assertThat(r.hop(1).orElseThrow().probes().get(0).rtt()).contains(Duration.ofNanos(543_000));
        assertThat(r.hop(2).orElseThrow().silent()).isTrue();
        assertThat(r.hop(2).orElseThrow().probes()).containsExactly(Traceroute.Probe.LOST, Traceroute.Probe.LOST,
                Traceroute.Probe.LOST);
    }

    @Test
    void severalAddressesOnOneLineAndPartialAnswers() {
        Traceroute.Result r = Traceroute.parse("""
                 7  10.0.0.1  1.1 ms 10.0.0.2  1.2 ms *
                 8  * 10.0.1.1  2.5 ms  2.4 ms
                """);
        Traceroute.Hop seven = r.hop(7).orElseThrow();
        assertThat(seven.addresses()).containsExactly(ip("10.0.0.1").orElseThrow(), ip("10.0.0.2").orElseThrow());
        assertThat(seven.probes()).extracting(Traceroute.Probe::address)
                .containsExactly(ip("10.0.0.1"), ip("10.0.0.2"), Optional.empty());
        Traceroute.Hop eight = r.hop(8).orElseThrow();
        assertThat(eight.address()).isEqualTo(ip("10.0.1.1"));
        assertThat(eight.probes()).extracting(Traceroute.Probe::address)
                .containsExactly(Optional.empty(), ip("10.0.1.1"), ip("10.0.1.1"));
        // TTLs 1..6 were not printed (-f 7): empty
        assertThat(r.path()).hasSize(8).startsWith(Optional.empty()).endsWith(ip("10.0.1.1"));
    }

    @Test
    void unreachableMarkers() {
        Traceroute.Result r = Traceroute.parse("""
                traceroute to 198.18.255.1 (198.18.255.1), 30 hops max, 60 byte packets
                 1  198.18.0.2  0.072 ms !N  0.007 ms !N *
                 2  192.0.2.9  3.0 ms !H  3.1 ms !X  3.2 ms !13
                """);
        Traceroute.Hop one = r.hop(1).orElseThrow();
        assertThat(one.address()).isEqualTo(ip("198.18.0.2"));
        assertThat(one.annotations()).containsExactly("!N", "!N");
        assertThat(one.probes().get(2)).isEqualTo(Traceroute.Probe.LOST);
        assertThat(r.hop(2).orElseThrow().annotations()).containsExactly("!H", "!X", "!13");
    }

    @Test
    void namesExtensionsAsNumbersAndIpv6() {
        Traceroute.Result r = Traceroute.parse("""
                 1  gw.example (192.0.2.1)  0.5 ms  0.4 ms  0.4 ms
                 2  192.0.2.5 [AS64500] <MPLS:L=1600,E=0,S=1,T=1>  1.0 ms  1.1 ms  1.2 ms
                 3  2001:db8::1  2.0 ms  2001:db8::2  2.1 ms *
                 4  198.51.100.1  0.5 ms '-2'  0.4 ms '-2'  0.4 ms '-2'
                """);
        assertThat(r.path()).containsExactly(ip("192.0.2.1"), ip("192.0.2.5"), ip("2001:db8::1"), ip("198.51.100.1"));
        assertThat(r.hop(2).orElseThrow().probes()).allMatch(Traceroute.Probe::answered).hasSize(3);
        assertThat(r.hop(3).orElseThrow().addresses()).hasSize(2);
        assertThat(r.hop(4).orElseThrow().probes()).hasSize(3);
    }

    @Test
    void garbageIsSkippedNotGuessed() {
        Traceroute.Result r = Traceroute.parse("""
                traceroute: something odd
                 1  999.1.1.1  0.5 ms
                not a hop line
                """);
        assertThat(r.hops()).hasSize(1);
        assertThat(r.hop(1).orElseThrow().probes()).containsExactly(
                new Traceroute.Probe(Optional.empty(), Optional.of(Duration.ofNanos(500_000)), Optional.empty()));
        assertThat(Traceroute.parse("").path()).isEmpty();
    }
}
