package io.pathprobe.linux.internal.codec;

import io.pathprobe.linux.internal.libc.Pointer;
import io.pathprobe.linux.internal.socket.Sockets;
import io.pathprobe.nativecommon.InternetChecksum;
import io.pathprobe.spi.FlowPolicy;

/**
 * The TCP SYN linux-raw-tcp writes, and how quotes of it and answers to it are recognised.
 *
 * <pre>
 *  0  source port       a reserved port: the session's for FIXED, first + flow (EXPLICIT), first + sequence % ports
 *  (PER_PROBE)
 *  2  destination port  destinationPort
 *  4  sequence number   tag (16 random bits per session) &lt;&lt; 16 | probe number: inside the 8 bytes every router
 *  quotes
 *  8  acknowledgment    0
 * 12  data offset 6, flags SYN
 * 14  window            5840
 * 16  checksum          over the pseudo-header and the segment
 * 18  urgent pointer    0
 * 20  MSS option        1460 (as traceroute -T sends)
 * </pre>
 *
 * Answers: an ICMP error quoting the SYN (ports, tag, a probe number that was sent); a SYN-ACK or
 * a RST from the destination whose acknowledgment number is the SYN's sequence number + 1.
 */
public final class TcpProbes {
    public static final int LENGTH = 24;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int ACK = 0x10;
    private static final int WINDOW = 5840;
    static final int MSS = 1460;

    private TcpProbes() {}

    /** Writes the SYN at {@code at} with source port, sequence number and checksum 0. */
    public static void write(Pointer p, long at, int destinationPort) {
        p.setMemory(at, LENGTH, (byte) 0);
        Sockets.writeBigEndianShort(p, at + 2, destinationPort);
        p.putByte(at + 12, (byte) ((LENGTH / 4) << 4));
        p.putByte(at + 13, (byte) SYN);
        Sockets.writeBigEndianShort(p, at + 14, WINDOW);
        p.putByte(at + 20, (byte) 2);
        p.putByte(at + 21, (byte) 4);
        Sockets.writeBigEndianShort(p, at + 22, MSS);
    }

    public static int baseSum(Pointer p, long at, int pseudoHeaderSum) {
        return InternetChecksum.onesAdd(pseudoHeaderSum, RawPackets.onesSum(p, at, LENGTH));
    }

    public static int sequenceNumber(int tag, int probe) {
        return (tag << 16) | probe;
    }

    /** The checksum of the SYN from {@code sourcePort} with {@code sequenceNumber}. */
    static int checksum(int baseSum, int sourcePort, int sequenceNumber) {
        int sum = InternetChecksum.onesAdd(baseSum, sourcePort);
        sum = InternetChecksum.onesAdd(sum, sequenceNumber >>> 16);
        sum = InternetChecksum.onesAdd(sum, sequenceNumber & 0xffff);
        return RawPackets.checksumOf(sum);
    }

    /** Sets the source port, the sequence number and the checksum; returns the checksum. */
    public static int setProbe(Pointer p, long at, int baseSum, int sourcePort, int sequenceNumber) {
        Sockets.writeBigEndianShort(p, at, sourcePort);
        Sockets.writeBigEndianShort(p, at + 4, sequenceNumber >>> 16);
        Sockets.writeBigEndianShort(p, at + 6, sequenceNumber & 0xffff);
        int checksum = checksum(baseSum, sourcePort, sequenceNumber);
        Sockets.writeBigEndianShort(p, at + 16, checksum);
        return checksum;
    }

    /** The source port of probe {@code sequence} of {@code flow} (the session's flow for FIXED, 0 for PER_PROBE). */
    public static int sourcePort(PortKey k, int sequence, int flow) {
        switch (k.policy) {
            case FIXED: return k.localFirst;
            case EXPLICIT: return k.localFirst + flow;
            default: return k.localFirst + sequence % k.localCount;
        }
    }

    /**
     * The probe number of a SYN of the session from local port {@code localPort} with
     * {@code sequenceNumber}, or -1 if the session never sent such a SYN.
     */
    public static int probe(PortKey k, int localPort, int sequenceNumber) {
        if ((sequenceNumber >>> 16) != k.tag() || localPort - k.localFirst < 0
                || localPort - k.localFirst >= k.localCount) {
            return -1;
        }
        int probe = sequenceNumber & 0xffff;
        if (!k.wasSent(probe)) {
            return -1;
        }
        if (k.policy == FlowPolicy.FIXED && localPort != k.localFirst
                || k.policy == FlowPolicy.PER_PROBE && localPort != sourcePort(k, probe, 0)) {
            return -1;
        }
        return probe;
    }

    /**
     * The probe number of the session's SYN quoted in {@code q}, -1 when it is not one of them, or
     * {@link UdpProbes#TOO_SHORT} when the quote proves nothing about which one. The destination port,
     * the source port and the tag must be the session's and the probe number (in the sequence number)
     * one that was sent from that port; then IPv4: the quoted identification must be that probe's
     * ({@link PortKey#ipId(int, int)}, keyed per session: a sequence number rewritten to another probe's
     * disagrees with it); IPv6 (no identification): the quoted checksum, which covers the sequence
     * number, must be the one that SYN was sent with, or become it once an MSS clamp on the way is taken back
     * out ({@link #clampUndone}) (a router quotes it when it quotes 18 bytes or more; an 8-byte quote proves
     * nothing there).
     */
    public static int matchQuote(IcmpQuote q, Pointer d, PortKey k) {
        if (q.transportShort(d, 2) != k.remoteFirst) {
            return -1;
        }
        int localPort = q.transportShort(d, 0);
        int sequenceNumber = Sockets.readBigEndianInt(d, q.transport + 4);
        int probe = probe(k, localPort, sequenceNumber);
        if (probe < 0) {
            return -1;
        }
        if (!q.ipv6 && q.quotedIpId != io.pathprobe.spi.ProbeResponse.UNKNOWN) {
            return k.ipIdOf(q.quotedIpId, probe) ? probe : -1;
        }
        if (q.available >= 18) {
            int sent = sentChecksum(k, localPort, sequenceNumber);
            int quoted = q.transportShort(d, 16);
            return quoted == sent || clampUndone(q, d, sent) == sent ? probe : -1;
        }
        return UdpProbes.TOO_SHORT;
    }

    /**
     * The quoted checksum with an MSS clamp undone: a box on the way that lowered the SYN's MSS option (an
     * {@code nft ... maxseg size set}, a router's {@code ip tcp adjust-mss}) updated the checksum with it (RFC 1624);
     * taking its change back out gives the checksum the SYN was sent with. -1 when the quote does not hold the
     * option whole or its MSS is the one sent ({@code sent} is then the only match).
     */
    static int clampUndone(IcmpQuote q, Pointer d, int sent) {
        if (q.available < LENGTH || sent < 0 || (d.getByte(q.transport + 12) & 0xff) >>> 4 != LENGTH / 4
                || d.getByte(q.transport + 20) != 2 || d.getByte(q.transport + 21) != 4) {
            return -1;
        }
        int mss = q.transportShort(d, 22);
        if (mss == MSS) {
            return -1;
        }
        int quoted = q.transportShort(d, 16);
        int sum = (~quoted & 0xffff) + (~mss & 0xffff) + MSS;
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        return ~sum & 0xffff;
    }

    /** The checksum the session's SYN from {@code localPort} with {@code sequenceNumber} was sent with, or -1. */
    public static int sentChecksum(PortKey k, int localPort, int sequenceNumber) {
        int base = k.baseSum;
        return base < 0 ? -1 : checksum(base, localPort, sequenceNumber);
    }
}
