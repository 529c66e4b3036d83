package io.pathprobe.linux.internal.transport;

import static io.pathprobe.lab.fuzz.FuzzSupport.putInt;
import static io.pathprobe.lab.fuzz.FuzzSupport.putShort;
import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.linux.internal.codec.PortKey;
import io.pathprobe.nativecommon.IcmpEchoFormat;
import io.pathprobe.probe.MplsLabel;
import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ResponseKind;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The raw ICMP transport's receive path on recorded packets (IPv4 header included, as a raw socket
 * reads them): what is delivered, with which fields, and what is dropped and why. No socket, no
 * privilege.
 */
class RawIcmpPacketTest extends ReceivedPackets {
    private static final int IDENTIFIER = 0x2b2b;
    private static final long COOKIE = 0x5a5a1234abcd0001L;
    private static final byte[] HOST = {(byte) 198, 18, 0, 1};
    private static final byte[] ROUTER = {(byte) 198, 18, 0, 6};
    private static final byte[] DESTINATION = {(byte) 198, 19, 0, 1};

    private final Target target = new Target(address(DESTINATION), COOKIE);
    private final IntFunction<RawIcmpTransport.@Nullable EchoTarget> sessions = id -> id == IDENTIFIER ? target : null;

    @Test
    void aTimeExceededQuotingOurEchoRequestIsDeliveredWithWhatTheRouterQuoted() {
        byte[] request = echoRequest(IDENTIFIER, COOKIE, 777, 0x1234);
        byte[] packet = ipv4(ROUTER, HOST, 61, 0x0101, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, 0xabcd, request)));

        assertThat(receive(packet)).isNull();
        ProbeResponse r = target.only();
        assertThat(r.sequence()).isEqualTo(777);
        assertThat(r.kind()).isEqualTo(ResponseKind.TIME_EXCEEDED);
        assertThat(r.icmpType()).isEqualTo(11);
        assertThat(r.icmpCode()).isZero();
        assertThat(r.responder()).isEqualTo(address(ROUTER));
        assertThat(r.receivedNanos()).isEqualTo(42L);
        assertThat(r.replyTtl()).isEqualTo(61);
        assertThat(r.quotedTtl()).isEqualTo(1);
        assertThat(r.quotedIpId()).isEqualTo(0xabcd);
        assertThat(r.quotedChecksum()).as("the flow's checksum").isEqualTo(0x1234);
        assertThat(r.extensions()).isEmpty();
    }

    @Test
    void anRfc4884MplsExtensionIsParsed() {
        byte[] request = echoRequest(IDENTIFIER, COOKIE, 3, 9);
        byte[] quote = ipv4(HOST, DESTINATION, 1, 7, request);
        int entry = (16004 << 12) | (5 << 9) | (1 << 8) | 1; // label 16004, TC 5, bottom of stack, TTL 1
        byte[] packet = ipv4(ROUTER, HOST, 250, 1, icmpErrorWithMpls(11, 0, quote, entry));

        assertThat(receive(packet)).isNull();
        ProbeResponse r = target.only();
        assertThat(r.sequence()).isEqualTo(3);
        assertThat(r.quotedChecksum()).isEqualTo(9);
        assertThat(r.extensions()).hasSize(1);
        assertThat(r.extensions().get(0).classNumber()).isEqualTo(1);
        assertThat(r.mplsLabels()).containsExactly(new MplsLabel(16004, 5, true, 1));
    }

    @Test
    void aQuoteWithSomeoneElsesCookieIsDroppedAsUnrelated() {
        byte[] forged = echoRequest(IDENTIFIER, COOKIE ^ 1, 777, 0);
        byte[] packet = ipv4(ROUTER, HOST, 61, 1, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, 2, forged)));
        assertThat(receive(packet)).isEqualTo(DropReason.UNRELATED);
        assertThat(target.responses).isEmpty();
    }

    @Test
    void anEightByteQuoteProvesItsSequenceOnlyByTheIpIdTheSessionChose() {
        // Paris: every probe of the flow has the flow's checksum, so 8 bytes say nothing about the sequence
        assertThat(receive(ipv4(ROUTER, HOST, 61, 1, icmpError(11, 0, eightBytes(12, 0x2222)))))
                .as("no IP ID of ours to check").isEqualTo(DropReason.QUOTE_TOO_SHORT);
        target.ipIdKey = 0x9e37;
        assertThat(receive(ipv4(ROUTER, HOST, 61, 1, icmpError(11, 0, eightBytes(12, PortKey.ipId(0x9e37, 13))))))
                .as("the IP ID of another probe").isEqualTo(DropReason.UNRELATED);
        assertThat(target.responses).isEmpty();
        assertThat(receive(ipv4(ROUTER, HOST, 61, 1, icmpError(11, 0, eightBytes(12, PortKey.ipId(0x9e37, 12))))))
                .isNull();
        assertThat(target.only().sequence()).isEqualTo(12);
    }

    @Test
    void aSequenceRewrittenWithItsChecksumLeftAsSentIsNotDelivered() {
        // the forgery of issue 21: the quote of probe 12 with the sequence of probe 11, checksum as sent
        byte[] request = echoRequest(IDENTIFIER, COOKIE, 12, 0x1234);
        echoRequest(IDENTIFIER, COOKIE, 11, 0x1234); // sent too: a plausible, outstanding sequence
        putShort(request, 6, 11);
        assertThat(receive(ipv4(ROUTER, HOST, 61, 1, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, 2, request)))))
                .as("whole quote: the compensation word and the checksum are probe 12's").isEqualTo(DropReason.UNRELATED);
        byte[] partial = java.util.Arrays.copyOf(request, 18); // the compensation word, not the filler
        assertThat(receive(ipv4(ROUTER, HOST, 61, 1, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, 2, partial)))))
                .isEqualTo(DropReason.UNRELATED);
        target.ipIdKey = 0x9e37;
        byte[] eight = eightBytes(12, PortKey.ipId(0x9e37, 12));
        putShort(eight, 26, 11);
        assertThat(receive(ipv4(ROUTER, HOST, 61, 1, icmpError(11, 0, eight))))
                .as("8 bytes: the IP ID is probe 12's").isEqualTo(DropReason.UNRELATED);
        assertThat(target.responses).isEmpty();
    }

    @Test
    void aWholeQuoteIsCheckedByteForByte() {
        byte[] fill = echoRequest(IDENTIFIER, COOKIE, 5, 7);
        fill[30] ^= 1; // the filler (and its checksum no longer right)
        assertThat(receive(ipv4(ROUTER, HOST, 61, 1, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, 2, fill)))))
                .isEqualTo(DropReason.UNRELATED);
        byte[] sum = echoRequest(IDENTIFIER, COOKIE, 5, 7);
        putShort(sum, 2, 8); // another flow's checksum over probe 5 of flow 7
        assertThat(receive(ipv4(ROUTER, HOST, 61, 1, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, 2, sum)))))
                .isEqualTo(DropReason.UNRELATED);
        byte[] unsent = echoRequest(IDENTIFIER, COOKIE, 6, 7);
        target.flows.put(6, 8); // the session sent 6 with another flow: another compensation word
        assertThat(receive(ipv4(ROUTER, HOST, 61, 1, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, 2, unsent)))))
                .isEqualTo(DropReason.UNRELATED);
        assertThat(target.responses).isEmpty();
        target.ipIdKey = 0x9e37;
        byte[] right = echoRequest(IDENTIFIER, COOKIE, 5, 7);
        assertThat(receive(ipv4(ROUTER, HOST, 61, 1, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, 0x4444, right)))))
                .as("whole and right, but the IP ID is not probe 5's").isEqualTo(DropReason.UNRELATED);
        assertThat(receive(ipv4(ROUTER, HOST, 61, 1, icmpError(11, 0, ipv4(HOST, DESTINATION, 1,
                PortKey.ipId(0x9e37, 5), right))))).isNull();
        assertThat(target.only().sequence()).isEqualTo(5);
    }

    /** A 28-byte quote (IP header and the 8 header bytes) of probe {@code sequence} of flow 0, with IP ID {@code ipId}. */
    private byte[] eightBytes(int sequence, int ipId) {
        byte[] request = echoRequest(IDENTIFIER, COOKIE, sequence, 0);
        byte[] quotedHeader = ipv4(HOST, DESTINATION, 1, ipId, request); // total length 60
        byte[] quote = java.util.Arrays.copyOf(quotedHeader, 28);
        System.arraycopy(request, 0, quote, 20, 8);
        return quote;
    }

    @Test
    void errorsAboutOtherSessionsOtherDestinationsAndOtherTrafficAreUnrelated() {
        byte[] otherId = echoRequest(IDENTIFIER + 1, COOKIE, 1, 0);
        assertThat(receive(ipv4(ROUTER, HOST, 61, 1, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, 2, otherId)))))
                .isEqualTo(DropReason.UNRELATED);
        byte[] ours = echoRequest(IDENTIFIER, COOKIE, 1, 0);
        byte[] elsewhere = {(byte) 198, 19, 0, 2};
        assertThat(receive(ipv4(ROUTER, HOST, 61, 1, icmpError(11, 0, ipv4(HOST, elsewhere, 1, 2, ours)))))
                .isEqualTo(DropReason.UNRELATED);
        byte[] udpQuote = ipv4(HOST, DESTINATION, 1, 2, new byte[16]);
        udpQuote[9] = 17;
        assertThat(receive(ipv4(ROUTER, HOST, 61, 1, icmpError(3, 3, udpQuote)))).isEqualTo(DropReason.UNRELATED);
        assertThat(target.responses).isEmpty();
    }

    @Test
    void truncatedAndUnexpectedPacketsAreMalformed() {
        byte[] request = echoRequest(IDENTIFIER, COOKIE, 1, 0);
        byte[] whole = ipv4(ROUTER, HOST, 61, 1, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, 2, request)));
        assertThat(receive(java.util.Arrays.copyOf(whole, 24))).as("no ICMP header").isEqualTo(DropReason.MALFORMED);
        assertThat(receive(java.util.Arrays.copyOf(whole, 40))).as("quote cut short").isEqualTo(DropReason.MALFORMED);
        byte[] notIpv4 = whole.clone();
        notIpv4[0] = 0x65;
        assertThat(receive(notIpv4)).isEqualTo(DropReason.MALFORMED);
        byte[] redirect = ipv4(ROUTER, HOST, 61, 1, icmpError(5, 1, ipv4(HOST, DESTINATION, 1, 2, request)));
        assertThat(receive(redirect)).isEqualTo(DropReason.MALFORMED);
        assertThat(target.responses).isEmpty();
    }

    @Test
    void anEchoReplyWithOurCookieIsDeliveredAndAForgedOneIsNot() {
        byte[] reply = echoReply(IDENTIFIER, COOKIE, 0xffff);
        assertThat(receive(ipv4(DESTINATION, HOST, 36, 1, reply))).isNull();
        ProbeResponse r = target.only();
        assertThat(r.kind()).isEqualTo(ResponseKind.ECHO_REPLY);
        assertThat(r.sequence()).isEqualTo(0xffff);
        assertThat(r.responder()).isEqualTo(address(DESTINATION));
        assertThat(r.replyTtl()).isEqualTo(36);
        assertThat(r.quotedTtl()).isEqualTo(ProbeResponse.UNKNOWN);
        assertThat(r.quotedIpId()).isEqualTo(ProbeResponse.UNKNOWN);
        assertThat(r.quotedChecksum()).isEqualTo(ProbeResponse.UNKNOWN);

        byte[] forged = echoReply(IDENTIFIER, COOKIE + 1, 5);
        assertThat(receive(ipv4(DESTINATION, HOST, 36, 1, forged))).isEqualTo(DropReason.UNRELATED);
        byte[] fromElsewhere = reply.clone();
        assertThat(receive(ipv4(ROUTER, HOST, 36, 1, fromElsewhere))).as("not from the destination")
                .isEqualTo(DropReason.UNRELATED);
        assertThat(target.responses).hasSize(1);
    }

    @Test
    void errorsAndRepliesWithAWrongIcmpChecksumAreMalformedNotDelivered() {
        // the chaos suite's hostile router: messages about our exact probe whose ICMP checksum is off by one
        byte[] request = echoRequest(IDENTIFIER, COOKIE, 777, 0x1234);
        byte[] error = ipv4(ROUTER, HOST, 61, 1, icmpError(3, 3, ipv4(HOST, DESTINATION, 1, 2, request)));
        error[23]++;
        assertThat(receive(error)).isEqualTo(DropReason.MALFORMED);
        byte[] reply = echoReply(IDENTIFIER, COOKIE, 5);
        byte[] packet = ipv4(DESTINATION, HOST, 36, 1, reply);
        packet[23]++;
        assertThat(receive(packet)).isEqualTo(DropReason.MALFORMED);
        assertThat(target.responses).isEmpty();
    }

    @Test
    void theTargetsOutcomeIsPassedOn() {
        target.outcome = DropReason.SESSION_CLOSED;
        byte[] request = echoRequest(IDENTIFIER, COOKIE, 1, 0);
        assertThat(receive(ipv4(ROUTER, HOST, 61, 1, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, 2, request)))))
                .isEqualTo(DropReason.SESSION_CLOSED);
    }

    // ---------------------------------------------------------------------------------------------

    private @Nullable DropReason receive(byte[] packet) {
        return RawIcmpTransport.onPacket(load(packet), packet.length, 42L, sessions, addresses);
    }

    /** An echo request as the transport sends it, with the flow's checksum. */
    /** The echo reply to {@link #echoRequest}: type 0, checksum recomputed as the destination's kernel does. */
    private static byte[] echoReply(int identifier, long cookie, int sequence) {
        byte[] b = request(identifier, cookie, sequence, 0);
        b[0] = 0;
        putShort(b, 2, 0);
        putShort(b, 2, PacketTargets.checksum(b, 0, b.length));
        return b;
    }

    /** As the session sends it: the target remembers the flow of every sequence "sent". */
    private byte[] echoRequest(int identifier, long cookie, int sequence, int flow) {
        target.flows.put(sequence, flow);
        return request(identifier, cookie, sequence, flow);
    }

    private static byte[] request(int identifier, long cookie, int sequence, int flow) {
        return PacketTargets.echoRequest(false, identifier, cookie, sequence, flow);
    }

    /** An IPv4 header (20 bytes, protocol ICMP) followed by {@code payload}. */
    private static byte[] ipv4(byte[] source, byte[] destination, int ttl, int id, byte[] payload) {
        byte[] b = new byte[20 + payload.length];
        b[0] = 0x45;
        putShort(b, 2, b.length);
        putShort(b, 4, id);
        b[8] = (byte) ttl;
        b[9] = 1;
        System.arraycopy(source, 0, b, 12, 4);
        System.arraycopy(destination, 0, b, 16, 4);
        putShort(b, 10, PacketTargets.checksum(b, 0, 20));
        System.arraycopy(payload, 0, b, 20, payload.length);
        return b;
    }

    /** An ICMP error quoting {@code quote} (IP header and what follows). */
    private static byte[] icmpError(int type, int code, byte[] quote) {
        byte[] b = new byte[8 + quote.length];
        b[0] = (byte) type;
        b[1] = (byte) code;
        System.arraycopy(quote, 0, b, 8, quote.length);
        putShort(b, 2, PacketTargets.checksum(b, 0, b.length));
        return b;
    }

    /** An ICMP error whose quote is padded to 128 bytes and followed by an RFC 4950 MPLS label stack object. */
    private static byte[] icmpErrorWithMpls(int type, int code, byte[] quote, int labelEntry) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] header = new byte[8];
        header[0] = (byte) type;
        header[1] = (byte) code;
        header[5] = 128 / 4; // RFC 4884 length, in 32-bit words
        out.writeBytes(header);
        out.writeBytes(java.util.Arrays.copyOf(quote, 128));
        byte[] extension = new byte[4 + 8];
        extension[0] = 0x20; // version 2
        putShort(extension, 4, 8); // object length
        extension[6] = 1; // class: MPLS label stack
        extension[7] = 1; // C-type: incoming label stack
        putInt(extension, 8, labelEntry);
        putShort(extension, 2, PacketTargets.checksum(extension, 0, extension.length));
        out.writeBytes(extension);
        byte[] b = out.toByteArray();
        putShort(b, 2, PacketTargets.checksum(b, 0, b.length));
        return b;
    }

    private static InetAddress address(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static final class Target extends RecordingEchoTarget {
        /** The flow each sequence was sent with. */
        final java.util.Map<Integer, Integer> flows = new java.util.HashMap<>();
        /** The IP ID key when the session chose the IP IDs (0: it did not). */
        int ipIdKey;

        Target(InetAddress destination, long cookie) {
            super(destination, IDENTIFIER, cookie);
        }

        @Override
        public int sentChecksum(int sequence) {
            Integer flow = flows.get(sequence);
            return flow == null ? ProbeResponse.UNKNOWN : IcmpEchoFormat.flowChecksum(flow);
        }

        @Override
        public boolean choosesIpId() {
            return ipIdKey != 0;
        }

        @Override
        public boolean ipIdMatches(int quotedIpId, int sequence) {
            return PortKey.ipIdMatches(ipIdKey, quotedIpId, sequence);
        }

        ProbeResponse only() {
            assertThat(responses).hasSize(1);
            return responses.get(0);
        }
    }
}
