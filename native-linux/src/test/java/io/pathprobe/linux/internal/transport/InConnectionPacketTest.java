package io.pathprobe.linux.internal.transport;

import static io.pathprobe.lab.fuzz.FuzzSupport.getInt;
import static io.pathprobe.lab.fuzz.FuzzSupport.getShort;
import static io.pathprobe.lab.fuzz.FuzzSupport.putInt;
import static io.pathprobe.lab.fuzz.FuzzSupport.putShort;
import static io.pathprobe.linux.internal.transport.PacketTargets.DESTINATION;
import static io.pathprobe.linux.internal.transport.PacketTargets.DESTINATION6;
import static io.pathprobe.linux.internal.transport.PacketTargets.HOST;
import static io.pathprobe.linux.internal.transport.PacketTargets.HOST6;
import static io.pathprobe.linux.internal.transport.PacketTargets.ROUTER;
import static io.pathprobe.linux.internal.transport.PacketTargets.ROUTER6;
import static io.pathprobe.linux.internal.transport.PacketTargets.address;
import static io.pathprobe.linux.internal.transport.PacketTargets.bounded;
import static io.pathprobe.linux.internal.transport.PacketTargets.checksum;
import static io.pathprobe.linux.internal.transport.PacketTargets.icmpError;
import static io.pathprobe.linux.internal.transport.PacketTargets.ipv4;
import static io.pathprobe.linux.internal.transport.PacketTargets.ipv6;
import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.linux.internal.codec.IcmpQuote;
import io.pathprobe.linux.internal.codec.InConnectionKey;
import io.pathprobe.linux.internal.codec.InConnectionProbes;
import io.pathprobe.linux.internal.codec.InConnectionProbes.Handshake;
import io.pathprobe.linux.internal.codec.PortKey;
import io.pathprobe.linux.internal.libc.Pointer;
import io.pathprobe.linux.internal.socket.Destination;
import io.pathprobe.linux.internal.socket.InetAddresses;
import io.pathprobe.linux.internal.socket.NativeMemory;
import io.pathprobe.linux.internal.socket.Sockets;
import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ResponseKind;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * linux-tcp-in-connection on constructed bytes (issue 26): the segments it writes inside a connection, the
 * SYN-ACK it learns the connection from, routers' quotes of its segments (matched, a wrong sequence number,
 * a quote rewritten to another probe, 8-byte and whole quotes, IPv4 and IPv6) and the destination's duplicate
 * ACKs with their SACK blocks. No socket, no privilege.
 */
class InConnectionPacketTest {
    private static final int LOCAL = 40000;
    private static final int SERVICE = 8080;
    private static final int SEND_NEXT = 0x10000001;
    private static final int PEER_NEXT = 0x70000001;
    private static final int ECHOED = 0x01020304;
    private static final int IP_ID_KEY = 0x4321;

    private final NativeMemory name = NativeMemory.allocate(64);
    private final InetAddresses addresses = new InetAddresses();
    private final IcmpQuote quote = new IcmpQuote();
    private final byte[] scratch = new byte[64];

    @AfterEach
    void free() {
        name.free();
    }

    /** A session as the receive path sees it. */
    private static InConnectionKey key(boolean ipv6, boolean timestamps, int sendNext) {
        return new InConnectionKey(new Destination(address(ipv6 ? DESTINATION6 : DESTINATION)), ipv6 ? HOST6 : HOST,
                LOCAL, SERVICE, sendNext, PEER_NEXT, timestamps, ECHOED, 512, 1023, IP_ID_KEY);
    }

    /** Probe {@code slot} as the session sends it (recorded in the key first, as the session does). */
    private static byte[] sent(InConnectionKey k, int slot, int ack, int tsVal) {
        byte[] segment = new byte[k.segmentLength];
        int c = InConnectionProbes.fill(segment, k, slot, ack, tsVal);
        k.recordSend(slot, ack, tsVal, c);
        return segment;
    }

    // ---- the segment -----------------------------------------------------------------------------

