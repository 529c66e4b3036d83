package io.pathprobe.linux.internal.transport;

import static io.pathprobe.lab.fuzz.FuzzSupport.putShort;
import static io.pathprobe.linux.internal.transport.PacketTargets.DESTINATION;
import static io.pathprobe.linux.internal.transport.PacketTargets.DESTINATION6;
import static io.pathprobe.linux.internal.transport.PacketTargets.HOST;
import static io.pathprobe.linux.internal.transport.PacketTargets.HOST6;
import static io.pathprobe.linux.internal.transport.PacketTargets.LOCAL;
import static io.pathprobe.linux.internal.transport.PacketTargets.PORT;
import static io.pathprobe.linux.internal.transport.PacketTargets.ROUTER;
import static io.pathprobe.linux.internal.transport.PacketTargets.ROUTER6;
import static io.pathprobe.linux.internal.transport.PacketTargets.address;
import static io.pathprobe.linux.internal.transport.PacketTargets.icmpError;
import static io.pathprobe.linux.internal.transport.PacketTargets.ipv4;
import static io.pathprobe.linux.internal.transport.PacketTargets.ipv6;
import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.linux.internal.codec.PortKey;
import io.pathprobe.linux.internal.codec.RawPackets;
import io.pathprobe.linux.internal.codec.TcpProbes;
import io.pathprobe.linux.internal.codec.UdpProbes;
import io.pathprobe.linux.internal.libc.Pointer;
import io.pathprobe.linux.internal.socket.Destination;
import io.pathprobe.linux.internal.socket.NativeMemory;
import io.pathprobe.linux.internal.socket.Sockets;
import io.pathprobe.linux.internal.transport.PacketTargets.Port;
import io.pathprobe.nativecommon.IcmpEchoFormat;
import io.pathprobe.nativecommon.InternetChecksum;
import io.pathprobe.probe.MplsLabel;
import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ResponseKind;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The raw UDP and TCP transports' receive path, and the raw ICMP transport's IPv6 one, on recorded
 * packets: probes written by the transports' own code, quoted by a router the way routers do (all
 * of it, or RFC 792's 8 bytes, with the IP ID as sent, one higher or byte-swapped, a checksum reset,
 * RFC 4884 extensions), and answers that are not ours. No socket, no privilege.
 */
class RawPortPacketTest extends ReceivedPackets {
    private static final long COOKIE = 0x1122334455667788L;

    // ---------------------------------------------------------------------------------------------
    // UDP

