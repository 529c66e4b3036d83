package io.pathprobe.linux.internal.codec;

import io.pathprobe.linux.internal.libc.Pointer;
import io.pathprobe.linux.internal.socket.Sockets;
import io.pathprobe.nativecommon.InternetChecksum;
import org.jspecify.annotations.Nullable;

/**
 * The segments linux-tcp-in-connection sends inside an established connection, and how the SYN-ACK, the
 * routers' quotes and the destination's acknowledgments are read. Pure: no socket.
 *
 * <pre>
 *  0  source port       the connection's local port
 *  2  destination port  the connection's (the service's) port
 *  4  sequence number   sendNext + GAP + 2 × probe number: inside the 8 bytes every router quotes
 *  8  acknowledgment    what this side's kernel has received in order (rcv_nxt: the destination's first
 *                       sequence number + tcpi_bytes_received): an ordinary, current acknowledgment
 * 12  data offset, flags ACK | PSH
 * 14  window            64 KiB at this side's window scale
 * 16  checksum
 * 18  urgent pointer    0
 * 20  NOP, NOP, timestamps (TSval: this side's TCP clock now, TSecr: the SYN-ACK's TSval), when agreed
 *     one data byte, 0
 * </pre>
 *
 * <h2>Why the connection stays sound</h2>
 * The kernel owns the connection and never learns of the probes. Its next sequence number is
 * {@code sendNext}: it has sent nothing but the handshake (the tracer writes nothing), and the only sequence
 * number it will ever use again is {@code sendNext} itself, for its FIN when the session closes. Every probe
 * byte lies at {@code sendNext + 2} or beyond, with a byte between any two, so the byte at {@code sendNext + 1}
 * is a hole nothing ever fills: the destination queues the probes out of order, acknowledges them selectively,
 * and can never deliver one to the service, not even after the FIN (Linux drops its out-of-order queue when
 * the FIN arrives, and a stack that kept it would still wait for the hole). The acknowledgment number is what
 * the kernel has received in order, so the probes acknowledge nothing it has not; the probes stay within
 * half the destination's window, so the destination and window-tracking firewalls (Linux conntrack) take
 * them as in-window segments of an ESTABLISHED connection; with timestamps agreed, each carries a TSval no
 * older than the kernel's (PAWS would drop it otherwise) and, being out of order, never becomes the
 * destination's TS.Recent. ICMP errors about the probes quote a sequence number beyond the kernel's
 * {@code snd_nxt}, which {@code tcp_v4_err}/{@code tcp_v6_err} ignore, so they never touch the connection;
 * the destination's duplicate ACKs acknowledge nothing new and carry SACK blocks beyond {@code snd_nxt},
 * which the kernel discards as invalid.
 *
 * <h2>Answers</h2>
 * An ICMP error about a probe quotes its ports and sequence number (every router quotes 8 bytes), hence its
 * number; then on IPv4 the quoted identification must be that probe's ({@link PortKey#ipId(int, int)}, keyed
 * per session), and every other byte quoted (acknowledgment, flags, window, options, data) must be what the
 * probe's last send carried, except the checksum, which a NAT may leave translated (it is reported for the
 * NAT evidence); on IPv6, which has no identification, at least 18 bytes must be quoted and all of them,
 * checksum included, must agree ({@link UdpProbes#TOO_SHORT} otherwise). The destination answers a probe
 * with a duplicate ACK (acknowledgment {@code sendNext}) whose first SACK block is the probe's byte
 * (RFC 2018: the block of the segment that triggered the ACK; a D-SACK block for a probe byte received
 * twice names it the same way).
 */
public final class InConnectionProbes {
    /**
     * The bytes between the kernel's next sequence number and the first probe byte: sendNext (its FIN) and one never
     * sent.
     */
    static final int GAP = 2;
    public static final int HEADER = 20;
    static final int TIMESTAMP_OPTION = 12;
    public static final int FIN = 0x01;
    static final int SYN = 0x02;
    public static final int RST = 0x04;
    static final int PSH = 0x08;
    static final int ACK = 0x10;
    private static final int OPTION_END = 0;
    private static final int OPTION_NOP = 1;
    private static final int OPTION_SACK_PERMITTED = 4;
    private static final int OPTION_SACK = 5;
    private static final int OPTION_TIMESTAMPS = 8;

    private InConnectionProbes() {}

    /**
     * What the destination's SYN-ACK said.
     *
     * @param sequence its sequence number (the destination's initial one)
     * @param acknowledgment its acknowledgment number: this side's next sequence number
     * @param window its window field (never scaled in a SYN)
     * @param sackPermitted whether it carried SACK-permitted
     * @param timestamps whether it carried the timestamps option
     * @param tsVal its TSval (when it carried timestamps)
     * @param tsEcr its TSecr: the TSval of this side's SYN (when it carried timestamps)
     */
    public record Handshake(int sequence, int acknowledgment, int window, boolean sackPermitted, boolean timestamps,
            int tsVal, int tsEcr) {}