    @Test
    void aProbeIsOneByteOfTheConnectionBeyondAGapWithTheConnectionsAckAndTimestamps() {
        InConnectionKey k = key(false, true, SEND_NEXT);
        byte[] s = sent(k, 7, PEER_NEXT + 20, 0x0a0b0c0d);
        assertThat(s).hasSize(20 + 12 + 1);
        assertThat(getShort(s, 0)).isEqualTo(LOCAL);
        assertThat(getShort(s, 2)).isEqualTo(SERVICE);
        assertThat(getInt(s, 4)).as("snd_nxt + 2 + 2 × 7: beyond the FIN's byte and the hole").isEqualTo(SEND_NEXT + 16);
        assertThat(getInt(s, 8)).as("what the kernel received in order").isEqualTo(PEER_NEXT + 20);
        assertThat(s[12] & 0xff).as("a 32-byte header").isEqualTo(0x80);
        assertThat(s[13] & 0xff).as("ACK | PSH").isEqualTo(0x18);
        assertThat(getShort(s, 14)).isEqualTo(512);
        assertThat(Arrays.copyOfRange(s, 20, 24)).containsExactly(1, 1, 8, 10);
        assertThat(getInt(s, 24)).isEqualTo(0x0a0b0c0d);
        assertThat(getInt(s, 28)).as("TSecr: the SYN-ACK's TSval").isEqualTo(ECHOED);
        assertThat(s[32]).isZero();
        assertThat(checksum(pseudo(HOST, DESTINATION, s), 0, pseudo(HOST, DESTINATION, s).length))
                .as("the TCP checksum over the pseudo-header is right").isZero();
        assertThat(k.checksum(7)).isEqualTo(getShort(s, 16));

        InConnectionKey plain = key(true, false, SEND_NEXT);
        byte[] p = sent(plain, 0, PEER_NEXT, 0);
        assertThat(p).as("no timestamps agreed: no option").hasSize(21);
        assertThat(p[12] & 0xff).isEqualTo(0x50);
        assertThat(getInt(p, 4)).isEqualTo(SEND_NEXT + 2);
        assertThat(checksum(pseudo(HOST6, DESTINATION6, p), 0, pseudo(HOST6, DESTINATION6, p).length)).isZero();
    }

    @Test
    void probeNumbersMapOntoEveryOtherByteAndNothingElseIsAProbe() {
        InConnectionKey k = key(false, false, 0xfffffff0); // the sequence space wraps among the probes
        for (int slot : new int[] {0, 1, 7, 100, 1023}) {
            assertThat(InConnectionProbes.slot(k, InConnectionProbes.sequenceNumber(k, slot))).isEqualTo(slot);
        }
        assertThat(InConnectionProbes.slot(k, 0xfffffff0)).as("snd_nxt: the FIN's byte").isEqualTo(-1);
        assertThat(InConnectionProbes.slot(k, 0xfffffff1)).as("the hole nothing fills").isEqualTo(-1);
        assertThat(InConnectionProbes.slot(k, 0xfffffff3)).as("between two probes").isEqualTo(-1);
        assertThat(InConnectionProbes.slot(k, InConnectionProbes.sequenceNumber(k, 1024))).as("beyond the last").isEqualTo(-1);
        assertThat(InConnectionProbes.slot(k, 0xffffffe0)).as("before snd_nxt").isEqualTo(-1);
        assertThat(InConnectionKey.maxSlotFor(65160)).as("a Linux SYN-ACK's window: 1,024 probes").isEqualTo(1023);
        assertThat(InConnectionKey.maxSlotFor(64)).as("bytes within half the window").isEqualTo(14);
        assertThat(InConnectionKey.maxSlotFor(3)).isEqualTo(-1);
    }

    // ---- the SYN-ACK ---------------------------------------------------------------------------------

