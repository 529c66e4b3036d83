package io.pathprobe.linux.internal.codec;

import static io.pathprobe.nativecommon.IcmpEchoFormat.ECHO_REQUEST;
import static io.pathprobe.nativecommon.IcmpEchoFormat.ECHO_REQUEST_V6;
import static io.pathprobe.nativecommon.IcmpEchoFormat.HEADER;
import static io.pathprobe.nativecommon.IcmpEchoFormat.LENGTH;
import static io.pathprobe.nativecommon.IcmpEchoFormat.OFF_COMPENSATION;
import static io.pathprobe.nativecommon.IcmpEchoFormat.OFF_COOKIE;
import static io.pathprobe.nativecommon.IcmpEchoFormat.OFF_FILL;
import static io.pathprobe.nativecommon.IcmpEchoFormat.OFF_ID;
import static io.pathprobe.nativecommon.IcmpEchoFormat.OFF_SEQ;
import static io.pathprobe.nativecommon.IcmpEchoFormat.compensation;
import static io.pathprobe.nativecommon.IcmpEchoFormat.fill;
import static io.pathprobe.nativecommon.IcmpEchoFormat.flowChecksum;
import static io.pathprobe.nativecommon.IcmpEchoFormat.length;
import static io.pathprobe.nativecommon.InternetChecksum.onesAdd;

import io.pathprobe.linux.internal.libc.Pointer;
import io.pathprobe.linux.internal.socket.Sockets;
import io.pathprobe.nativecommon.IcmpEchoFormat;

/**
 * The ICMP / ICMPv6 echo request the ICMP transports send, and the checks on what comes back.
 *
 * <pre>
 *  0      type (8, or 128 for ICMPv6), code 0
 *  2      checksum
 *  4      identifier
 *  6      sequence
 *  8..15  cookie: 8 random bytes chosen per session
 * 16..17  compensation: makes the ones' complement sum of the message, hence its checksum,
 *         the one chosen for the probe's flow whatever its sequence ({@link IcmpEchoFormat#flowChecksum}), so
 *         routers that hash ICMP flows on the checksum (as load balancers do, type, code and
 *         checksum being the first 4 bytes after the IP header) keep one flow on one path
 * 18..     fixed filler to the message's length: 'A' + (i - 18) % 26 at byte i (40 bytes by
 *         default: 32 data bytes; {@link IcmpEchoFormat#length} for a session's payload size)
 * </pre>
 *
 * <p>Payload size ({@link io.pathprobe.spi.SessionSpec#payloadSize()}, the echo data bytes after the
 * 8-byte header, as {@code ping -s}): at least {@value IcmpEchoFormat#MIN_DATA} (the cookie and the compensation
 * word: below that a reply could not be told from another program's, nor the flow held), at most
 * {@value IcmpEchoFormat#MAX_DATA} for the record; the message is {@code 8 + payloadSize} bytes.
 *
 * <p>The checksum of flow {@code f} is {@code f % 0xffff} (0xffff cannot be the checksum of a
 * message with a non-zero word, so flows 0 and 0xffff share checksum 0): 65535 flows. For ICMPv4
 * that is the checksum on the wire (the kernel computes the same one for ping sockets, since the
 * identifier it writes is the one written here). ICMPv6 checksums also cover a pseudo-header (the
 * source and destination addresses), which adds the same constant to every flow of a session: the
 * flows stay distinct and each stays constant, only the values on the wire are shifted.
 *
 * The cookie is checked whenever the answer carries it (echo replies; Time Exceeded from routers
 * that quote more than 8 bytes, as Linux routers do), which rejects answers to other programs'
 * probes that happen to share an identifier.
 */
public final class IcmpEcho {
    /** IPv4 Destination Unreachable code 4: Fragmentation Needed (and DF set). */
    public static final int FRAG_NEEDED = 4;
    public static final int PACKET_TOO_BIG_V6 = 2;


    private IcmpEcho() {}

