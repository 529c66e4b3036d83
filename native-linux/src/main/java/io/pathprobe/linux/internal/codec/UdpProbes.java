package io.pathprobe.linux.internal.codec;

import io.pathprobe.linux.internal.libc.Pointer;
import io.pathprobe.linux.internal.socket.PortReservation;
import io.pathprobe.linux.internal.socket.Sockets;
import io.pathprobe.nativecommon.InternetChecksum;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeResponse;

/**
 * The UDP probe linux-raw-udp writes, and how a quote of one is recognised.
 *
 * <pre>
 *  0  source port       fixed for the session (a reserved port, {@link PortReservation})
 *  2  destination port  destinationPort + flow (FIXED, EXPLICIT); destinationPort + sequence (PER_PROBE)
 *  4  length            24 (8 + the payload size: 16 by default, at least {@value #MIN_PAYLOAD})
 *  6  checksum          sequence + 1 (1..0xffff: never 0, "no checksum")
 *  8  compensation      makes the checksum come out as sequence + 1
 * 10  cookie            8 random bytes per session
 * 18  filler            6 bytes by default: 'a' + (i - 18) % 26 at byte i, to the probe's length
 * </pre>
 *
 * The probe number is in the UDP checksum, inside the 8 bytes every router quotes, in the
 * compensation word (a function of the number and the destination port only) and in the IPv4
 * identification ({@link PortKey#ipId(int, int)}, keyed per session: a router that resets the quoted
 * checksum, as FreeBSD does, still quotes it); the ports, hence the flow a load balancer sees, stay
 * those of the flow. IPv6 has no identification: the checksum carries the probe number in the 8
 * bytes, and only a quote of the payload proves it ({@link #matchQuote}).
 */
public final class UdpProbes {
    /** The default probe: UDP header and 16 payload bytes. */
    public static final int LENGTH = 24;
    /** The fewest payload bytes: the compensation word and the cookie. */
    public static final int MIN_PAYLOAD = 10;
    private static final int OFF_CHECKSUM = 6;
    private static final int OFF_COMPENSATION = 8;
    private static final int OFF_COOKIE = 10;
    private static final int OFF_FILL = 18;

    private UdpProbes() {}

    /** Writes the probe's UDP header and payload at {@code at}, for destination port 0 and no checksum yet. */
    public static void write(Pointer p, long at, int sourcePort, long cookie) {
        write(p, at, sourcePort, cookie, LENGTH);
    }

    /** {@link #write(Pointer, long, int, long)} for a probe of {@code length} bytes (header included). */
    public static void write(Pointer p, long at, int sourcePort, long cookie, int length) {
        p.setMemory(at, length, (byte) 0);
        Sockets.writeBigEndianShort(p, at, sourcePort);
        Sockets.writeBigEndianShort(p, at + 4, length);
        for (int i = 0; i < 8; i++) {
            p.putByte(at + OFF_COOKIE + i, (byte) (cookie >>> (56 - 8 * i)));
        }
        for (int i = OFF_FILL; i < length; i++) {
            p.putByte(at + i, (byte) ('a' + (i - OFF_FILL) % 26));
        }
    }

    /**
     * The sum of the words that never change (destination port, checksum and compensation being 0) and the
     * pseudo-header.
     */
    public static int baseSum(Pointer p, long at, int pseudoHeaderSum) {
        return baseSum(p, at, pseudoHeaderSum, LENGTH);
    }

    /** {@link #baseSum(Pointer, long, int)} of a probe of {@code length} bytes. */
    public static int baseSum(Pointer p, long at, int pseudoHeaderSum, int length) {
        return InternetChecksum.onesAdd(pseudoHeaderSum, RawPackets.onesSum(p, at, length));
    }

    /** The checksum probe {@code sequence} is sent with. */
    public static int checksum(int sequence) {
        return sequence + 1;
    }

