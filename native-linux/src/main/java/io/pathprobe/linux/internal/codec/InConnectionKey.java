package io.pathprobe.linux.internal.codec;

import io.pathprobe.linux.internal.socket.Abi;
import io.pathprobe.linux.internal.socket.Destination;
import io.pathprobe.nativecommon.InternetChecksum;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * What the answers of one linux-tcp-in-connection session are checked against: the connection as the
 * handshake left it (addresses, ports, this side's next sequence number, the options both ends agreed on)
 * and, per probe number, what its last segment carried (acknowledgment number, timestamp, checksum), how
 * many times the number was sent and whether its last segment was answered. The connection's values are
 * final; the per-probe ones are written by the sending thread before the segment leaves and published by
 * the volatile write of {@link #recordSend}, read by the I/O thread after the volatile read of
 * {@link #sends}.
 *
 * <p>Probe {@code n} is the one-byte segment at sequence number {@code sendNext + GAP + 2n}
 * ({@link InConnectionProbes}): every probe's byte lies beyond a gap of {@value InConnectionProbes#GAP}
 * bytes the connection never fills, with a byte between any two probes, so no two probes' bytes are ever
 * adjacent and the destination's SACK blocks name each one alone.
 */
public final class InConnectionKey {
    public final Destination destination;
    public final boolean ipv6;
    /** The connection's local address (the probes' source) and the destination's, in network order. */
    public final byte[] source;
    public final byte[] destinationBytes;
    public final int localPort;
    final int remotePort;
    /** This side's next sequence number when the connection was established (the SYN-ACK's acknowledgment). */
    public final int sendNext;
    /** The destination's first data sequence number (the SYN-ACK's sequence number + 1). */
    public final int peerNext;
    /** Whether both ends agreed on TCP timestamps (RFC 7323): every probe then carries the option. */
    public final boolean timestamps;
    /** The destination's TSval in its SYN-ACK: the probes' TSecr. */
    final int echoedTsVal;
    /** The window field of every probe (64 KiB at this side's window scale, as the kernel advertises). */
    final int window;
    /** The largest probe number: the probes' bytes stay within the destination's window, by half. */
    public final int maxSlot;
    /** The odd multiplier of the probes' IPv4 identifications ({@link PortKey#ipId(int, int)}). */
    public final int ipIdKey;
    /** The segment's length: TCP header, timestamp option when agreed, one data byte. */
    public final int segmentLength;
    /** The ones' complement sum of the pseudo-header of a segment of {@link #segmentLength}. */
    final int pseudoSum;

    /** Per probe number: the times it was sent, shifted left once; bit 0 set once its last send was answered. */
    private final AtomicIntegerArray state;
    private final int[] acks;
    private final int[] tsVals;
    private final int[] checksums;

    public InConnectionKey(Destination destination, byte[] source, int localPort, int remotePort, int sendNext,
            int peerNext,
            boolean timestamps, int echoedTsVal, int window, int maxSlot, int ipIdKey) {
        if ((ipIdKey & 1) == 0) {
            throw new IllegalArgumentException("the IP ID key must be odd: " + ipIdKey);
        }
        if (maxSlot < 0) {
            throw new IllegalArgumentException("maxSlot must not be negative: " + maxSlot);
        }
        this.destination = destination;
        this.ipv6 = destination.ipv6;
        this.source = source.clone();
        this.destinationBytes = destination.address.getAddress();
        if (this.source.length != destinationBytes.length) {
            throw new IllegalArgumentException("source and destination of different families");
        }
        this.localPort = localPort;
        this.remotePort = remotePort;
        this.sendNext = sendNext;
        this.peerNext = peerNext;
        this.timestamps = timestamps;
        this.echoedTsVal = echoedTsVal;
        this.window = window;
        this.maxSlot = maxSlot;
        this.ipIdKey = ipIdKey & 0xffff;
        this.segmentLength = InConnectionProbes.segmentLength(timestamps);
        this.pseudoSum = InternetChecksum.pseudoHeaderSum(this.source, destinationBytes, Abi.IPPROTO_TCP,
                segmentLength);
        this.state = new AtomicIntegerArray(maxSlot + 1);
        this.acks = new int[maxSlot + 1];
        this.tsVals = new int[maxSlot + 1];
        this.checksums = new int[maxSlot + 1];
    }

    /**
     * The largest probe number for a destination that advertised {@code window} bytes (its SYN-ACK's window,
     * never scaled): probe bytes within half of it (so that firewalls tracking windows, and the destination,
     * see every probe inside the window however the window moves), and at most 1,024 probes, -1 when the window
     * cannot hold one.
     */
    public static int maxSlotFor(int window) {
        int span = window / 2 - InConnectionProbes.GAP;
        return Math.min(1023, span / 2 - 1);
    }

    /** On the sending thread, before the segment leaves: what probe {@code slot} carries this time. */
    public void recordSend(int slot, int ack, int tsVal, int checksum) {
        acks[slot] = ack;
        tsVals[slot] = tsVal;
        checksums[slot] = checksum;
        int sends = Math.min(state.get(slot) >>> 1, 0x3fffffff - 1) + 1;
        state.set(slot, sends << 1); // publishes the values above; not answered yet
    }

    /** How many times probe {@code slot} was sent (0 for a number never sent or out of range). */
    public int sends(int slot) {
        return slot < 0 || slot > maxSlot ? 0 : state.get(slot) >>> 1;
    }

    /** Marks the last send of probe {@code slot} answered; false if it already was (or was never sent). */
    boolean markAnswered(int slot) {
        while (true) {
            int s = state.get(slot);
            if (s >>> 1 == 0 || (s & 1) != 0) {
                return false;
            }
            if (state.compareAndSet(slot, s, s | 1)) {
                return true;
            }
        }
    }

    /** The acknowledgment number probe {@code slot} last carried (after {@link #sends} said it was sent). */
    int ack(int slot) {
        return acks[slot];
    }

    /** The TSval probe {@code slot} last carried. */
    int tsVal(int slot) {
        return tsVals[slot];
    }

    /** The TCP checksum probe {@code slot} was last sent with. */
    public int checksum(int slot) {
        return checksums[slot];
    }

    @Override
    public String toString() {
        return "connection " + destination + " port " + remotePort + " from port " + localPort + ", next "
                + Integer.toUnsignedString(sendNext) + (timestamps ? ", timestamps" : "") + ", probes 0.." + maxSlot;
    }
}