    /**
     * Writes an echo request for sequence 0 of flow 0. With {@code checksum} the checksum field is
     * written (raw sockets); otherwise left 0 for the kernel (ping sockets fill identifier and
     * checksum, computing the one {@link #setProbe} aims at).
     */
    public static void writeRequest(Pointer p, boolean ipv6, int identifier, long cookie, boolean checksum) {
        writeRequest(p, LENGTH, ipv6, identifier, cookie, checksum);
    }

    /** {@link #writeRequest(Pointer, boolean, int, long, boolean)} for a message of {@code length} bytes. */
    public static void writeRequest(Pointer p, int length, boolean ipv6, int identifier, long cookie,
            boolean checksum) {
        p.setMemory(0, length, (byte) 0);
        p.putByte(0, (byte) (ipv6 ? ECHO_REQUEST_V6 : ECHO_REQUEST));
        Sockets.writeBigEndianShort(p, OFF_ID, identifier);
        for (int i = 0; i < 8; i++) {
            p.putByte(OFF_COOKIE + i, (byte) (cookie >>> (56 - 8 * i)));
        }
        for (int i = OFF_FILL; i < length; i++) {
            p.putByte(i, fill(i));
        }
        setProbe(p, baseSum(p, length), 0, 0, checksum);
    }

    /**
     * The ones' complement sum of the words of the request at {@code p} that never change: all but
     * the checksum, the sequence and the compensation word. Computed once per session.
     */
    public static int baseSum(Pointer p) {
        return baseSum(p, LENGTH);
    }

    /** {@link #baseSum(Pointer)} of a message of {@code length} bytes (an odd last byte is padded with 0). */
    public static int baseSum(Pointer p, int length) {
        int sum = 0;
        for (int i = 0; i < length; i += 2) {
            if (i != 2 && i != OFF_SEQ && i != OFF_COMPENSATION) {
                int word = i + 1 < length ? Sockets.readBigEndianShort(p, i) : (p.getByte(i) & 0xff) << 8;
                sum = onesAdd(sum, word);
            }
        }
        return sum;
    }

    /**
     * Sets the sequence and the compensation word for {@code flow}: the checksum is
     * {@link IcmpEchoFormat#flowChecksum}({@code flow}) whatever the sequence. With {@code writeChecksum} it is
     * written too (raw sockets); ping sockets leave it to the kernel.
     */
    public static void setProbe(Pointer p, int baseSum, int sequence, int flow, boolean writeChecksum) {
        int checksum = flowChecksum(flow);
        Sockets.writeBigEndianShort(p, OFF_SEQ, sequence);
        Sockets.writeBigEndianShort(p, OFF_COMPENSATION, compensation(baseSum, sequence, checksum));
        if (writeChecksum) {
            Sockets.writeBigEndianShort(p, 2, checksum);
        }
    }

    /**
     * Sets the sequence and a compensation word of 0 (classic, PER_PROBE): the checksum changes with
     * the sequence, {@code ~(baseSum + sequence)}. The checksum field is left to the kernel.
     */
    public static void setClassicProbe(Pointer p, int sequence) {
        Sockets.writeBigEndianShort(p, OFF_SEQ, sequence);
        Sockets.writeBigEndianShort(p, OFF_COMPENSATION, 0);
    }

    public static int sequence(Pointer p, long icmpOffset) {
        return Sockets.readBigEndianShort(p, icmpOffset + OFF_SEQ);
    }

    public static int identifier(Pointer p, long icmpOffset) {
        return Sockets.readBigEndianShort(p, icmpOffset + OFF_ID);
    }

    /** The checksum of the ICMP message at {@code icmpOffset}, as it came. */
    public static int checksumField(Pointer p, long icmpOffset) {
        return Sockets.readBigEndianShort(p, icmpOffset + 2);
    }

    /**
     * Whether an echo reply at {@code icmpOffset}, {@code available} bytes long, is an answer to this
     * session's request: the destination returns the whole payload, so the cookie must be ours.
     */
    public static boolean replyMatches(Pointer p, long icmpOffset, int available, long cookie) {
        return available >= OFF_COOKIE + 8 && payloadMatches(p, icmpOffset, cookie);
    }

