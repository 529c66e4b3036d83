package io.pathprobe.linux.internal;

import io.pathprobe.spi.FlowPolicy;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the answers of one raw UDP or TCP session are checked against: its destination, its local
 * (source) ports, its destination ports, its flow policy, a random per-session value and the
 * probe numbers it has sent. Written by the sending thread, read by the I/O thread: the fields
 * are final but {@link #baseSum} (published once the source address is known) and the sent bits
 * (atomic).
 */
final class PortKey {
    final Destination destination;
    final FlowPolicy policy;
    /** The reserved source ports: {@code localFirst .. localFirst + localCount - 1}. */
    final int localFirst;
    final int localCount;
    /** The session's destination port ({@link io.pathprobe.spi.SessionSpec#destinationPort()}). */
    final int remoteFirst;
    /** The flow of a FIXED session; 0 otherwise. */
    final int flow;
    final int maxSequence;
    final int maxFlow;
    /** UDP: the 8 payload bytes after the compensation word. TCP: the low 16 bits are the sequence number's high half. */
    final long cookie;
    /**
     * The ones' complement sum of the transport header words that never change, pseudo-header
     * included (UdpProbes, TcpProbes); -1 until the source address is known.
     */
    volatile int baseSum = -1;
    /**
     * Bit per sequence number sent, grown on demand (a trace uses a few hundred numbers at most, out of
     * 65,536: a full bitmap was 8 KB per session, 8 MB for 1,000 concurrent traces in a 64 MB heap). Grown
     * only by the sending thread (the SPI never sends concurrently for one session), published through the
     * volatile field: a reader sees every bit set before the array it reads was published, and the bits
     * set since in that array.
     */
    private volatile AtomicLongArray sent = new AtomicLongArray(INITIAL_WORDS);
    private static final int INITIAL_WORDS = 2;

    PortKey(Destination destination, FlowPolicy policy, int localFirst, int localCount, int remoteFirst, int flow,
            int maxSequence, int maxFlow, long cookie) {
        this.destination = destination;
        this.policy = policy;
        this.localFirst = localFirst;
        this.localCount = localCount;
        this.remoteFirst = remoteFirst;
        this.flow = flow;
        this.maxSequence = maxSequence;
        this.maxFlow = maxFlow;
        this.cookie = cookie;
    }

    /** A random cookie whose low 16 bits (the TCP tag) are not 0 and whose 8 bytes are not all 0. */
    static long newCookie() {
        long c;
        do {
            c = ThreadLocalRandom.current().nextLong();
        } while ((c & 0xffff) == 0);
        return c;
    }

    /** The TCP tag: the high half of every sequence number the session sends. */
    int tag() {
        return (int) (cookie & 0xffff);
    }

    /** Records that probe {@code sequence} is about to leave (before sendmsg: its answer may be quick). */
    void markSent(int sequence) {
        long bit = 1L << (sequence & 63);
        int word = sequence >>> 6;
        AtomicLongArray bits = sent;
        if (word >= bits.length()) {
            AtomicLongArray grown = new AtomicLongArray(Math.min(65536 / 64, Math.max(word + 1, bits.length() * 2)));
            for (int i = 0; i < bits.length(); i++) {
                grown.set(i, bits.get(i));
            }
            sent = grown;
            bits = grown;
        }
        if ((bits.get(word) & bit) == 0) {
            bits.getAndAccumulate(word, bit, (a, b) -> a | b);
        }
    }

    /** Whether probe {@code sequence} (0..65535) was ever sent by this session. */
    boolean wasSent(int sequence) {
        if (sequence < 0 || sequence > maxSequence) {
            return false;
        }
        AtomicLongArray bits = sent;
        int word = sequence >>> 6;
        return word < bits.length() && (bits.get(word) & (1L << (sequence & 63))) != 0;
    }

    /** Whether a quoted IPv4 identification is what probe {@code sequence} carried, as sent, plus one, or byte-swapped. */
    static boolean ipIdMatches(int quotedIpId, int sequence) {
        int id = ipId(sequence);
        return quotedIpId == id || quotedIpId == ((id + 1) & 0xffff) || quotedIpId == IcmpQuote.swap16(id);
    }

    /** The IPv4 identification of probe {@code sequence}: {@code sequence + 1} (never 0, which lets the kernel choose). */
    static int ipId(int sequence) {
        return (sequence + 1) & 0xffff;
    }
}
