package io.pathprobe.linux.internal;

import java.util.concurrent.ThreadLocalRandom;
import jnr.ffi.Pointer;

/**
 * The ICMP / ICMPv6 echo request the ICMP transports send, and the checks on what comes back.
 *
 * <pre>
 *  0      type (8, or 128 for ICMPv6), code 0
 *  2      checksum
 *  4      identifier
 *  6      sequence
 *  8..15  cookie: 8 random bytes chosen per session
 * 16..17  ~sequence: keeps the ones' complement sum, hence the checksum, the same for every
 *         sequence, so routers that hash ICMP flows on the checksum keep a session on one path
 * 18..39  fixed filler
 * </pre>
 *
 * The cookie is checked whenever the answer carries it (echo replies; Time Exceeded from routers
 * that quote more than 8 bytes, as Linux routers do), which rejects answers to other programs'
 * probes that happen to share an identifier.
 */
final class IcmpEcho {
    static final int LENGTH = 40;
    static final int HEADER = 8;
    static final int ECHO_REQUEST = 8;
    static final int ECHO_REPLY = 0;
    static final int ECHO_REQUEST_V6 = 128;
    static final int ECHO_REPLY_V6 = 129;
    static final int TIME_EXCEEDED = 11;
    static final int DEST_UNREACH = 3;
    static final int TIME_EXCEEDED_V6 = 3;
    static final int DEST_UNREACH_V6 = 1;

    private static final int OFF_ID = 4;
    private static final int OFF_SEQ = 6;
    private static final int OFF_COOKIE = 8;
    private static final int OFF_COMPENSATION = 16;
    private static final int OFF_FILL = 18;

    private IcmpEcho() {}

    /**
     * Writes an echo request for sequence 0. With {@code checksum} the checksum is computed (raw
     * sockets); otherwise left 0 for the kernel (ping sockets fill identifier and checksum).
     */
    static void writeRequest(Pointer p, boolean ipv6, int identifier, long cookie, boolean checksum) {
        p.setMemory(0, LENGTH, (byte) 0);
        p.putByte(0, (byte) (ipv6 ? ECHO_REQUEST_V6 : ECHO_REQUEST));
        Sockets.writeBigEndianShort(p, OFF_ID, identifier);
        for (int i = 0; i < 8; i++) {
            p.putByte(OFF_COOKIE + i, (byte) (cookie >>> (56 - 8 * i)));
        }
        for (int i = OFF_FILL; i < LENGTH; i++) {
            p.putByte(i, (byte) ('A' + i - OFF_FILL));
        }
        setSequence(p, 0);
        if (checksum) {
            Sockets.writeBigEndianShort(p, 2, checksum(p, LENGTH));
        }
    }

    /** Sets the sequence and its compensation word: the checksum stays valid and unchanged. */
    static void setSequence(Pointer p, int sequence) {
        Sockets.writeBigEndianShort(p, OFF_SEQ, sequence);
        Sockets.writeBigEndianShort(p, OFF_COMPENSATION, ~sequence & 0xffff);
    }

    static int sequence(Pointer p, long icmpOffset) {
        return Sockets.readBigEndianShort(p, icmpOffset + OFF_SEQ);
    }

    static int identifier(Pointer p, long icmpOffset) {
        return Sockets.readBigEndianShort(p, icmpOffset + OFF_ID);
    }

    /**
     * Whether an echo reply at {@code icmpOffset}, {@code available} bytes long, is an answer to this
     * session's request: the destination returns the whole payload, so cookie and compensation word
     * must be ours.
     */
    static boolean replyMatches(Pointer p, long icmpOffset, int available, long cookie) {
        return available >= LENGTH && payloadMatches(p, icmpOffset, cookie);
    }

    /**
     * Whether an echo request quoted in an ICMP error ({@code available} bytes of it) may be this
     * session's. RFC 792 guarantees only the 8 header bytes; Linux routers quote everything. When
     * the cookie is there it must be ours; all-zero bytes in its place are RFC 4884 padding after
     * an 8-byte quote, not a quote.
     */
    static boolean quoteMatches(Pointer p, long icmpOffset, int available, long cookie) {
        if (available < HEADER) {
            return false;
        }
        if (available < OFF_COMPENSATION + 2 || p.getLong(icmpOffset + OFF_COOKIE) == 0) {
            return true;
        }
        return payloadMatches(p, icmpOffset, cookie);
    }

    private static boolean payloadMatches(Pointer p, long icmpOffset, long cookie) {
        if (Sockets.readBigEndianLong(p, icmpOffset + OFF_COOKIE) != cookie) {
            return false;
        }
        int sequence = sequence(p, icmpOffset);
        return Sockets.readBigEndianShort(p, icmpOffset + OFF_COMPENSATION) == (~sequence & 0xffff);
    }

    /** A random cookie, never 0 (0 reads as padding). */
    static long newCookie() {
        long c;
        do {
            c = ThreadLocalRandom.current().nextLong();
        } while (c == 0);
        return c;
    }

    /** The Internet checksum (RFC 1071) of {@code length} bytes at {@code p}. */
    static int checksum(Pointer p, int length) {
        int sum = 0;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += Sockets.readBigEndianShort(p, i);
        }
        if ((length & 1) != 0) {
            sum += (p.getByte(length - 1) & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return ~sum & 0xffff;
    }
}