    @Test
    void aFullQuoteOfAUdpProbeIsDeliveredWithWhatTheRouterQuoted() {
        Port t = udpTarget(FlowPolicy.FIXED, 5, false);
        byte[] probe = udp(t, 777, PORT + 5, false);
        ProbeResponse r = deliveredV4(t, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, 778, 17, probe)), false);
        assertThat(r.sequence()).isEqualTo(777);
        assertThat(r.kind()).isEqualTo(ResponseKind.TIME_EXCEEDED);
        assertThat(r.responder()).isEqualTo(address(ROUTER));
        assertThat(r.replyTtl()).isEqualTo(61);
        assertThat(r.quotedTtl()).isEqualTo(1);
        assertThat(r.quotedIpId()).isEqualTo(778);
        assertThat(r.quotedChecksum()).as("the probe number + 1").isEqualTo(778).isEqualTo(r.sentChecksum());
        assertThat(r.checksumDelta()).isZero();
        assertThat(r.extensions()).isEmpty();
    }

    @Test
    void anErrorWithAWrongIcmpChecksumIsMalformedNotDelivered() {
        // the chaos suite's hostile router: a port unreachable quoting the probe exactly, its ICMP checksum off by one
        Port t = udpTarget(FlowPolicy.FIXED, 5, false);
        byte[] error = icmpError(3, 3, ipv4(HOST, DESTINATION, 1, 778, 17, udp(t, 777, PORT + 5, false)));
        error[3] = (byte) (error[3] + 1);
        assertThat(receiveV4(t, error, false)).isEqualTo(DropReason.MALFORMED);
        error[3] = (byte) (error[3] - 1);
        assertThat(receiveV4(t, error, false)).as("the same error with its right checksum").isNull();
    }

    @Test
    void anRfc792QuoteOfEightBytesIsEnough() {
        Port t = udpTarget(FlowPolicy.FIXED, 0, false);
        byte[] probe = Arrays.copyOf(udp(t, 12, PORT, false), 8);
        ProbeResponse r = deliveredV4(t, icmpError(3, 3, truncatedQuote(ipv4(HOST, DESTINATION, 1, 13, 17,
                udp(t, 12, PORT, false)), probe)), false);
        assertThat(r.sequence()).isEqualTo(12);
        assertThat(r.kind()).isEqualTo(ResponseKind.DESTINATION_UNREACHABLE);
        assertThat(r.portUnreachable()).isTrue();
        assertThat(r.quotedChecksum()).isEqualTo(13);
    }

    @Test
    void aQuotedIpIdOneHigherOrByteSwappedIsAccepted() {
        Port t = udpTarget(FlowPolicy.FIXED, 0, false);
        byte[] probe = udp(t, 0x0102, PORT, false);
        assertThat(deliveredV4(t, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, 0x0104, 17, probe)), false).sequence())
                .as("+1").isEqualTo(0x0102);
        t.responses.clear();
        assertThat(deliveredV4(t, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, 0x0301, 17, probe)), false).sequence())
                .as("byte-swapped").isEqualTo(0x0102);
        t.responses.clear();
        assertThat(receiveV4(t, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, 0x7777, 17, probe)), false))
                .as("an IP ID that is none of these").isEqualTo(DropReason.UNRELATED);
    }

    @Test
    void aResetOrTranslatedChecksumFallsBackToTheIpIdAndShowsTheDelta() {
        Port t = udpTarget(FlowPolicy.FIXED, 0, false);
        byte[] probe = udp(t, 40, PORT, false);
        probe[6] = 0; // FreeBSD resets the quoted UDP checksum
        probe[7] = 0;
        ProbeResponse r = deliveredV4(t, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, 41, 17, probe)), false);
        assertThat(r.sequence()).isEqualTo(40);
        assertThat(r.quotedChecksum()).isZero();
        assertThat(r.sentChecksum()).isEqualTo(41);
        assertThat(r.checksumDelta()).isEqualTo((0 - 41) & 0xffff);
    }

    @Test
    void rfc4884ExtensionsWithAnMplsLabelStackAreParsed() {
        Port t = udpTarget(FlowPolicy.FIXED, 0, false);
        int entry = (16004 << 12) | (1 << 8) | 1;
        ProbeResponse r = deliveredV4(t, icmpErrorWithMpls(ipv4(HOST, DESTINATION, 1, 4, 17, udp(t, 3, PORT, false)),
                entry), false);
        assertThat(r.sequence()).isEqualTo(3);
        assertThat(r.quotedChecksum()).isEqualTo(4);
        assertThat(r.mplsLabels()).containsExactly(new MplsLabel(16004, 0, true, 1));
    }

    @Test
    void perProbeAndExplicitSessionsReadTheirPorts() {
        Port perProbe = udpTarget(FlowPolicy.PER_PROBE, 0, false);
        ProbeResponse r = deliveredV4(perProbe, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, 10, 17,
                udp(perProbe, 9, PORT + 9, false))), false);
        assertThat(r.sequence()).isEqualTo(9);
        Port explicit = udpTarget(FlowPolicy.EXPLICIT, 0, false);
        r = deliveredV4(explicit, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, 8, 17, udp(explicit, 7, PORT + 100, false))),
                false);
        assertThat(r.sequence()).isEqualTo(7);
    }

    @Test
    void otherProgramsTrafficAndProbesNeverSentAreNotAttributed() {
        Port t = udpTarget(FlowPolicy.FIXED, 0, false);
        byte[] ours = udp(t, 5, PORT, false);
        byte[] otherPorts = ours.clone();
        otherPorts[0] = (byte) 0x11; // another program's UDP to the same destination, from another port
        assertThat(receiveV4(t, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, 6, 17, otherPorts)), false))
                .isEqualTo(DropReason.UNRELATED);
        byte[] otherDestinationPort = ours.clone();
        otherDestinationPort[3]++;
        assertThat(receiveV4(t, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, 6, 17, otherDestinationPort)), false))
                .isEqualTo(DropReason.UNRELATED);
        byte[] elsewhere = {(byte) 198, 19, 0, 2};
        assertThat(receiveV4(t, icmpError(11, 0, ipv4(HOST, elsewhere, 1, 6, 17, ours)), false))
                .isEqualTo(DropReason.UNRELATED);
        byte[] neverSent = PacketTargets.udpProbe(t, 6, PORT); // right ports, a probe number the session never sent
        assertThat(receiveV4(t, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, 7, 17, neverSent)), false))
                .isEqualTo(DropReason.UNRELATED);
        byte[] otherCookie = ours.clone();
        otherCookie[12] ^= 1;
        assertThat(receiveV4(t, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, 6, 17, otherCookie)), false))
                .as("a full quote of someone else's payload").isEqualTo(DropReason.UNRELATED);
        assertThat(receiveV4(t, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, 6, 6, ours)), false))
                .as("a TCP quote to a UDP transport").isEqualTo(DropReason.UNRELATED);
        assertThat(receiveV4(t, Arrays.copyOf(icmpError(11, 0, ipv4(HOST, DESTINATION, 1, 6, 17, ours)), 30), false))
                .isEqualTo(DropReason.MALFORMED);
        assertThat(t.responses).isEmpty();
    }

    @Test
    void anIcmpv6ErrorQuotingAUdpProbeIsDelivered() {
        Port t = udpTarget(FlowPolicy.FIXED, 0, true);
        byte[] probe = udp(t, 300, PORT, true);
        ProbeResponse r = deliveredV6(t, icmp6Error(3, 0, ipv6(HOST6, DESTINATION6, 1, 17, 0xabcde, probe)), false);
        assertThat(r.sequence()).isEqualTo(300);
        assertThat(r.responder()).isEqualTo(address(ROUTER6));
        assertThat(r.replyTtl()).isEqualTo(63);
        assertThat(r.quotedTtl()).isEqualTo(1);
        assertThat(r.quotedIpId()).isEqualTo(ProbeResponse.UNKNOWN);
        assertThat(r.quotedChecksum()).isEqualTo(301).isEqualTo(r.sentChecksum());
        byte[] neverSent = PacketTargets.udpProbe(t, 301, PORT);
        assertThat(receiveV6(t, icmp6Error(3, 0, ipv6(HOST6, DESTINATION6, 1, 17, 0, neverSent)), false))
                .isEqualTo(DropReason.UNRELATED);
    }

    // ---------------------------------------------------------------------------------------------
    // TCP

    @Test
    void quotesOfATcpSynAreMatchedByPortsAndSequenceNumber() {
        Port t = tcpTarget(FlowPolicy.FIXED, false);
        byte[] syn = tcp(t, 55, LOCAL, false);
        int sent = ((syn[16] & 0xff) << 8) | (syn[17] & 0xff);
        ProbeResponse full = deliveredV4(t, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, 56, 6, syn)), true);
        assertThat(full.sequence()).isEqualTo(55);
        assertThat(full.quotedChecksum()).as("a full quote has the TCP checksum").isEqualTo(sent).isEqualTo(full.sentChecksum());
        t.responses.clear();
        ProbeResponse eight = deliveredV4(t, icmpError(11, 0, truncatedQuote(ipv4(HOST, DESTINATION, 1, 56, 6, syn),
                Arrays.copyOf(syn, 8))), true);
        assertThat(eight.sequence()).isEqualTo(55);
        assertThat(eight.quotedChecksum()).as("8 bytes hold no TCP checksum").isEqualTo(ProbeResponse.UNKNOWN);
        assertThat(eight.sentChecksum()).isEqualTo(sent);

        byte[] otherTag = syn.clone();
        otherTag[4] ^= 0x40;
        assertThat(receiveV4(t, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, 56, 6, otherTag)), true))
                .isEqualTo(DropReason.UNRELATED);
        byte[] neverSent = syn.clone();
        neverSent[7]++;
        assertThat(receiveV4(t, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, 57, 6, neverSent)), true))
                .as("right ports, a sequence never sent").isEqualTo(DropReason.UNRELATED);
        byte[] otherPort = syn.clone();
        otherPort[3]++;
        assertThat(receiveV4(t, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, 56, 6, otherPort)), true))
                .isEqualTo(DropReason.UNRELATED);
    }

    @Test
    void theDestinationsResetOrSynAckIsAnAnswer() {
        Port t = tcpTarget(FlowPolicy.FIXED, false);
        byte[] syn = tcp(t, 9, LOCAL, false);
        int sequenceNumber = (int) u32(syn, 4);
        assertThat(tcpAnswer(t, DESTINATION, TcpProbes.RST | TcpProbes.ACK, sequenceNumber + 1)).isNull();
        assertThat(t.responses.get(0).kind()).isEqualTo(ResponseKind.TCP_RESET);
        assertThat(t.responses.get(0).sequence()).isEqualTo(9);
        assertThat(t.responses.get(0).icmpType()).isEqualTo(ProbeResponse.UNKNOWN);
        assertThat(t.responses.get(0).replyTtl()).isEqualTo(60);
        assertThat(tcpAnswer(t, DESTINATION, TcpProbes.SYN | TcpProbes.ACK, sequenceNumber + 1)).isNull();
        assertThat(t.responses.get(1).kind()).isEqualTo(ResponseKind.TCP_SYN_ACK);
        assertThat(tcpAnswer(t, DESTINATION, TcpProbes.RST | TcpProbes.ACK, sequenceNumber)).as("ack off by one")
                .isEqualTo(DropReason.UNRELATED);
        assertThat(tcpAnswer(t, ROUTER, TcpProbes.RST | TcpProbes.ACK, sequenceNumber + 1)).as("not the destination")
                .isEqualTo(DropReason.UNRELATED);
        assertThat(tcpAnswer(t, DESTINATION, TcpProbes.ACK, sequenceNumber + 1)).as("a plain ACK")
                .isEqualTo(DropReason.UNRELATED);
        assertThat(t.responses).hasSize(2);
    }

    @Test
    void perProbeTcpSessionsCountTheSourcePortWithTheProbeNumber() {
        Port t = tcpTarget(FlowPolicy.PER_PROBE, false);
        byte[] syn = tcp(t, 35, LOCAL + 35 % RawPortTransport.TCP_PORTS, false);
        assertThat(deliveredV4(t, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, 36, 6, syn)), true).sequence()).isEqualTo(35);
        byte[] wrongPort = tcp(t, 35, LOCAL + 4, false);
        assertThat(receiveV4(t, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, 36, 6, wrongPort)), true))
                .isEqualTo(DropReason.UNRELATED);
    }

    // ---------------------------------------------------------------------------------------------
    // raw ICMP over IPv6

    @Test
    void icmpv6ErrorsAndRepliesToEchoRequestsAreMatched() {
        int identifier = 0x4242;
        long cookie = 0x0102030405060708L;
        RecordingEchoTarget echo = new RecordingEchoTarget(address(DESTINATION6), identifier, cookie) {
            @Override
            public int sentChecksum(int sequence) {
                return IcmpEchoFormat.flowChecksum(0x77);
            }
        };
        IntFunction<RawIcmpTransport.@Nullable EchoTarget> byId = id -> id == identifier ? echo : null;
        byte[] request = PacketTargets.echoRequest(true, identifier, cookie, 17, 0x77);
        byte[] error = icmp6Error(3, 0, ipv6(HOST6, DESTINATION6, 1, 58, 0x1, request));
        assertThat(receive6Icmp(byId, error, ROUTER6)).isNull();
        ProbeResponse r = echo.responses.get(0);
        assertThat(r.sequence()).isEqualTo(17);
        assertThat(r.kind()).isEqualTo(ResponseKind.TIME_EXCEEDED);
        assertThat(r.quotedChecksum()).isEqualTo(0x77).isEqualTo(r.sentChecksum());
        byte[] reply = request.clone();
        reply[0] = (byte) 129;
        assertThat(receive6Icmp(byId, reply, DESTINATION6)).isNull();
        assertThat(echo.responses.get(1).kind()).isEqualTo(ResponseKind.ECHO_REPLY);
        assertThat(receive6Icmp(byId, reply, ROUTER6)).as("a reply from elsewhere").isEqualTo(DropReason.UNRELATED);
        byte[] forged = error.clone();
        forged[8 + 40 + 8] ^= 1; // the cookie of a full quote
        assertThat(receive6Icmp(byId, forged, ROUTER6)).isEqualTo(DropReason.UNRELATED);
        byte[] rewritten = error.clone();
        rewritten[8 + 40 + 7] ^= 1; // the sequence, its checksum and compensation word left as sent
        assertThat(receive6Icmp(byId, rewritten, ROUTER6)).as("compensation word").isEqualTo(DropReason.UNRELATED);
        byte[] eight = java.util.Arrays.copyOf(error, 8 + 40 + 8);
        assertThat(receive6Icmp(byId, eight, ROUTER6)).as("8 bytes of a Paris request prove nothing on IPv6")
                .isEqualTo(DropReason.QUOTE_TOO_SHORT);
        assertThat(echo.responses).hasSize(2);
    }

    @Test
    void flowLabelsAreDistinctAndNonZeroForEveryFlow() {
        boolean[] seen = new boolean[1 << 20];
        for (int flow = 0; flow <= 0xffff; flow++) {
            int label = RawPackets.flowLabel(flow);
            assertThat(label).isBetween(1, 0xfffff);
            assertThat(seen[label]).as("flow %d", flow).isFalse();
            seen[label] = true;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // issue 21: every quote is checked whole (IP IDs keyed per session)

    private static final int KEY = 0x9e37;

    @Test
    void udpAChecksumRewrittenToAnotherProbeSentIsNotDelivered() {
        Port t = keyed(false, false);
        byte[] p12 = udp(t, 12, PORT, false);
        udp(t, 11, PORT, false);
        udp(t, 13, PORT, false);
        int id12 = PortKey.ipId(KEY, 12);
        byte[] forged = p12.clone();
        putShort(forged, 6, UdpProbes.checksum(11)); // probe 11's number, the rest as sent
        assertThat(receiveV4(t, icmpError(11, 0, truncatedQuote(ipv4(HOST, DESTINATION, 1, id12, 17, p12),
                Arrays.copyOf(forged, 8))), false)).as("8 bytes: the IP ID is probe 12's").isEqualTo(DropReason.UNRELATED);
        assertThat(receiveV4(t, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, id12, 17, forged)), false))
                .as("whole: the checksum reads as another probe sent").isEqualTo(DropReason.UNRELATED);
        byte[] next = p12.clone();
        putShort(next, 6, UdpProbes.checksum(13)); // the chaos suite's kind 2: checksum and IP ID + 1
        assertThat(receiveV4(t, icmpError(11, 0, truncatedQuote(ipv4(HOST, DESTINATION, 1, (id12 + 1) & 0xffff, 17, p12),
                Arrays.copyOf(next, 8))), false)).as("next probe, IP ID + 1").isEqualTo(DropReason.UNRELATED);
        assertThat(t.responses).isEmpty();
        assertThat(deliveredV4(t, icmpError(11, 0, truncatedQuote(ipv4(HOST, DESTINATION, 1, id12, 17, p12),
                Arrays.copyOf(p12, 8))), false).sequence()).as("the genuine 8 bytes").isEqualTo(12);
        t.responses.clear();
        assertThat(deliveredV4(t, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, id12, 17, p12)), false).sequence())
                .as("the genuine whole quote").isEqualTo(12);
    }

    @Test
    void udpAQuoteThroughANatIsProvenByThePayloadOrTheExactIpId() {
        Port t = keyed(false, false);
        byte[] probe = udp(t, 40, PORT, false);
        byte[] translated = probe.clone();
        putShort(translated, 6, 0x5151); // a NAT's checksum: no probe number this session sent
        ProbeResponse r = deliveredV4(t, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, PortKey.ipId(KEY, 40), 17,
                translated)), false);
        assertThat(r.sequence()).isEqualTo(40);
        assertThat(r.quotedChecksum()).isEqualTo(0x5151);
        assertThat(r.checksumDelta()).isNotZero();
        t.responses.clear();
        assertThat(deliveredV4(t, icmpError(11, 0, truncatedQuote(ipv4(HOST, DESTINATION, 1, PortKey.ipId(KEY, 40), 17,
                probe), Arrays.copyOf(translated, 8))), false).sequence()).as("8 bytes: the IP ID exactly as sent")
                .isEqualTo(40);
        t.responses.clear();
        assertThat(receiveV4(t, icmpError(11, 0, truncatedQuote(ipv4(HOST, DESTINATION, 1,
                (PortKey.ipId(KEY, 40) + 1) & 0xffff, 17, probe), Arrays.copyOf(translated, 8))), false))
                .as("8 bytes, a checksum of no probe and the IP ID + 1: nothing proven").isEqualTo(DropReason.UNRELATED);
        for (int at : new int[] {8, 12, 20}) { // the compensation word, the cookie, the filler
            byte[] changed = probe.clone();
            changed[at] ^= 1;
            assertThat(receiveV4(t, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, PortKey.ipId(KEY, 40), 17, changed)),
                    false)).as("byte %d", at).isEqualTo(DropReason.UNRELATED);
        }
        assertThat(t.responses).isEmpty();
    }

    @Test
    void udpClassicTheNextProbesChecksumAndIpIdPlusOneAreNotItsAnswer() {
        // the chaos suite's kind 2 on a classic session: checksum + 1 and IP ID + 1, the port (the number) left;
        // probe 13 not sent yet, so the checksum reads as no probe sent: only the exact IP ID could prove 12
        Port t = keyed(false, false, FlowPolicy.PER_PROBE);
        byte[] p12 = udp(t, 12, PORT + 12, false);
        int id12 = PortKey.ipId(KEY, 12);
        byte[] next = p12.clone();
        putShort(next, 6, UdpProbes.checksum(13));
        assertThat(receiveV4(t, icmpError(11, 0, truncatedQuote(ipv4(HOST, DESTINATION, 1, (id12 + 1) & 0xffff, 17, p12),
                Arrays.copyOf(next, 8))), false)).isEqualTo(DropReason.UNRELATED);
        assertThat(receiveV4(t, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, (id12 + 1) & 0xffff, 17, next)), false))
                .as("whole").isEqualTo(DropReason.UNRELATED);
        assertThat(t.responses).isEmpty();
        assertThat(deliveredV4(t, icmpError(11, 0, truncatedQuote(ipv4(HOST, DESTINATION, 1, (id12 + 1) & 0xffff, 17,
                p12), Arrays.copyOf(p12, 8))), false).sequence()).as("its own checksum, the IP ID one higher").isEqualTo(12);
    }

    @Test
    void udpOnIpv6EightBytesOfAParisProbeProveNothingAndAWholeQuoteIsChecked() {
        Port t = udpTarget(FlowPolicy.FIXED, 0, true);
        byte[] p7 = udp(t, 7, PORT, true);
        udp(t, 6, PORT, true);
        assertThat(receiveV6(t, icmp6Error(3, 0, ipv6(HOST6, DESTINATION6, 1, 17, 0x1, Arrays.copyOf(p7, 8))), false))
                .isEqualTo(DropReason.QUOTE_TOO_SHORT);
        byte[] forged = p7.clone();
        putShort(forged, 6, UdpProbes.checksum(6));
        assertThat(receiveV6(t, icmp6Error(3, 0, ipv6(HOST6, DESTINATION6, 1, 17, 0x1, forged)), false))
                .isEqualTo(DropReason.UNRELATED);
        assertThat(t.responses).isEmpty();
        assertThat(deliveredV6(t, icmp6Error(3, 0, ipv6(HOST6, DESTINATION6, 1, 17, 0x1, p7)), false).sequence())
                .isEqualTo(7);
    }

    @Test
    void tcpASequenceNumberRewrittenToAnotherProbesIsNotDelivered() {
        Port t = keyed(true, false);
        byte[] p12 = tcp(t, 12, LOCAL, false);
        tcp(t, 11, LOCAL, false);
        byte[] forged = p12.clone();
        putShort(forged, 6, 11); // the probe number in the sequence number's low half; checksum left as sent
        int id12 = PortKey.ipId(KEY, 12);
        assertThat(receiveV4(t, icmpError(11, 0, truncatedQuote(ipv4(HOST, DESTINATION, 1, id12, 6, p12),
                Arrays.copyOf(forged, 8))), true)).isEqualTo(DropReason.UNRELATED);
        assertThat(receiveV4(t, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, id12, 6, forged)), true))
                .isEqualTo(DropReason.UNRELATED);
        assertThat(t.responses).isEmpty();
        assertThat(deliveredV4(t, icmpError(11, 0, truncatedQuote(ipv4(HOST, DESTINATION, 1, id12, 6, p12),
                Arrays.copyOf(p12, 8))), true).sequence()).isEqualTo(12);
    }

    @Test
    void tcpOnIpv6TheQuotedChecksumMustBeTheProbes() {
        Port t = tcpTarget(FlowPolicy.FIXED, true);
        byte[] p12 = tcp(t, 12, LOCAL, true);
        tcp(t, 11, LOCAL, true);
        byte[] forged = p12.clone();
        putShort(forged, 6, 11);
        assertThat(receiveV6(t, icmp6Error(3, 0, ipv6(HOST6, DESTINATION6, 1, 6, 0x1, forged)), true))
                .isEqualTo(DropReason.UNRELATED);
        assertThat(receiveV6(t, icmp6Error(3, 0, ipv6(HOST6, DESTINATION6, 1, 6, 0x1, Arrays.copyOf(p12, 8))), true))
                .isEqualTo(DropReason.QUOTE_TOO_SHORT);
        assertThat(t.responses).isEmpty();
        assertThat(deliveredV6(t, icmp6Error(3, 0, ipv6(HOST6, DESTINATION6, 1, 6, 0x1, p12)), true).sequence())
                .isEqualTo(12);
    }

    @Test
    void ipIdsKeyedPerSessionAreABijectionThatPlusOneDoesNotFollow() {
        List<String> wrong = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            int key = PortKey.newIpIdKey();
            boolean[] seen = new boolean[0x10000];
            for (int sequence = 0; sequence <= 0xfffe; sequence++) {
                int id = PortKey.ipId(key, sequence);
                if (id == 0 || seen[id] || PortKey.sequenceOfIpId(key, id) != sequence) {
                    wrong.add("key " + key + " sequence " + sequence + ": id " + id);
                }
                seen[id] = true;
            }
            // no probe within 1023 of another has the other's IP ID + 1 (the chaos suite's kind 2)
            for (int sequence = 0; sequence < 2000; sequence++) {
                int plusOne = (PortKey.ipId(key, sequence) + 1) & 0xffff;
                for (int other = Math.max(0, sequence - 1023); other < sequence + 1024; other++) {
                    if (other != sequence && PortKey.ipId(key, other) == plusOne) {
                        wrong.add("key " + key + ": " + other + " has " + sequence + "'s IP ID + 1");
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void udpPathMtuProbesAreMatchedAtALengthTheSessionSentAndTheirMtuRead() {
        Port t = keyed(false, false, FlowPolicy.PER_PROBE);
        int length = 8 + 1000; // a sized probe: 1028 bytes of IPv4 packet
        byte[] probe = sizedUdp(t, 9, length, true);
        // Fragmentation Needed from a router with next-hop MTU 1000 (bytes 6-7 of the ICMP header), the
        // router quoting 548 bytes of the probe (576 in all, as Linux does)
        byte[] icmp = icmpError(3, 4, Arrays.copyOf(ipv4(HOST, DESTINATION, 2, PortKey.ipId(KEY, 9), 17, probe), 548));
        icmp[6] = (byte) (1000 >>> 8);
        icmp[7] = (byte) 1000;
        icmp[2] = 0;
        icmp[3] = 0;
        io.pathprobe.lab.fuzz.FuzzSupport.putShort(icmp, 2, PacketTargets.checksum(icmp, 0, icmp.length));
        ProbeResponse r = deliveredV4(t, icmp, false);
        assertThat(r.sequence()).isEqualTo(9);
        assertThat(r.kind()).isEqualTo(ResponseKind.PACKET_TOO_BIG);
        assertThat(r.mtu()).isEqualTo(1000);
        // the same probe at a length the session never recorded: not ours
        Port other = keyed(false, false, FlowPolicy.PER_PROBE);
        byte[] unrecorded = sizedUdp(other, 9, length, false);
        assertThat(receiveV4(other, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, PortKey.ipId(KEY, 9), 17, unrecorded)),
                false)).isEqualTo(DropReason.UNRELATED);
        assertThat(other.responses).isEmpty();
    }

    @Test
    void anIcmpv6PacketTooBigIsDeliveredWithItsMtu() {
        Port t = keyed(false, true, FlowPolicy.PER_PROBE);
        byte[] probe = sizedUdp(t, 4, 8 + 1300, true);
        byte[] quoted = Arrays.copyOf(ipv6(HOST6, DESTINATION6, 2, 17, RawPackets.flowLabel(4), probe), 1232);
        byte[] icmp6 = icmp6Error(2, 0, quoted);
        icmp6[6] = (byte) (1280 >>> 8);
        icmp6[7] = (byte) 1280;
        ProbeResponse r = deliveredV6(t, icmp6, false);
        assertThat(r.sequence()).isEqualTo(4);
        assertThat(r.kind()).isEqualTo(ResponseKind.PACKET_TOO_BIG);
        assertThat(r.icmpType()).isEqualTo(2);
        assertThat(r.mtu()).isEqualTo(1280);
    }

    /**
     * A PER_PROBE UDP probe {@code length} bytes long (header included) as linux-raw-udp writes a path MTU probe;
     * its base sum recorded in the key when {@code record}.
     */
    private static byte[] sizedUdp(Port t, int sequence, int length, boolean record) {
        t.key.markSent(sequence);
        NativeMemory m = NativeMemory.allocate(length);
        try {
            boolean v6 = t.key.destination.ipv6;
            UdpProbes.write(m.pointer(), 0, LOCAL, t.key.cookie, length);
            int base = UdpProbes.baseSum(m.pointer(), 0,
                    InternetChecksum.pseudoHeaderSum(v6 ? HOST6 : HOST, v6 ? DESTINATION6 : DESTINATION, 17, length),
                    length);
            if (record) {
                t.key.sized(length, base);
            }
            UdpProbes.setProbe(m.pointer(), 0, base, PORT + sequence, sequence);
            byte[] b = new byte[length];
            m.pointer().get(0, b, 0, length);
            return b;
        } finally {
            m.free();
        }
    }

    /** A FIXED session (IPv4) whose IP IDs are keyed by {@link #KEY}. */
    private static Port keyed(boolean tcp, boolean ipv6) {
        return keyed(tcp, ipv6, FlowPolicy.FIXED);
    }

    private static Port keyed(boolean tcp, boolean ipv6, FlowPolicy policy) {
        int count = 1;
        return PacketTargets.port(new PortKey(new Destination(address(ipv6 ? DESTINATION6 : DESTINATION)), policy,
                LOCAL, count, PORT, 0, policy == FlowPolicy.PER_PROBE ? 65535 - PORT : 0xfffe, tcp ? RawPortTransport.TCP_PORTS - 1 : 65535 - PORT, COOKIE, KEY,
                tcp ? TcpProbes.LENGTH : UdpProbes.LENGTH), tcp, ipv6);
    }

    private static Port udpTarget(FlowPolicy policy, int flow, boolean ipv6) {
        int maxSequence = policy == FlowPolicy.PER_PROBE ? 65535 - PORT : 0xfffe;
        return PacketTargets.port(new PortKey(new Destination(address(ipv6 ? DESTINATION6 : DESTINATION)), policy, LOCAL, 1,
                PORT, flow, maxSequence, 65535 - PORT, COOKIE), false, ipv6);
    }

    private static Port tcpTarget(FlowPolicy policy, boolean ipv6) {
        int count = policy == FlowPolicy.FIXED ? 1 : RawPortTransport.TCP_PORTS;
        return PacketTargets.port(new PortKey(new Destination(address(ipv6 ? DESTINATION6 : DESTINATION)), policy, LOCAL,
                count, PORT, 0, 0xfffe, RawPortTransport.TCP_PORTS - 1, COOKIE), true, ipv6);
    }

    /** A UDP probe as the session sends it (and records as sent). */
    private static byte[] udp(Port t, int sequence, int destinationPort, boolean ipv6) {
        t.key.markSent(sequence);
        return PacketTargets.udpProbe(t, sequence, destinationPort);
    }

    private static byte[] tcp(Port t, int probe, int sourcePort, boolean ipv6) {
        t.key.markSent(probe);
        return PacketTargets.tcpProbe(t, probe, sourcePort, ipv6);
    }

    private ProbeResponse deliveredV4(Port t, byte[] icmp, boolean tcp) {
        assertThat(receiveV4(t, icmp, tcp)).isNull();
        assertThat(t.responses).hasSize(1);
        return t.responses.get(0);
    }

    private ProbeResponse deliveredV6(Port t, byte[] icmp6, boolean tcp) {
        assertThat(receiveV6(t, icmp6, tcp)).isNull();
        assertThat(t.responses).hasSize(1);
        return t.responses.get(0);
    }

    /** An ICMP error from ROUTER (TTL 61) to HOST, read whole as a raw socket reads it. */
    private @Nullable DropReason receiveV4(Port t, byte[] icmp, boolean tcp) {
        byte[] packet = ipv4(ROUTER, HOST, 61, 1, 1, icmp);
        Pointer p = load(packet);
        DropReason malformed = quote.parseV4(p, packet.length);
        return malformed != null ? malformed
                : RawPortTransport.onQuote(quote, p, 42L, tcp, port -> port == LOCAL || t.key.localCount > 1
                        && port - LOCAL >= 0 && port - LOCAL < t.key.localCount ? t : null, addresses);
    }

    /** An ICMPv6 message from ROUTER6 (hop limit 63). */
    private @Nullable DropReason receiveV6(Port t, byte[] icmp6, boolean tcp) {
        Pointer p = load(icmp6);
        Sockets.writeSockaddr(name.pointer(), address(ROUTER6), 0);
        DropReason malformed = quote.parseV6(p, icmp6.length, name.pointer(), 0, 63);
        return malformed != null ? malformed
                : RawPortTransport.onQuote(quote, p, 42L, tcp, port -> port == LOCAL ? t : null, addresses);
    }

    private @Nullable DropReason receive6Icmp(IntFunction<RawIcmpTransport.@Nullable EchoTarget> byId, byte[] icmp6,
            byte[] from) {
        Pointer p = load(icmp6);
        Sockets.writeSockaddr(name.pointer(), address(from), 0);
        return RawIcmpTransport.onPacket6(p, icmp6.length, name.pointer(), 63, 42L, byId, addresses, quote);
    }

    /** A TCP segment from {@code source}:PORT to HOST:LOCAL with these flags and acknowledgment number. */
    private @Nullable DropReason tcpAnswer(Port t, byte[] source, int flags, int ack) {
        byte[] segment = new byte[20];
        putShort(segment, 0, PORT);
        putShort(segment, 2, LOCAL);
        putShort(segment, 8, ack >>> 16);
        putShort(segment, 10, ack);
        segment[12] = 0x50;
        segment[13] = (byte) flags;
        byte[] packet = ipv4(source, HOST, 60, 1, 6, segment);
        Pointer p = load(packet);
        return RawPortTransport.onTcpAnswer(p, 20, packet.length, Sockets.readBigEndianInt(p, 12), null, 60, 42L,
                port -> port == LOCAL ? t : null);
    }

    /** The quoted IP header as it was (total length of the whole probe), followed by only {@code transport}. */
    private static byte[] truncatedQuote(byte[] quotedPacket, byte[] transport) {
        byte[] b = Arrays.copyOf(quotedPacket, 20 + transport.length);
        System.arraycopy(transport, 0, b, 20, transport.length);
        return b;
    }

    /** Sets the ICMP checksum (the transport checks it for IPv4; ICMPv6's is the kernel's business). */
    private static byte[] withChecksum(byte[] icmp) {
        putShort(icmp, 2, 0);
        putShort(icmp, 2, PacketTargets.checksum(icmp, 0, icmp.length));
        return icmp;
    }

    private static byte[] icmp6Error(int type, int code, byte[] quote) {
        return icmpError(type, code, quote);
    }

    private static byte[] icmpErrorWithMpls(byte[] quote, int labelEntry) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] header = new byte[8];
        header[0] = 11;
        header[5] = 128 / 4;
        out.writeBytes(header);
        out.writeBytes(Arrays.copyOf(quote, 128));
        byte[] extension = new byte[12];
        extension[0] = 0x20;
        putShort(extension, 4, 8);
        extension[6] = 1;
        extension[7] = 1;
        putShort(extension, 8, labelEntry >>> 16);
        putShort(extension, 10, labelEntry);
        out.writeBytes(extension);
        return withChecksum(out.toByteArray());
    }

    private static long u32(byte[] b, int at) {
        return ((b[at] & 0xffL) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}