    /**
     * Whether an echo request quoted in an ICMP error ({@code available} bytes of it) may be this
     * session's. RFC 792 guarantees only the 8 header bytes; Linux routers quote everything. When
     * the cookie is there it must be ours; all-zero bytes in its place are RFC 4884 padding after
     * an 8-byte quote, not a quote.
     */
    public static boolean quoteMatches(Pointer p, long icmpOffset, int available, long cookie) {
        if (available < HEADER) {
            return false;
        }
        if (available < OFF_COOKIE + 8 || p.getLong(icmpOffset + OFF_COOKIE) == 0) {
            return true;
        }
        return payloadMatches(p, icmpOffset, cookie);
    }

    /** {@link #checkQuote}: the quote disagrees with the probe (another session's, or rewritten). */
    public static final int QUOTE_CONTRADICTS = -1;
    /** {@link #checkQuote}: nothing quoted disagrees, but nothing ties the quote to its sequence either. */
    static final int QUOTE_SHORT = 0;
    /**
     * {@link #checkQuote}: the quoted compensation word is the one this sequence was sent with, and nothing disagrees.
     */
    public static final int QUOTE_PROVES = 1;

    /**
     * Checks an echo request quoted in an ICMP error ({@code available} bytes at {@code icmpOffset})
     * against the probe of its sequence, byte for byte as far as it was quoted: the cookie, the
     * compensation word (which the sequence and the flow's checksum determine:
     * {@code compensation} is the one that sequence was sent with, or UNKNOWN when it is not known),
     * the filler, and, when the whole message was quoted and {@code icmpv4} (no pseudo-header), the
     * quoted checksum recomputed over the quoted bytes. Under Paris every probe of a flow carries one
     * checksum, so a sequence rewritten with the checksum left as sent agrees with the 8 header bytes:
     * only the compensation word (and the checksum over the whole quote) tell. An 8-byte quote (or one
     * followed by RFC 4884 zero padding) is {@link #QUOTE_SHORT}: the caller must prove the sequence
     * otherwise (the IP identification it chose, a classic probe's checksum) or not deliver it.
     */
    public static int checkQuote(Pointer p, long icmpOffset, int available, int length, long cookie, int compensation,
            boolean icmpv4) {
        if (available < HEADER) {
            return QUOTE_CONTRADICTS;
        }
        if (available < OFF_COOKIE + 8 || p.getLong(icmpOffset + OFF_COOKIE) == 0) {
            return QUOTE_SHORT;
        }
        if (!payloadMatches(p, icmpOffset, cookie)) {
            return QUOTE_CONTRADICTS;
        }
        int end = Math.min(available, length);
        for (int i = OFF_FILL; i < end; i++) {
            if ((p.getByte(icmpOffset + i) & 0xff) != (fill(i) & 0xff)) {
                return QUOTE_CONTRADICTS;
            }
        }
        if (available >= length && icmpv4 && checksum(p, icmpOffset, length) != 0) {
            return QUOTE_CONTRADICTS; // the quoted checksum is not the quoted message's: a field was rewritten
        }
        if (available < OFF_COMPENSATION + 2 || compensation < 0) {
            return QUOTE_SHORT;
        }
        return Sockets.readBigEndianShort(p, icmpOffset + OFF_COMPENSATION) == compensation ? QUOTE_PROVES
                : QUOTE_CONTRADICTS;
    }

    /**
     * The compensation word of {@code sequence} sent with {@code checksum} (UNKNOWN: -1) by a session of {@code
     * baseSum} (-1: unknown).
     */
    public static int expectedCompensation(int baseSum, int sequence, int checksum) {
        return baseSum < 0 || checksum < 0 ? -1 : compensation(baseSum, sequence, checksum);
    }

    private static boolean payloadMatches(Pointer p, long icmpOffset, long cookie) {
        return Sockets.readBigEndianLong(p, icmpOffset + OFF_COOKIE) == cookie;
    }

    /** The Internet checksum (RFC 1071) of {@code length} bytes at {@code p}. */
    public static int checksum(Pointer p, int length) {
        return checksum(p, 0, length);
    }

    /** The Internet checksum (RFC 1071) of {@code length} bytes at {@code offset}. */
    public static int checksum(Pointer p, long offset, int length) {
        return ~RawPackets.onesSum(p, offset, length) & 0xffff;
    }
}