    @Test
    void theSynAckGivesTheSequenceStateAndTheOptions() {
        byte[] options = {2, 4, 0x05, (byte) 0xb4, 4, 2, 8, 10, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, (byte) 0x88,
            1, 3, 3, 7};
        byte[] synAck = segment(SERVICE, LOCAL, 0x6fffffff, SEND_NEXT, 0x12, 65160, options, 0);
        Handshake h = InConnectionProbes.handshake(bounded(synAck), 0, synAck.length);
        assertThat(h).isEqualTo(new Handshake(0x6fffffff, SEND_NEXT, 65160, true, true, 0x11223344, 0x55667788));

        byte[] noSack = segment(SERVICE, LOCAL, 1, 2, 0x12, 1000, new byte[] {2, 4, 0x05, (byte) 0xb4}, 0);
        assertThat(InConnectionProbes.handshake(bounded(noSack), 0, noSack.length))
                .isEqualTo(new Handshake(1, 2, 1000, false, false, 0, 0));
        byte[] inIpv4 = ipv4(DESTINATION, HOST, 60, 9, 6, synAck);
        assertThat(InConnectionProbes.handshake(bounded(inIpv4), 20, inIpv4.length)).isEqualTo(h);
        for (int flags : new int[] {0x10, 0x02, 0x14, 0x13}) { // ACK, SYN, RST|ACK, SYN|ACK|FIN
            byte[] other = segment(SERVICE, LOCAL, 1, 2, flags, 1000, new byte[0], 0);
            assertThat(InConnectionProbes.handshake(bounded(other), 0, other.length)).as("flags %x", flags).isNull();
        }
        byte[] cut = Arrays.copyOf(synAck, 30); // its options cut short
        assertThat(InConnectionProbes.handshake(bounded(cut), 0, cut.length)).isNull();
    }

    // ---- routers' quotes ---------------------------------------------------------------------------

    @Test
    void aWholeQuoteOfAProbeIsMatchedAndCarriesWhatTheRouterQuoted() {
        InConnectionKey k = key(false, true, SEND_NEXT);
        RecordingConnectionTarget t = new RecordingConnectionTarget(k);
        byte[] probe = sent(k, 12, PEER_NEXT, 5000);
        ProbeResponse r = deliveredV4(t, quoted(probe, PortKey.ipId(IP_ID_KEY, 12)));
        assertThat(r.sequence()).isEqualTo(12);
        assertThat(r.kind()).isEqualTo(ResponseKind.TIME_EXCEEDED);
        assertThat(r.responder()).isEqualTo(address(ROUTER));
        assertThat(r.quotedTtl()).isEqualTo(1);
        assertThat(r.quotedIpId()).isEqualTo(PortKey.ipId(IP_ID_KEY, 12));
        assertThat(r.quotedChecksum()).isEqualTo(getShort(probe, 16)).isEqualTo(r.sentChecksum());
        assertThat(r.checksumDelta()).isZero();
    }

    @Test
    void onIpv4EightQuotedBytesAreEnoughWithTheKeyedIdentification() {
        InConnectionKey k = key(false, true, SEND_NEXT);
        RecordingConnectionTarget t = new RecordingConnectionTarget(k);
        byte[] probe = sent(k, 3, PEER_NEXT, 5000);
        ProbeResponse r = deliveredV4(t, quoted(Arrays.copyOf(probe, 8), PortKey.ipId(IP_ID_KEY, 3)));
        assertThat(r.sequence()).isEqualTo(3);
        assertThat(r.quotedChecksum()).as("not quoted").isEqualTo(ProbeResponse.UNKNOWN);
    }

    @Test
    void aWrongSequenceNumberIsNoProbe() {
        InConnectionKey k = key(false, true, SEND_NEXT);
        RecordingConnectionTarget t = new RecordingConnectionTarget(k);
        byte[] probe = sent(k, 4, PEER_NEXT, 5000);
        int id = PortKey.ipId(IP_ID_KEY, 4);
        for (int seq : new int[] {SEND_NEXT, SEND_NEXT + 1, SEND_NEXT + 11, SEND_NEXT + 2 + 2 * 1024,
            InConnectionProbes.sequenceNumber(k, 5)}) { // the FIN's byte, the hole, between probes, beyond, never sent
            byte[] q = probe.clone();
            putInt(q, 4, seq);
            assertThat(receiveV4(t, quoted(q, id))).as("sequence %x", seq).isEqualTo(DropReason.UNRELATED);
        }
        byte[] otherPort = probe.clone();
        putShort(otherPort, 2, SERVICE + 1);
        assertThat(receiveV4(t, quoted(otherPort, id))).as("another destination port").isEqualTo(DropReason.UNRELATED);
        assertThat(t.responses).isEmpty();
        assertThat(receiveV4(t, quoted(probe, id))).as("the probe itself").isNull();
    }

