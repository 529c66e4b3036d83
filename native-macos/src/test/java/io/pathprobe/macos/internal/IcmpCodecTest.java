package io.pathprobe.macos.internal;

import static io.pathprobe.macos.internal.Bytes.concat;
import static io.pathprobe.macos.internal.Bytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.nativecommon.IcmpEchoFormat;
import io.pathprobe.nativecommon.InternetChecksum;
import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ResponseKind;
import java.net.InetAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Parsing what macOS ICMP datagram sockets read, on recorded bytes: IPv4 datagrams with the header
 * Darwin hands over (ip_len in host order, without the header's length), ICMP errors quoting the probe
 * (quoted ip_len possibly in host order, RFC 4884 padding and extensions), ICMPv6 without header.
 */
class IcmpCodecTest {
    /** An echo request as this transport writes it: id 0x1234, seq 0x0102, cookie 1122334455667788, 40 bytes. */
    private static final byte[] PROBE = hex("08 00 | 0000 | 1234 | 0102 | 11 22 33 44 55 66 77 88 | 00 00"
            + "41 42 43 44 45 46 47 48 49 4a 4b 4c 4d 4e 4f 50 51 52 53 54 55 56");
    private static final long COOKIE = 0x1122334455667788L;

    static {
        IcmpCodec.setProbe(PROBE, IcmpCodec.baseSum(PROBE), 0x0102, 7, true);
    }

    @Test
    void anEchoReplyIsReadPastDarwinsIpv4Header() throws Exception {
        byte[] reply = PROBE.clone();
        reply[0] = 0;
        IcmpCodec.putShort(reply, 2, 0);
        IcmpCodec.putShort(reply, 2, InternetChecksum.checksum(reply, 0, reply.length, 0));
        // IPv4 header as a Darwin raw socket delivers it: ip_len = 40 (the ICMP bytes only) in host order
        // (28 00), TTL 56, protocol 1, from 198.18.0.9 to 198.18.0.100
        byte[] datagram = concat(hex("45 00 28 00 | 00 00 00 00 | 38 01 00 00 | c6 12 00 09 | c6 12 00 64"), reply);
        IcmpCodec.Message m = IcmpCodec.parseV4(datagram, datagram.length).message();
        assertThat(m).isNotNull();
        assertThat(m.kind()).isEqualTo(ResponseKind.ECHO_REPLY);
        assertThat(m.responder()).isEqualTo(InetAddress.getByName("198.18.0.9"));
        assertThat(m.replyTtl()).isEqualTo(56);
        assertThat(m.identifier()).isEqualTo(0x1234);
        assertThat(m.sequence()).isEqualTo(0x0102);
        assertThat(m.cookie()).isEqualTo(COOKIE);
        assertThat(m.icmpLength()).isEqualTo(40);
        assertThat(m.quotedDestination()).isNull();
        assertThat(m.quotedTtl()).isEqualTo(ProbeResponse.UNKNOWN);
    }

    @Test
    void anIpv4HeaderWithOptionsIsSkippedByItsIhl() {
        byte[] reply = PROBE.clone();
        reply[0] = 0;
        // IHL 6: 24 bytes, one 4-byte option (NOP NOP NOP EOL)
        byte[] datagram = concat(hex("46 00 28 00 00 00 00 00 40 01 00 00 c6 12 00 09 c6 12 00 64 | 01 01 01 00"), reply);
        IcmpCodec.Message m = IcmpCodec.parseV4(datagram, datagram.length).message();
        assertThat(m).isNotNull();
        assertThat(m.sequence()).isEqualTo(0x0102);
        assertThat(m.replyTtl()).isEqualTo(64);
    }

    /**
     * A Time Exceeded from a router that quotes the whole probe, RFC 4884 style: length field 32
     * (128 bytes of original datagram, zero-padded), then an extension structure with one MPLS label
     * stack entry (label 16005, S, TTL 1). The quoted IPv4 header's ip_len (60) is in host order
     * (3c 00), as BSD's icmp_input leaves it.
     */
    @Test
    void aTimeExceededQuotingTheWholeProbeWithExtensionsIsMatchedBack() throws Exception {
        byte[] quotedHeader = hex("45 00 3c 00 | ab cd 00 00 | 01 01 00 00 | c6 12 00 64 | c6 12 00 09");
        byte[] original = Arrays.copyOf(concat(quotedHeader, PROBE), 128);
        byte[] extension = hex("20 00 00 00 | 00 08 01 01 | 03 e8 51 01");
        IcmpCodec.putShort(extension, 2, InternetChecksum.checksum(extension, 0, extension.length, 0));
        byte[] icmp = concat(hex("0b 00 00 00 | 00 20 00 00"), original, extension);
        byte[] datagram = concat(hex("45 c0 ac 00 | 00 00 00 00 | fd 01 00 00 | c6 12 00 01 | c6 12 00 64"), icmp);

        IcmpCodec.Message m = IcmpCodec.parseV4(datagram, datagram.length).message();
        assertThat(m).isNotNull();
        assertThat(m.kind()).isEqualTo(ResponseKind.TIME_EXCEEDED);
        assertThat(m.type()).isEqualTo(11);
        assertThat(m.responder()).isEqualTo(InetAddress.getByName("198.18.0.1"));
        assertThat(m.replyTtl()).isEqualTo(253);
        assertThat(m.quotedDestination()).isEqualTo(InetAddress.getByName("198.18.0.9"));
        assertThat(m.quotedTtl()).isEqualTo(1);
        assertThat(m.quotedIpId()).isEqualTo(0xabcd);
        assertThat(m.quotedChecksum()).isEqualTo(IcmpEchoFormat.flowChecksum(7));
        assertThat(m.identifier()).isEqualTo(0x1234);
        assertThat(m.sequence()).isEqualTo(0x0102);
        assertThat(m.cookie()).isEqualTo(COOKIE);
        assertThat(m.icmpLength()).isEqualTo(8 + 128 + 12);
        assertThat(m.extensions()).hasSize(1);
        assertThat(m.extensions().get(0).mplsLabels()).singleElement().satisfies(l -> {
            assertThat(l.label()).isEqualTo(16005);
            assertThat(l.bottomOfStack()).isTrue();
            assertThat(l.ttl()).isEqualTo(1);
        });
    }

    @Test
    void theQuotedTotalLengthIsReadInEitherByteOrderAndNeverBeyondTheQuote() {
        byte[] network = hex("45 00 00 3c");
        byte[] host = hex("45 00 3c 00");
        assertThat(IcmpCodec.quotedTotalLength(network, 0, 20, 128)).isEqualTo(60);
        assertThat(IcmpCodec.quotedTotalLength(host, 0, 20, 128)).isEqualTo(60);
        assertThat(IcmpCodec.quotedTotalLength(network, 0, 20, 28)).as("an 8-byte quote: nothing to trim").isZero();
    }

    @Test
    void aRouterQuotingOnlyEightBytesStillNamesTheProbeButNotItsCookie() {
        byte[] quotedHeader = hex("45 00 00 3c 00 01 00 00 01 01 00 00 c6 12 00 64 c6 12 00 09");
        byte[] icmp = concat(hex("0b 00 00 00 00 00 00 00"), quotedHeader, Arrays.copyOf(PROBE, 8));
        byte[] datagram = concat(hex("45 00 24 00 00 00 00 00 3e 01 00 00 c6 12 00 02 c6 12 00 64"), icmp);
        IcmpCodec.Message m = IcmpCodec.parseV4(datagram, datagram.length).message();
        assertThat(m).isNotNull();
        assertThat(m.sequence()).isEqualTo(0x0102);
        assertThat(m.identifier()).isEqualTo(0x1234);
        assertThat(m.cookie()).as("not quoted").isZero();
        assertThat(m.extensions()).isEmpty();
    }

    @Test
    void aPortUnreachableQuotingAUdpProbeNamesItsPortsAndChecksumAndATcpQuoteIsUnrelated() throws Exception {
        // a UDP probe from port 0xc001 to 33434 (0x829a), length 24, checksum 0x0065 (probe 100), payload:
        // compensation 12 34, cookie 1122334455667788, filler
        byte[] udp = hex("c0 01 82 9a 00 18 00 65 | 12 34 | 11 22 33 44 55 66 77 88 | 61 62 63 64 65 66");
        byte[] quotedHeader = hex("45 00 00 2c 00 01 00 00 01 11 00 00 c6 12 00 64 c6 12 00 09");
        byte[] icmp = concat(hex("03 03 00 00 00 00 00 00"), quotedHeader, udp);
        byte[] datagram = concat(hex("45 00 3c 00 00 00 00 00 40 01 00 00 c6 12 00 09 c6 12 00 64"), icmp);
        IcmpCodec.Message m = IcmpCodec.parseV4(datagram, datagram.length).message();
        assertThat(m).isNotNull();
        assertThat(m.protocol()).isEqualTo(17);
        assertThat(m.kind()).isEqualTo(ResponseKind.DESTINATION_UNREACHABLE);
        assertThat(m.code()).isEqualTo(3);
        assertThat(m.identifier()).as("quoted source port").isEqualTo(0xc001);
        assertThat(m.sequence()).as("quoted destination port").isEqualTo(33434);
        assertThat(m.quotedChecksum()).isEqualTo(0x65);
        assertThat(m.cookie()).isEqualTo(COOKIE);
        assertThat(m.quotedDestination()).isEqualTo(InetAddress.getByName("198.18.0.9"));
        // someone's TCP SYN (protocol 6): nothing this transport sends
        byte[] tcpHeader = hex("45 00 00 3c 00 01 00 00 01 06 00 00 c6 12 00 64 c6 12 00 09");
        byte[] tcp = concat(hex("45 00 24 00 00 00 00 00 40 01 00 00 c6 12 00 01 c6 12 00 64"),
                hex("0b 00 00 00 00 00 00 00"), tcpHeader, hex("c0 01 00 50 00 00 00 01"));
        assertThat(IcmpCodec.parseV4(tcp, tcp.length).drop()).isEqualTo(DropReason.UNRELATED);
    }

    @Test
    void otherMessagesAndShortOnesAreMalformed() {
        byte[] redirect = concat(hex("45 00 24 00 00 00 00 00 40 01 00 00 c6 12 00 01 c6 12 00 64"),
                hex("05 01 00 00 c6 12 00 02"), hex("45 00 00 3c 00 01 00 00 01 01 00 00 c6 12 00 64 c6 12 00 09"),
                Arrays.copyOf(PROBE, 8));
        assertThat(IcmpCodec.parseV4(redirect, redirect.length).drop()).isEqualTo(DropReason.MALFORMED);
        assertThat(IcmpCodec.parseV4(redirect, 25).drop()).as("truncated").isEqualTo(DropReason.MALFORMED);
        byte[] noHeader = PROBE.clone(); // what Linux's ping socket would hand over: no IP header
        assertThat(IcmpCodec.parseV4(noHeader, noHeader.length).drop()).isEqualTo(DropReason.MALFORMED);
    }

    @Test
    void anIcmpv6TimeExceededHasNoOuterHeaderAndQuotesTheIpv6Header() throws Exception {
        byte[] probe = PROBE.clone();
        probe[0] = (byte) 128;
        // ICMPv6 type 3 code 0, unused; the quoted IPv6 header: payload length 40, next header 58, hop limit 1,
        // from 2001:db8::100 to 2001:db8::9
        byte[] message = concat(hex("03 00 00 00 00 00 00 00"),
                hex("60 00 00 00 | 00 28 3a 01 | 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 01 00"
                        + "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 09"), probe);
        InetAddress router = InetAddress.getByName("2001:db8::1");
        IcmpCodec.Message m = IcmpCodec.parseV6(message, message.length, router, 62).message();
        assertThat(m).isNotNull();
        assertThat(m.kind()).isEqualTo(ResponseKind.TIME_EXCEEDED);
        assertThat(m.responder()).isEqualTo(router);
        assertThat(m.replyTtl()).isEqualTo(62);
        assertThat(m.quotedTtl()).isEqualTo(1);
        assertThat(m.quotedIpId()).isEqualTo(ProbeResponse.UNKNOWN);
        assertThat(m.quotedDestination()).isEqualTo(InetAddress.getByName("2001:db8::9"));
        assertThat(m.sequence()).isEqualTo(0x0102);
        assertThat(m.cookie()).isEqualTo(COOKIE);
        assertThat(IcmpCodec.parseV6(message, message.length, router, -1).message().replyTtl())
                .as("no IPV6_HOPLIMIT message").isEqualTo(ProbeResponse.UNKNOWN);
    }

    @Test
    void anIcmpv6EchoReplyAndAPortUnreachable() throws Exception {
        byte[] reply = PROBE.clone();
        reply[0] = (byte) 129;
        InetAddress from = InetAddress.getByName("2001:db8::9");
        IcmpCodec.Message m = IcmpCodec.parseV6(reply, reply.length, from, 64).message();
        assertThat(m.kind()).isEqualTo(ResponseKind.ECHO_REPLY);
        assertThat(m.identifier()).isEqualTo(0x1234);
        byte[] udpUnreachable = concat(hex("01 04 00 00 00 00 00 00"),
                hex("60 00 00 00 00 10 11 01 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 01 00"
                        + "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 09"), hex("c0 01 82 9a 00 10 00 00"));
        IcmpCodec.Message u = IcmpCodec.parseV6(udpUnreachable, udpUnreachable.length, from, 64).message();
        assertThat(u.protocol()).isEqualTo(17);
        assertThat(u.kind()).isEqualTo(ResponseKind.DESTINATION_UNREACHABLE);
        assertThat(u.sequence()).isEqualTo(33434);
        assertThat(u.cookie()).as("8 bytes quoted: no cookie").isZero();
        byte[] neighbourSolicitation = hex("87 00 00 00 00 00 00 00 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 09");
        assertThat(IcmpCodec.parseV6(neighbourSolicitation, neighbourSolicitation.length, from, 255).drop())
                .isEqualTo(DropReason.MALFORMED);
    }

    @Test
    void aFlowKeepsItsChecksumWhateverTheSequence() {
        byte[] p = IcmpCodec.request(40, false, 0x4321, 0x0102030405060708L);
        int base = IcmpCodec.baseSum(p);
        for (int seq : new int[] {0, 1, 0xff, 0x100, 0x7fff, 0xffff}) {
            IcmpCodec.setProbe(p, base, seq, 12345, true);
            assertThat(IcmpCodec.getShort(p, 2)).isEqualTo(12345);
            assertThat(InternetChecksum.checksum(p, 0, p.length, 0)).as("a valid checksum, seq %d", seq).isZero();
            assertThat(IcmpCodec.getShort(p, 6)).isEqualTo(seq);
        }
        int classic = IcmpCodec.setClassicProbe(p, base, 77, true);
        assertThat(InternetChecksum.checksum(p, 0, p.length, 0)).isZero();
        assertThat(IcmpCodec.getShort(p, 2)).isEqualTo(classic);
    }

    @Test
    void onIcmpv6TheCompensationCoversThePseudoHeader() throws Exception {
        InetAddress source = InetAddress.getByName("2001:db8::100");
        InetAddress destination = InetAddress.getByName("2001:db8::9");
        byte[] p = IcmpCodec.request(56, true, 0x4321, 0x0102030405060708L);
        int base = InternetChecksum.onesAdd(IcmpCodec.baseSum(p), IcmpCodec.pseudoHeaderSum(source, destination, 56));
        for (int seq : new int[] {0, 9, 0xffff}) {
            IcmpCodec.setProbe(p, base, seq, 4242, false);
            assertThat(IcmpCodec.getShort(p, 2)).as("left 0 for the kernel").isZero();
            // what the kernel computes (RFC 3542 3.1: always, over the pseudo-header too)
            int kernel = InternetChecksum.checksum(p, 0, p.length, IcmpCodec.pseudoHeaderSum(source, destination, 56));
            assertThat(kernel).isEqualTo(4242);
        }
    }

    @Test
    void aUdpProbesChecksumCarriesItsNumber() throws Exception {
        InetAddress source = InetAddress.getByName("198.18.0.100");
        InetAddress destination = InetAddress.getByName("198.18.0.9");
        byte[] payload = UdpCodec.payload(16, 0x0102030405060708L);
        int base = UdpCodec.baseSum(payload, source, destination, 50000);
        for (int seq : new int[] {0, 1, 0x1234, 0xfffe}) {
            UdpCodec.setProbe(payload, base, 33434, seq);
            // the datagram the kernel sends, with the pseudo-header: its checksum must be seq + 1
            byte[] udp = concat(hex("c3 50 82 9a 00 18 00 00"), payload);
            byte[] pseudo = concat(source.getAddress(), destination.getAddress(), hex("00 11 00 18"));
            int pseudoSum = ~InternetChecksum.checksum(pseudo, 0, pseudo.length, 0) & 0xffff;
            int computed = InternetChecksum.checksum(udp, 0, udp.length, pseudoSum);
            int onTheWire = computed == 0 ? 0xffff : computed; // RFC 768: a computed 0 is sent as all ones
            assertThat(onTheWire).as("seq %d", seq).isEqualTo(seq + 1);
        }
    }

    @Test
    void payloadSizesHaveLimitsNamedInTheMessage() {
        assertThat(IcmpEchoFormat.length(-1, "t")).isEqualTo(40);
        assertThat(IcmpEchoFormat.length(56, "t")).isEqualTo(64);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> IcmpEchoFormat.length(9, "t"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 10");
    }
}