    /** The length of a probe: header, the timestamp option when agreed, one data byte. */
    static int segmentLength(boolean timestamps) {
        return HEADER + (timestamps ? TIMESTAMP_OPTION : 0) + 1;
    }

    /** The sequence number of probe {@code slot}. */
    public static int sequenceNumber(InConnectionKey k, int slot) {
        return k.sendNext + GAP + 2 * slot;
    }

    /** The probe whose byte is at {@code sequenceNumber}, or -1 when no probe's is. */
    public static int slot(InConnectionKey k, int sequenceNumber) {
        int offset = sequenceNumber - k.sendNext - GAP; // modulo 2^32, as sequence numbers are
        if (offset < 0 || (offset & 1) != 0 || offset / 2 > k.maxSlot) {
            return -1;
        }
        return offset / 2;
    }

    /**
     * Writes probe {@code slot} with these acknowledgment and TSval into {@code out} (at least
     * {@link InConnectionKey#segmentLength} bytes), checksum included; returns the checksum.
     */
    public static int fill(byte[] out, InConnectionKey k, int slot, int ack, int tsVal) {
        int n = k.segmentLength;
        java.util.Arrays.fill(out, 0, n, (byte) 0);
        putShort(out, 0, k.localPort);
        putShort(out, 2, k.remotePort);
        putInt(out, 4, sequenceNumber(k, slot));
        putInt(out, 8, ack);
        out[12] = (byte) (((n - 1) / 4) << 4); // the header: 20 or 32 bytes
        out[13] = (byte) (ACK | PSH);
        putShort(out, 14, k.window);
        if (k.timestamps) {
            out[20] = OPTION_NOP;
            out[21] = OPTION_NOP;
            out[22] = OPTION_TIMESTAMPS;
            out[23] = 10;
            putInt(out, 24, tsVal);
            putInt(out, 28, k.echoedTsVal);
        }
        int sum = k.pseudoSum;
        for (int i = 0; i < n; i += 2) {
            int word = ((out[i] & 0xff) << 8) | (i + 1 < n ? out[i + 1] & 0xff : 0);
            sum = InternetChecksum.onesAdd(sum, word);
        }
        int checksum = RawPackets.checksumOf(sum);
        putShort(out, 16, checksum);
        return checksum;
    }

    /**
     * The probe number of the session's segment quoted in {@code q}, -1 when it is not one of them (or
     * disagrees with what that probe carried), or {@link UdpProbes#TOO_SHORT} when the quote proves nothing
     * about which one (IPv6, fewer than 18 bytes). The source port was matched by the caller. See the class
     * description; {@code scratch} holds a segment ({@link InConnectionKey#segmentLength} bytes at least).
     */
    public static int matchQuote(IcmpQuote q, Pointer d, InConnectionKey k, byte[] scratch) {
        if (q.transportShort(d, 0) != k.localPort || q.transportShort(d, 2) != k.remotePort) {
            return -1;
        }
        int slot = slot(k, Sockets.readBigEndianInt(d, q.transport + 4));
        if (slot < 0 || k.sends(slot) == 0) {
            return -1;
        }
        boolean byIpId = !q.ipv6 && q.quotedIpId != io.pathprobe.spi.ProbeResponse.UNKNOWN;
        if (byIpId) {
            if (!PortKey.ipIdMatches(k.ipIdKey, q.quotedIpId, slot)) {
                return -1;
            }
        } else if (q.available < 18) {
            return UdpProbes.TOO_SHORT;
        }
        fill(scratch, k, slot, k.ack(slot), k.tsVal(slot));
        int quoted = Math.min(q.available, k.segmentLength);
        for (int i = 8; i < quoted; i++) {
            if (byIpId && (i == 16 || i == 17)) {
                continue; // the checksum: a NAT may leave it translated; reported, not required
            }
            if (d.getByte(q.transport + i) != scratch[i]) {
                return -1;
            }
        }
        return slot;
    }