    @Test
    void aQuoteRewrittenToAnotherProbeIsUnmatched() {
        InConnectionKey k = key(false, true, SEND_NEXT);
        RecordingConnectionTarget t = new RecordingConnectionTarget(k);
        byte[] five = sent(k, 5, PEER_NEXT, 5000);
        byte[] six = sent(k, 6, PEER_NEXT, 5001);
        byte[] rewritten = five.clone();
        putInt(rewritten, 4, InConnectionProbes.sequenceNumber(k, 6)); // probe 5's quote, the next probe's number
        int id5 = PortKey.ipId(IP_ID_KEY, 5);
        assertThat(receiveV4(t, quoted(Arrays.copyOf(rewritten, 8), id5))).as("8 bytes: the identification is 5's")
                .isEqualTo(DropReason.UNRELATED);
        assertThat(receiveV4(t, quoted(Arrays.copyOf(rewritten, 8), (id5 + 1) & 0xffff)))
                .as("and its identification + 1: keyed, not 6's").isEqualTo(DropReason.UNRELATED);
        assertThat(receiveV4(t, quoted(rewritten, PortKey.ipId(IP_ID_KEY, 6))))
                .as("whole, with 6's identification: the TSval is 5's").isEqualTo(DropReason.UNRELATED);
        byte[] ack = six.clone();
        ack[11] ^= 1; // every other quoted byte must be the probe's
        assertThat(receiveV4(t, quoted(ack, PortKey.ipId(IP_ID_KEY, 6)))).as("a rewritten acknowledgment")
                .isEqualTo(DropReason.UNRELATED);
        byte[] data = six.clone();
        data[32] = 1;
        assertThat(receiveV4(t, quoted(data, PortKey.ipId(IP_ID_KEY, 6)))).as("a rewritten data byte")
                .isEqualTo(DropReason.UNRELATED);
        assertThat(t.responses).isEmpty();
        assertThat(receiveV4(t, quoted(six, PortKey.ipId(IP_ID_KEY, 6)))).isNull();
        assertThat(t.responses).singleElement().extracting(ProbeResponse::sequence).isEqualTo(6);
    }

    @Test
    void aNatThatLeavesTheQuotedChecksumTranslatedStillMatchesOnIpv4AndShowsIt() {
        InConnectionKey k = key(false, true, SEND_NEXT);
        RecordingConnectionTarget t = new RecordingConnectionTarget(k);
        byte[] probe = sent(k, 9, PEER_NEXT, 5000);
        byte[] translated = probe.clone();
        putShort(translated, 16, getShort(probe, 16) ^ 0x0f0f);
        ProbeResponse r = deliveredV4(t, quoted(translated, PortKey.ipId(IP_ID_KEY, 9)));
        assertThat(r.sequence()).isEqualTo(9);
        assertThat(r.checksumDelta()).isNotZero().isNotEqualTo(ProbeResponse.UNKNOWN);
    }

    @Test
    void onIpv6TheWholeQuoteChecksumIncludedMustAgreeAndEightBytesProveNothing() {
        InConnectionKey k = key(true, true, SEND_NEXT);
        RecordingConnectionTarget t = new RecordingConnectionTarget(k);
        byte[] probe = sent(k, 2, PEER_NEXT, 7000);
        byte[] whole = icmpError(3, 0, ipv6(HOST6, DESTINATION6, 1, 6, 0, probe));
        assertThat(receiveV6(t, whole)).isNull();
        assertThat(t.responses).singleElement().satisfies(r -> {
            assertThat(r.sequence()).isEqualTo(2);
            assertThat(r.responder()).isEqualTo(address(ROUTER6));
            assertThat(r.quotedIpId()).isEqualTo(ProbeResponse.UNKNOWN);
        });
        t.responses.clear();
        assertThat(receiveV6(t, icmpError(3, 0, ipv6(HOST6, DESTINATION6, 1, 6, 0, Arrays.copyOf(probe, 8)))))
                .isEqualTo(DropReason.QUOTE_TOO_SHORT);
        byte[] other = probe.clone();
        putShort(other, 16, getShort(probe, 16) ^ 1);
        assertThat(receiveV6(t, icmpError(3, 0, ipv6(HOST6, DESTINATION6, 1, 6, 0, other)))).as("the checksum")
                .isEqualTo(DropReason.UNRELATED);
        byte[] rewritten = probe.clone();
        sent(k, 3, PEER_NEXT, 7000);
        putInt(rewritten, 4, InConnectionProbes.sequenceNumber(k, 3));
        assertThat(receiveV6(t, icmpError(3, 0, ipv6(HOST6, DESTINATION6, 1, 6, 0, rewritten))))
                .as("another probe's number, the checksum left").isEqualTo(DropReason.UNRELATED);
        assertThat(t.responses).isEmpty();
    }

