package io.pathprobe.linux.internal;

import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeResponse;
import jnr.ffi.Pointer;

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
 * The probe number is in the UDP checksum, inside the 8 bytes every router quotes, and in the
 * IPv4 identification ({@link PortKey#ipId}: a router that resets the quoted checksum, as FreeBSD
 * does, still quotes it); the ports, hence the flow a load balancer sees, stay those of the flow.
 * IPv6 has no identification: the checksum alone carries the probe number there (and the
 * destination port in PER_PROBE sessions).
 */
final class UdpProbes {
    /** The default probe: UDP header and 16 payload bytes. */
    static final int LENGTH = 24;
    /** The fewest payload bytes: the compensation word and the cookie. */
    static final int MIN_PAYLOAD = 10;
    private static final int OFF_CHECKSUM = 6;
    private static final int OFF_COMPENSATION = 8;
    private static final int OFF_COOKIE = 10;
    private static final int OFF_FILL = 18;

    private UdpProbes() {}

    /** Writes the probe's UDP header and payload at {@code at}, for destination port 0 and no checksum yet. */
    static void write(Pointer p, long at, int sourcePort, long cookie) {
        write(p, at, sourcePort, cookie, LENGTH);
    }

    /** {@link #write(Pointer, long, int, long)} for a probe of {@code length} bytes (header included). */
    static void write(Pointer p, long at, int sourcePort, long cookie, int length) {
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

    /** The sum of the words that never change (destination port, checksum and compensation being 0) and the pseudo-header. */
    static int baseSum(Pointer p, long at, int pseudoHeaderSum) {
        return baseSum(p, at, pseudoHeaderSum, LENGTH);
    }

    /** {@link #baseSum(Pointer, long, int)} of a probe of {@code length} bytes. */
    static int baseSum(Pointer p, long at, int pseudoHeaderSum, int length) {
        return IcmpEcho.onesAdd(pseudoHeaderSum, RawPackets.onesSum(p, at, length));
    }

    /** The checksum probe {@code sequence} is sent with. */
    static int checksum(int sequence) {
        return sequence + 1;
    }

    /** Sets the destination port, the compensation and the checksum of probe {@code sequence}. */
    static void setProbe(Pointer p, long at, int baseSum, int destinationPort, int sequence) {
        int checksum = checksum(sequence);
        int sum = IcmpEcho.onesAdd(baseSum, destinationPort);
        Sockets.writeBigEndianShort(p, at + 2, destinationPort);
        Sockets.writeBigEndianShort(p, at + OFF_COMPENSATION, IcmpEcho.onesAdd(~checksum & 0xffff, ~sum & 0xffff));
        Sockets.writeBigEndianShort(p, at + OFF_CHECKSUM, checksum);
    }

    /**
     * The probe number of the session's probe quoted in {@code q} (whose quoted source port is the
     * session's and destination its destination), or -1 when the quote is not one of the
     * session's probes: a destination port outside the session's, another cookie (when quoted),
     * or no probe number that was sent and agrees with what was quoted. The number comes from the
     * quoted checksum, checked against the quoted IPv4 identification (as sent, one higher, or
     * byte-swapped): when they agree, that probe or none; only when they disagree (the checksum was
     * changed by a NAT or reset by a router) from the identification alone (IPv4), first as sent,
     * then one higher, then byte-swapped. PER_PROBE sessions read it from the destination port.
     */
    static int matchQuote(IcmpQuote q, Pointer d, PortKey k) {
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
        if (q.available >= OFF_COOKIE + 8) {
            long cookie = Sockets.readBigEndianLong(d, q.transport + OFF_COOKIE);
            if (cookie != k.cookie) {
                return -1; // fully quoted, and not our payload
            }
        }
        int checksum = q.transportShort(d, OFF_CHECKSUM);
        if (k.policy == FlowPolicy.PER_PROBE) {
            return k.wasSent(port) && (q.ipv6 || PortKey.ipIdMatches(q.quotedIpId, port) || checksum == checksum(port))
                    ? port : -1;
        }
        int bySum = checksum - 1;
        if (checksum > 0 && (q.ipv6 || PortKey.ipIdMatches(q.quotedIpId, bySum))) {
            return k.wasSent(bySum) ? bySum : -1; // checksum and IP ID agree: that probe or none
        }
        if (q.ipv6 || q.quotedIpId == ProbeResponse.UNKNOWN) {
            return -1;
        }
        int id = q.quotedIpId;
        for (int candidate : new int[] {(id - 1) & 0xffff, (id - 2) & 0xffff, (IcmpQuote.swap16(id) - 1) & 0xffff}) {
            if (k.wasSent(candidate) && PortKey.ipIdMatches(id, candidate)) {
                return candidate;
            }
        }
        return -1;
    }
}