    /** Sets the destination port, the compensation and the checksum of probe {@code sequence}. */
    public static void setProbe(Pointer p, long at, int baseSum, int destinationPort, int sequence) {
        int checksum = checksum(sequence);
        int sum = InternetChecksum.onesAdd(baseSum, destinationPort);
        Sockets.writeBigEndianShort(p, at + 2, destinationPort);
        Sockets.writeBigEndianShort(p, at + OFF_COMPENSATION, InternetChecksum.compensation(sum, checksum));
        Sockets.writeBigEndianShort(p, at + OFF_CHECKSUM, checksum);
    }

    /** {@link #matchQuote} when the quote is too short to prove which probe it quotes. */
    public static final int TOO_SHORT = -2;

    /**
     * The probe number of the session's probe quoted in {@code q} (whose quoted source port is the
     * session's and destination its destination), -1 when the quote is not one of the session's
     * probes, or {@link #TOO_SHORT} when it proves nothing about which one it is. Every field the
     * probe was sent with is checked as far as it was quoted:
     * <ul>
     *   <li>the destination port (the flow's; PER_PROBE: the probe number), a probe number that was
     *       sent, and (IPv4) the quoted identification, which must be that probe's ({@link PortKey#ipId(int,
     *       int)}: as sent, one higher or byte-swapped). The number comes from the destination port
     *       (PER_PROBE), else from the quoted checksum, else (a checksum reset to 0, or changed by a NAT
     *       on a whole quote) from the identification;</li>
     *   <li>the payload when quoted: the compensation word must be the one that probe carried (it
     *       depends on the probe number and the flow only, not on addresses, so it holds through a NAT
     *       that translated the quoted checksum), then the cookie and the filler, byte for byte.</li>
     * </ul>
     * A quoted checksum that reads as another probe the session sent is a rewrite, never a NAT's
     * translation: not ours (a NAT's translated checksum reads as a number never sent, or, rarely, as
     * one sent: that genuine answer is then lost, not misattributed). An 8-byte quote proves its probe
     * on IPv4 by the identification agreeing with the number in the checksum (or port), or, when the
     * checksum reads as no number sent (a NAT, or reset to 0), by the identification alone exactly as
     * sent (one higher is what a forged "next probe" quotes). On IPv6
     * (no identification) an 8-byte Paris quote proves nothing: a forged checksum would read as another
     * probe's number; a whole quote proves it by its compensation word. Every disagreement is "not
     * ours".
     */
    public static int matchQuote(IcmpQuote q, Pointer d, PortKey k) {
        int port = q.transportShort(d, 2) - k.remoteFirst;
        switch (k.policy) {
            case FIXED:
                if (port != k.flow) {
                    return -1;
                }
                break;
            case EXPLICIT:
                if (port < 0 || port > k.maxFlow) {
                    return -1;
                }
                break;
            default:
                if (port < 0 || port > k.maxSequence) {
                    return -1;
                }
        }
        boolean ipv4 = !q.ipv6 && q.quotedIpId != ProbeResponse.UNKNOWN;
        int length = k.transportLength > 0 ? k.transportLength : LENGTH;
        int base = k.baseSum;
        if (q.transportShort(d, 4) != length) {
            length = q.transportShort(d, 4);
            base = k.transportLength > 0 ? k.baseSumOf(length) : -1;
            if (base < 0) {
                return -1; // another length than any the session sent: not a probe of this session
            }
        }
        boolean payload = q.available >= OFF_COMPENSATION + 2
                // not RFC 4884 padding
                && (q.available < OFF_COOKIE + 8 || Sockets.readBigEndianLong(d, q.transport + OFF_COOKIE) != 0);
        int checksum = q.transportShort(d, OFF_CHECKSUM);
        int sequence;
        if (payload) {
            // the compensation word: NAT-proof (the payload is never translated)
            sequence = fromCompensation(q, d, k, base, port, k.policy == FlowPolicy.PER_PROBE ? port : checksum - 1);
        } else if (k.policy == FlowPolicy.PER_PROBE) {
            sequence = port;
        } else if (checksum > 0) {
            sequence = checksum - 1;
            if (ipv4 && !k.wasSent(sequence)) {
                // a number this session never sent: a checksum translated by a NAT. The identification alone
                // then, exactly as sent (not one higher or byte-swapped: a forged "next probe" is IP ID + 1)
                int byId = PortKey.sequenceOfIpId(k.ipIdKey, q.quotedIpId);
                if (!k.wasSent(byId) || PortKey.ipId(k.ipIdKey, byId) != q.quotedIpId) {
                    return -1;
                }
                sequence = byId;
            }
        } else if (ipv4) {
            sequence = fromIpId(k, q.quotedIpId); // a router reset the quoted checksum
        } else {
            return TOO_SHORT;
        }
        if (sequence < 0 || !k.wasSent(sequence)) {
            return -1;
        }
        if (ipv4 && !k.ipIdOf(q.quotedIpId, sequence)) {
            return -1; // the identification is another probe's: the number was rewritten
        }
        if (k.policy == FlowPolicy.PER_PROBE ? port != sequence : false) {
            return -1;
        }
        if (checksum != checksum(sequence)) {
            if (checksum > 0 && k.wasSent(checksum - 1)) {
                return -1; // the checksum reads as another probe sent: rewritten, not translated by a NAT
            }
            if (ipv4 && PortKey.ipId(k.ipIdKey, sequence) != q.quotedIpId) {
                return -1; // a checksum not the probe's (a NAT's, or reset): only the exact identification proves it
            }
        }
        if (payload) {
            int end = Math.min(q.available, length);
            for (int i = OFF_COOKIE; i < end; i++) {
                int expected = i < OFF_FILL ? (int) (k.cookie >>> (56 - 8 * (i - OFF_COOKIE))) & 0xff
                        : 'a' + (i - OFF_FILL) % 26;
                if ((d.getByte(q.transport + i) & 0xff) != expected) {
                    return -1; // another cookie, or another payload
                }
            }
            return sequence;
        }
        if (!ipv4 && (k.policy != FlowPolicy.PER_PROBE || checksum != checksum(sequence))) {
            return TOO_SHORT; // IPv6, 8 bytes: nothing ties the number to the probe
        }
        return sequence;
    }