    @Test
    void aQuoteOfAnotherConnectionOrProtocolIsUnrelated() {
        InConnectionKey k = key(false, true, SEND_NEXT);
        RecordingConnectionTarget t = new RecordingConnectionTarget(k);
        byte[] probe = sent(k, 1, PEER_NEXT, 5000);
        int id = PortKey.ipId(IP_ID_KEY, 1);
        byte[] packet = ipv4(ROUTER, HOST, 61, 1, 1, icmpError(11, 0, ipv4(HOST, ROUTER, 1, id, 6, probe)));
        assertThat(receive(t, packet)).as("quoted to another address").isEqualTo(DropReason.UNRELATED);
        packet = ipv4(ROUTER, HOST, 61, 1, 1, icmpError(11, 0, ipv4(HOST, DESTINATION, 1, id, 17, probe)));
        assertThat(receive(t, packet)).as("UDP").isEqualTo(DropReason.UNRELATED);
        byte[] otherLocal = probe.clone();
        putShort(otherLocal, 0, LOCAL + 1);
        assertThat(receiveV4(t, quoted(otherLocal, id))).as("another local port: no session").isEqualTo(DropReason.UNRELATED);
    }

    // ---- the destination's acknowledgments ---------------------------------------------------------

    @Test
    void theDestinationsDuplicateAckNamesTheProbeInItsFirstSackBlock() {
        InConnectionKey k = key(false, true, SEND_NEXT);
        sent(k, 3, PEER_NEXT, 1);
        sent(k, 5, PEER_NEXT, 1);
        int[] slots = new int[4];
        byte[] ack = sack(k, 0x10, PEER_NEXT, 0, 5, 3);
        assertThat(answered(k, ack, slots)).as("the trigger, then a probe whose ACK was held back").isEqualTo(2);
        assertThat(slots[0]).isEqualTo(5);
        assertThat(slots[1]).isEqualTo(3);
        assertThat(answered(k, ack, slots)).as("each answered once").isZero();

        sent(k, 5, PEER_NEXT, 2); // number 5 sent again
        assertThat(answered(k, sack(k, 0x10, PEER_NEXT, 0, 3, 5), slots)).as("a reused number in a later block")
                .isZero();
        assertThat(answered(k, sack(k, 0x18, PEER_NEXT, 10, 5, 3), slots)).as("the first block of data").isZero();
        assertThat(answered(k, sack(k, 0x11, PEER_NEXT, 0, 5), slots)).as("the first block of a FIN").isZero();
        assertThat(answered(k, sack(k, 0x10, PEER_NEXT, 0, 5, 3), slots)).as("a pure ACK's first block").isEqualTo(1);
        assertThat(slots[0]).isEqualTo(5);

        byte[] inIpv4 = ipv4(DESTINATION, HOST, 60, 9, 6, sack(k, 0x10, PEER_NEXT, 0, 7));
        sent(k, 7, PEER_NEXT, 3);
        assertThat(InConnectionProbes.answered(bounded(inIpv4), 20, inIpv4.length, k, new int[8], slots)).isEqualTo(1);
        assertThat(slots[0]).isEqualTo(7);
    }