    /**
     * The SYN-ACK of the connection in the segment at {@code tcp} ({@code length} bytes from the start of
     * the buffer), or null when it is not one (flags other than SYN and ACK, or cut short).
     */
    public static @Nullable Handshake handshake(Pointer d, int tcp, int length) {
        if (length - tcp < HEADER) {
            return null;
        }
        int flags = d.getByte(tcp + 13) & 0xff;
        if ((flags & (SYN | ACK | RST | FIN)) != (SYN | ACK)) {
            return null;
        }
        int headerLength = ((d.getByte(tcp + 12) & 0xff) >>> 4) * 4;
        if (headerLength < HEADER || tcp + headerLength > length) {
            return null;
        }
        boolean sackPermitted = false;
        boolean timestamps = false;
        int tsVal = 0;
        int tsEcr = 0;
        int i = tcp + HEADER;
        int end = tcp + headerLength;
        while (i < end) {
            int kind = d.getByte(i) & 0xff;
            if (kind == OPTION_END) {
                break;
            }
            if (kind == OPTION_NOP) {
                i++;
                continue;
            }
            if (i + 1 >= end) {
                break;
            }
            int optionLength = d.getByte(i + 1) & 0xff;
            if (optionLength < 2 || i + optionLength > end) {
                break; // malformed: what was read so far stands
            }
            if (kind == OPTION_SACK_PERMITTED && optionLength == 2) {
                sackPermitted = true;
            } else if (kind == OPTION_TIMESTAMPS && optionLength == 10) {
                timestamps = true;
                tsVal = Sockets.readBigEndianInt(d, i + 2);
                tsEcr = Sockets.readBigEndianInt(d, i + 6);
            }
            i += optionLength;
        }
        return new Handshake(Sockets.readBigEndianInt(d, tcp + 4), Sockets.readBigEndianInt(d, tcp + 8),
                Sockets.readBigEndianShort(d, tcp + 14), sackPermitted, timestamps, tsVal, tsEcr);
    }

    /**
     * Reads the SACK blocks of the segment at {@code tcp} into {@code edges} (left and right edge of each, in
     * the order sent: the first is the block of the segment that triggered the acknowledgment); returns how
     * many (0 when it carries none, or its options are cut short). {@code edges} holds 8 values.
     */
    static int sackBlocks(Pointer d, int tcp, int length, int[] edges) {
        if (length - tcp < HEADER) {
            return 0;
        }
        int headerLength = ((d.getByte(tcp + 12) & 0xff) >>> 4) * 4;
        if (headerLength < HEADER || tcp + headerLength > length) {
            return 0;
        }
        int i = tcp + HEADER;
        int end = tcp + headerLength;
        while (i < end) {
            int kind = d.getByte(i) & 0xff;
            if (kind == OPTION_END) {
                return 0;
            }
            if (kind == OPTION_NOP) {
                i++;
                continue;
            }
            if (i + 1 >= end) {
                return 0;
            }
            int optionLength = d.getByte(i + 1) & 0xff;
            if (optionLength < 2 || i + optionLength > end) {
                return 0;
            }
            if (kind == OPTION_SACK) {
                int blocks = Math.min(4, (optionLength - 2) / 8);
                for (int b = 0; b < blocks; b++) {
                    edges[2 * b] = Sockets.readBigEndianInt(d, i + 2 + 8 * b);
                    edges[2 * b + 1] = Sockets.readBigEndianInt(d, i + 6 + 8 * b);
                }
                return blocks;
            }
            i += optionLength;
        }
        return 0;
    }

    /**
     * The probes the destination's segment at {@code tcp} answers, into {@code slots} (4 at most), each marked
     * answered; returns how many. A RST, a SYN, a segment without ACK or whose acknowledgment number is not
     * {@code sendNext} (so not a duplicate ACK of this connection) answers none. Its first SACK block answers
     * the probe whose byte it is, unless that probe's last send was answered already; a further block only a
     * probe sent once (its ACK held back and merged into this one by the destination's SACK compression), and
     * a number sent more than once only through the first block of a pure ACK (no data, no FIN), which its
     * latest segment triggered: a block repeated from the destination's list could be an earlier send's.
     * {@code edges} holds 8 values.
     */
    public static int answered(Pointer d, int tcp, int length, InConnectionKey k, int[] edges, int[] slots) {
        if (length - tcp < HEADER) {
            return 0;
        }
        int flags = d.getByte(tcp + 13) & 0xff;
        if ((flags & (RST | SYN)) != 0 || (flags & ACK) == 0 || Sockets.readBigEndianInt(d, tcp + 8) != k.sendNext) {
            return 0;
        }
        int blocks = sackBlocks(d, tcp, length, edges);
        int headerLength = ((d.getByte(tcp + 12) & 0xff) >>> 4) * 4;
        boolean pure = length - tcp == headerLength && (flags & FIN) == 0;
        int n = 0;
        for (int b = 0; b < blocks; b++) {
            if (edges[2 * b + 1] - edges[2 * b] != 1) {
                continue; // not one probe's byte
            }
            int slot = slot(k, edges[2 * b]);
            int sends = k.sends(slot);
            if (sends == 0 || (sends > 1 && (b > 0 || !pure)) || !k.markAnswered(slot)) {
                continue; // never sent; a reused number this segment did not just report; answered already
            }
            slots[n++] = slot;
        }
        return n;
    }

    private static void putShort(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    private static void putInt(byte[] b, int at, int v) {
        putShort(b, at, v >>> 16);
        putShort(b, at + 2, v & 0xffff);
    }
}
