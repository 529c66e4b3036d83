package io.pathprobe.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.lab.middlebox.Middlebox;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Middleboxes ({@link LabBuilder#rewriteDscpAt}, {@link LabBuilder#clearEcnAt}, {@link LabBuilder#setTtlAt},
 * {@link LabBuilder#clampMssAt}) proved with real packets: sent from the lab's host with a known traffic class,
 * TTL and MSS (perl's socket options), captured as each router receives them and as the routers quote them.
 * The routers keep the kernel's ICMP rate limits: no router is asked for more than its burst of 6 errors.
 */
@LabTest
@Timeout(180) // liveness only
class MiddleboxLabTest {
    private static final int UDP_PORT = 33434;
    private static final int TCP_PORT = 9;
    /** What the host sends: DSCP 46 (EF), ECN ECT(0). */
    private static final int SENT_TC = 46 << 2 | 2;
    /**
     * Sends one UDP datagram or TCP SYN (non-blocking connect, then exit): args family (4/6), udp|tcp,
     * destination, port, TTL, traffic class, MSS (0: the kernel's).
     */
    private static final String SEND = """
            use Socket qw(:all); use Fcntl;
            my ($f, $p, $d, $port, $ttl, $tc, $mss) = @ARGV;
            socket(my $s, $f == 6 ? AF_INET6 : AF_INET, $p eq 'tcp' ? SOCK_STREAM : SOCK_DGRAM, 0) or die "socket: $!";
            if ($f == 6) {
                setsockopt($s, IPPROTO_IPV6, 16, pack('i', $ttl)) or die "hops: $!";
                setsockopt($s, IPPROTO_IPV6, 67, pack('i', $tc)) or die "tclass: $!";
            } else {
                setsockopt($s, IPPROTO_IP, 2, pack('i', $ttl)) or die "ttl: $!";
                setsockopt($s, IPPROTO_IP, 1, pack('i', $tc)) or die "tos: $!";
            }
            setsockopt($s, IPPROTO_TCP, 2, pack('i', $mss)) or die "mss: $!" if $mss;
            my $sa = $f == 6 ? pack_sockaddr_in6($port, inet_pton(AF_INET6, $d))
                    : pack_sockaddr_in($port, inet_pton(AF_INET, $d));
            if ($p eq 'tcp') {
                fcntl($s, F_SETFL, O_NONBLOCK) or die "fcntl: $!";
                connect($s, $sa) or $!{EINPROGRESS} or die "connect: $!";
            } else {
                send($s, "pathprobe", 0, $sa) or die "send: $!";
            }
            """;

    private static void send(Lab lab, int family, String protocol, int ttl, int tc, int mss) {
        InetAddress to = family == 6 ? lab.destination6() : lab.destination();
        Processes.output(lab.command(List.of("perl", "-e", SEND, String.valueOf(family), protocol,
                to.getHostAddress(), String.valueOf(protocol.equals("tcp") ? TCP_PORT : UDP_PORT),
                String.valueOf(ttl), String.valueOf(tc), String.valueOf(mss))));
    }

    /** The one packet toward the destination of this protocol that router (or destination) {@code ttl} received. */
    private static CapturedPacket received(Lab lab, int family, int ttl, String protocol, PacketCapture.Action send)
            throws Exception {
        InetAddress to = family == 6 ? lab.destination6() : lab.destination();
        PacketCapture.Capture c = PacketCapture.during(lab, ttl, "uplink", protocol, send);
        List<CapturedPacket> toward = c.packets().stream().filter(p -> p.destination().equals(to))
                .filter(p -> !protocol.equals("tcp") || (p.tcpFlags().orElse(0) & 0x02) != 0).toList();
        assertThat(toward).as("%s toward the destination at TTL %d: %s", protocol, ttl, c.packets()).hasSize(1);
        return toward.get(0);
    }

    /** The one ICMP error the host received while {@code send} ran. */
    private static CapturedPacket answer(Lab lab, PacketCapture.Action send) throws Exception {
        PacketCapture.Capture c = PacketCapture.during(lab, 0, lab.hostInterface(), "icmp or icmp6", send);
        List<CapturedPacket> errors = c.packets().stream().filter(p -> p.quoted().isPresent()).toList();
        assertThat(errors).as("ICMP errors: %s", c.packets()).hasSize(1);
        return errors.get(0);
    }

    /** DSCP re-marked to 10 at router 1, ECN cleared at 2, MSS clamped to 1200 at 3, TTL set to 200 at 4. */
    private static Lab fourMiddleboxes(int family) {
        LabBuilder b = Lab.chain(6).rewriteDscpAt(1, 10).clearEcnAt(2).clampMssAt(3, 1200).setTtlAt(4, 200);
        return (family == 6 ? b.ipv6() : b).build();
    }

    @ParameterizedTest(name = "IPv{0}")
    @ValueSource(ints = {4, 6})
    void eachRouterReceivesWhatTheMiddleboxesBeforeItRewrote(int family) throws Exception {
        try (Lab lab = fourMiddleboxes(family)) {
            assertThat(lab.middleboxes()).containsExactly(new Middlebox(Middlebox.Kind.DSCP, 1, 10),
                    new Middlebox(Middlebox.Kind.CLEAR_ECN, 2, 0), new Middlebox(Middlebox.Kind.MSS, 3, 1200),
                    new Middlebox(Middlebox.Kind.TTL, 4, 200));
            int sentMss = 0;
            for (int ttl = 1; ttl <= 6; ttl++) {
                CapturedPacket udp = received(lab, family, ttl, "udp", () -> send(lab, family, "udp", 64, SENT_TC, 0));
                CapturedPacket syn = received(lab, family, ttl, "tcp", () -> send(lab, family, "tcp", 64, SENT_TC, 0));
                // a SYN announcing less than the clamp passes every middlebox with its MSS
                CapturedPacket small = received(lab, family, ttl, "tcp",
                        () -> send(lab, family, "tcp", 64, SENT_TC, 1000));
                int tc = ttl == 1 ? SENT_TC : ttl == 2 ? 10 << 2 | 2 : 10 << 2;
                int hopLimit = ttl <= 4 ? 64 - (ttl - 1) : ttl == 5 ? 200 : 199;
                for (CapturedPacket p : List.of(udp, syn, small)) {
                    assertThat(p.ipVersion()).isEqualTo(family);
                    // the host's TCP sends no ECN codepoint in a SYN (Linux clears a socket's ECN bits there)
                    assertThat(p.trafficClass()).as("traffic class at TTL %d: %s", ttl, p)
                            .isEqualTo(p == udp ? tc : tc & ~3);
                    assertThat(p.ttl()).as("TTL at TTL %d: %s", ttl, p).isEqualTo(hopLimit);
                }
                if (ttl == 1) {
                    sentMss = syn.tcpMss().orElseThrow();
                    assertThat(sentMss).isGreaterThan(1200);
                }
                assertThat(syn.tcpMss()).as("MSS at TTL %d", ttl).hasValue(ttl <= 3 ? sentMss : 1200);
                assertThat(small.tcpMss()).as("MSS at TTL %d", ttl).hasValue(1000);
                assertThat(syn.transportChecksumOk()).as("TCP checksum at TTL %d", ttl).contains(true);
            }
        }
    }

    @ParameterizedTest(name = "IPv{0}")
    @ValueSource(ints = {4, 6})
    void aProbeExpiringAtAMiddleboxIsQuotedUnchangedAndTheNextRouterQuotesTheRewrite(int family) throws Exception {
        try (Lab lab = fourMiddleboxes(family)) {
            int[] quotedTc = {SENT_TC, 10 << 2 | 2, 10 << 2, 10 << 2};
            for (int ttl = 1; ttl <= 4; ttl++) {
                int t = ttl;
                CapturedPacket te = answer(lab, () -> send(lab, family, "udp", t, SENT_TC, 0));
                assertThat(te.source()).isEqualTo(expected(lab, family, ttl));
                assertThat(te.icmpType()).hasValue(family == 6 ? 3 : 11);
                CapturedPacket quote = te.quoted().orElseThrow();
                assertThat(quote.trafficClass()).as("quoted by router %d: %s", ttl, quote).isEqualTo(quotedTc[ttl - 1]);
                assertThat(quote.ttl()).isEqualTo(1);
            }
            // MSS clamped at 3: router 3 quotes the SYN as sent, router 4 the clamped one
            CapturedPacket at3 = answer(lab, () -> send(lab, family, "tcp", 3, SENT_TC, 0)).quoted().orElseThrow();
            CapturedPacket at4 = answer(lab, () -> send(lab, family, "tcp", 4, SENT_TC, 0)).quoted().orElseThrow();
            assertThat(at3.tcpMss().orElseThrow()).isGreaterThan(1200);
            assertThat(at4.tcpMss()).hasValue(1200);
            // TTL set to 200 at 4: a probe sent with TTL 5 no longer expires at router 5, the destination answers
            // (port unreachable) and quotes the TTL router 5 left it
            CapturedPacket beyond = answer(lab, () -> send(lab, family, "udp", 5, SENT_TC, 0));
            assertThat(beyond.source()).isEqualTo(family == 6 ? lab.destination6() : lab.destination());
            assertThat(beyond.icmpType()).hasValue(family == 6 ? 1 : 3);
            assertThat(beyond.quoted().orElseThrow().ttl()).isEqualTo(199);
        }
    }

    private static InetAddress expected(Lab lab, int family, int ttl) {
        return (family == 6 ? lab.expectedResponder6(ttl) : lab.expectedResponder(ttl)).orElseThrow();
    }

    /**
     * The acceptance lab: a 10-router chain with one middlebox per check, a masquerade NAT included.
     * What the destination receives carries every rewrite.
     */
    @Test
    void aTenRouterChainWithOneMiddleboxPerCheck() throws Exception {
        try (Lab lab = Lab.chain(11).ipv6().rewriteDscpAt(2, 0).clearEcnAt(4).clampMssAt(6, 1200)
                .natAt(8, NatKind.MASQUERADE).setTtlAt(9, 64).build()) {
            assertThat(lab.hops()).isEqualTo(11);
            assertThat(lab.middleboxes()).extracting(Middlebox::hop).containsExactly(2, 4, 6, 9);
            assertThat(lab.nat().orElseThrow().hop()).isEqualTo(8);
            assertThat(lab.toString()).contains("DSCP set to 0 at router 2", "ECN cleared at router 4",
                    "MSS clamped to 1200 at router 6", "TTL set to 64 at router 9");
            for (int family : List.of(4, 6)) {
                CapturedPacket syn = received(lab, family, 11, "tcp", () -> send(lab, family, "tcp", 30, SENT_TC, 0));
                assertThat(syn.trafficClass()).as("%s", syn).isZero();
                assertThat(syn.tcpMss()).hasValue(1200);
                assertThat(syn.ttl()).isEqualTo(63); // 64 from router 9, router 10 decrements
                assertThat(syn.source()).isEqualTo(family == 6 ? lab.hostAddress6()
                        : lab.nat().orElseThrow().outsideAddress());
            }
        }
    }

    @Test
    void everyRewriteAtOneRouter() throws Exception {
        try (Lab lab = Lab.chain(3).ipv6().rewriteDscpAt(1, 46).clearEcnAt(1).setTtlAt(1, 9).clampMssAt(1, 1000)
                .build()) {
            for (int family : List.of(4, 6)) {
                CapturedPacket udp = received(lab, family, 2, "udp",
                        () -> send(lab, family, "udp", 64, 10 << 2 | 3, 0));
                CapturedPacket syn = received(lab, family, 2, "tcp", () -> send(lab, family, "tcp", 64, 10 << 2, 0));
                assertThat(udp.trafficClass()).as("%s", udp).isEqualTo(46 << 2);
                assertThat(udp.ttl()).isEqualTo(9);
                assertThat(syn.trafficClass()).as("%s", syn).isEqualTo(46 << 2);
                assertThat(syn.ttl()).isEqualTo(9);
                assertThat(syn.tcpMss()).hasValue(1000);
            }
        }
    }

    @Test
    void everyRouterOfADiamondsTtlRewrites() throws Exception {
        try (Lab lab = Lab.diamond(2, EcmpHash.LINUX_L4).rewriteDscpAt(2, 8).build()) {
            for (String ns : lab.namespaces(2)) {
                assertThat(Processes.output(lab.command(List.of("ip", "netns", "exec", ns, "nft", "list", "table",
                        "inet", Middlebox.TABLE)))).contains("ip dscp set cs1");
            }
            CapturedPacket udp = received(lab, 4, lab.hops(), "udp", () -> send(lab, 4, "udp", 64, SENT_TC, 0));
            assertThat(udp.trafficClass()).isEqualTo(8 << 2 | 2);
        }
    }

    @Test
    void badMiddleboxesAreRefusedAndLeaveNothing() {
        List<String> before = Processes.ourNamespaces();
        List<Supplier<LabBuilder>> bad = new ArrayList<>(List.of(
                () -> Lab.chain(5).rewriteDscpAt(2, -1),
                () -> Lab.chain(5).rewriteDscpAt(2, 64),
                () -> Lab.chain(5).rewriteDscpAt(0, 10),
                () -> Lab.chain(5).clearEcnAt(5),
                () -> Lab.chain(5).setTtlAt(2, 0),
                () -> Lab.chain(5).setTtlAt(2, 256),
                () -> Lab.chain(5).clampMssAt(2, 0),
                () -> Lab.chain(5).clampMssAt(2, 65536),
                () -> Lab.chain(5).clampMssAt(-1, 1200)));
        for (Supplier<LabBuilder> b : bad) {
            assertThatThrownBy(b::get).isInstanceOf(IllegalArgumentException.class).hasMessageMatching(
                    "(DSCP must be 0\\.\\.63|the TTL a middlebox sets must be 1\\.\\.255"
                            + "|the MSS a middlebox clamps to must be 1\\.\\.65535"
                            + "|\\w+ hop -?\\d+ is not a router's TTL)"
                            + ".*");
        }
        assertThatThrownBy(() -> Lab.chain(5).rewriteDscpAt(1, 0).rewriteDscpAt(3, 8))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("rewriteDscpAt");
        assertThatThrownBy(() -> Lab.chain(5).setTtlAt(1, 9).setTtlAt(1, 9))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("setTtlAt");
        assertThatThrownBy(() -> Lab.home().clearEcnAt(1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no home lab");
        assertThatThrownBy(() -> new Middlebox(Middlebox.Kind.CLEAR_ECN, 1, 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Processes.ourNamespaces()).isEqualTo(before);
    }
}