    @Test
    void aSegmentThatIsNoDuplicateAckOfTheConnectionAnswersNothing() {
        InConnectionKey k = key(false, true, SEND_NEXT);
        sent(k, 3, PEER_NEXT, 1);
        int[] slots = new int[4];
        byte[] wrongAck = sack(k, 0x10, PEER_NEXT, 0, 3);
        putInt(wrongAck, 8, SEND_NEXT + 1);
        assertThat(answered(k, wrongAck, slots)).as("acknowledges the FIN: not a duplicate ACK").isZero();
        assertThat(answered(k, sack(k, 0x14, PEER_NEXT, 0, 3), slots)).as("RST").isZero();
        assertThat(answered(k, sack(k, 0x12, PEER_NEXT, 0, 3), slots)).as("SYN-ACK").isZero();
        byte[] merged = sack(k, 0x10, PEER_NEXT, 0, 3);
        putInt(merged, 20 + 12 + 2 + 2 + 4, InConnectionProbes.sequenceNumber(k, 3) + 3); // [3's byte, + 3)
        assertThat(answered(k, merged, slots)).as("a block of more than one byte").isZero();
        byte[] noSack = segment(SERVICE, LOCAL, PEER_NEXT, SEND_NEXT, 0x10, 500, new byte[0], 0);
        assertThat(answered(k, noSack, slots)).as("no SACK").isZero();
        assertThat(answered(k, sack(k, 0x10, PEER_NEXT, 0, 3), slots)).as("the right one").isEqualTo(1);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static int answered(InConnectionKey k, byte[] segment, int[] slots) {
        return InConnectionProbes.answered(bounded(segment), 0, segment.length, k, new int[8], slots);
    }

    /**
     * A segment from the destination to the connection (acknowledgment sendNext) with these flags, {@code data}
     * zero bytes of payload and, as Linux writes them, timestamps then one SACK block per probe named.
     */
    private static byte[] sack(InConnectionKey k, int flags, int seq, int data, int... probes) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(new byte[] {1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 8, 1, 1, 5, (byte) (2 + 8 * probes.length)});
        for (int p : probes) {
            byte[] block = new byte[8];
            putInt(block, 0, InConnectionProbes.sequenceNumber(k, p));
            putInt(block, 4, InConnectionProbes.sequenceNumber(k, p) + 1);
            o.writeBytes(block);
        }
        while (o.size() % 4 != 0) {
            o.write(1);
        }
        return segment(SERVICE, LOCAL, seq, k.sendNext, flags, 500, o.toByteArray(), data);
    }

    private static byte[] segment(int source, int destination, int seq, int ack, int flags, int window, byte[] options,
            int data) {
        int header = 20 + options.length;
        byte[] s = new byte[header + data];
        putShort(s, 0, source);
        putShort(s, 2, destination);
        putInt(s, 4, seq);
        putInt(s, 8, ack);
        s[12] = (byte) ((header / 4) << 4);
        s[13] = (byte) flags;
        putShort(s, 14, window);
        System.arraycopy(options, 0, s, 20, options.length);
        return s;
    }

    /** A Time Exceeded from ROUTER quoting {@code transport} sent from HOST to DESTINATION with identification {@code id}. */
    private static byte[] quoted(byte[] transport, int id) {
        byte[] inner = ipv4(HOST, DESTINATION, 1, id, 6, transport);
        return icmpError(11, 0, inner);
    }

    private ProbeResponse deliveredV4(RecordingConnectionTarget t, byte[] icmp) {
        assertThat(receiveV4(t, icmp)).isNull();
        assertThat(t.responses).hasSize(1);
        return t.responses.get(0);
    }

    private @Nullable DropReason receiveV4(RecordingConnectionTarget t, byte[] icmp) {
        return receive(t, ipv4(ROUTER, HOST, 61, 1, 1, icmp));
    }

    private @Nullable DropReason receive(RecordingConnectionTarget t, byte[] packet) {
        Pointer p = bounded(packet);
        DropReason malformed = quote.parseV4(p, packet.length);
        return malformed != null ? malformed : InConnectionTransport.onQuote(quote, p, 42L,
                port -> port == LOCAL ? t : null, addresses, scratch);
    }

    private @Nullable DropReason receiveV6(RecordingConnectionTarget t, byte[] icmp6) {
        Pointer p = bounded(icmp6);
        Sockets.writeSockaddr(name.pointer(), address(ROUTER6), 0);
        DropReason malformed = quote.parseV6(p, icmp6.length, name.pointer(), 0, 63);
        return malformed != null ? malformed : InConnectionTransport.onQuote(quote, p, 42L,
                port -> port == LOCAL ? t : null, addresses, scratch);
    }

    /** The pseudo-header and the segment, for checking the checksum. */
    private static byte[] pseudo(byte[] source, byte[] destination, byte[] segment) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(source);
        o.writeBytes(destination);
        o.writeBytes(new byte[] {0, 6, (byte) (segment.length >>> 8), (byte) segment.length});
        o.writeBytes(segment);
        if (segment.length % 2 != 0) {
            o.write(0);
        }
        return o.toByteArray();
    }
}