    /** The compensation word of probe {@code sequence} to {@code destinationPort} (see {@link #setProbe}). */
    static int compensation(int baseSum, int destinationPort, int sequence) {
        int sum = InternetChecksum.onesAdd(baseSum, destinationPort);
        return InternetChecksum.onesAdd(~checksum(sequence) & 0xffff, ~sum & 0xffff);
    }

    /**
     * The probe number whose compensation word a quote of the payload carries: {@code candidate} (the
     * number of the quoted checksum or port) when its compensation agrees (no NAT), else (IPv4) the one
     * of the identification; -1 if neither.
     */
    private static int fromCompensation(IcmpQuote q, Pointer d, PortKey k, int base, int port, int candidate) {
        if (base < 0) {
            return -1;
        }
        int quoted = q.transportShort(d, OFF_COMPENSATION);
        if (candidate >= 0 && quoted == compensation(base, k.remoteFirst + port, candidate)) {
            return candidate;
        }
        if (!q.ipv6 && q.quotedIpId != ProbeResponse.UNKNOWN) {
            int byId = fromIpId(k, q.quotedIpId);
            if (byId >= 0 && quoted == compensation(base, k.remoteFirst + port, byId)) {
                return byId;
            }
        }
        return -1;
    }

    /** The sent probe number whose identification is {@code id} (as sent, one higher, byte-swapped), or -1. */
    private static int fromIpId(PortKey k, int id) {
        for (int candidate : new int[] {PortKey.sequenceOfIpId(k.ipIdKey, id),
                PortKey.sequenceOfIpId(k.ipIdKey, (id - 1) & 0xffff),
                PortKey.sequenceOfIpId(k.ipIdKey, IcmpQuote.swap16(id))}) {
            if (k.wasSent(candidate) && k.ipIdOf(id, candidate)) {
                return candidate;
            }
        }
        return -1;
    }
}
