package io.pathprobe.linux.internal.codec;

import io.pathprobe.linux.internal.socket.Destination;
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
public final class PortKey {
    public final Destination destination;
    public final FlowPolicy policy;
    /** The reserved source ports: {@code localFirst .. localFirst + localCount - 1}. */
    public final int localFirst;
    public final int localCount;
    /** The session's destination port ({@link io.pathprobe.spi.SessionSpec#destinationPort()}). */
    public final int remoteFirst;
    /** The flow of a FIXED session; 0 otherwise. */
    public final int flow;
    final int maxSequence;
    final int maxFlow;
    /**
     * UDP: the 8 payload bytes after the compensation word. TCP: the low 16 bits are the sequence number's high half.
     */
    public final long cookie;
    /**
     * The ones' complement sum of the transport header words that never change, pseudo-header
     * included (UdpProbes, TcpProbes); -1 until the source address is known.
     */
    public volatile int baseSum = -1;
    /** The probes' IPv4 ToS byte / IPv6 traffic class (written before the session is published). */
    public volatile int trafficClass;
    /** The probes' source address, published with {@link #baseSum}; null until known. */
    public volatile java.net.@org.jspecify.annotations.Nullable InetAddress source;
    /** {@link #source} as the answers' sent headers carry it. */
    final OptionalAddress sourceOptional = new OptionalAddress();
    /**
     * Bit per sequence number sent, grown on demand (a trace uses a few hundred numbers at most, out of
     * 65,536: a full bitmap was 8 KB per session, 8 MB for 1,000 concurrent traces in a 64 MB heap). Grown
     * only by the sending thread (the SPI never sends concurrently for one session), published through the
     * volatile field: a reader sees every bit set before the array it reads was published, and the bits
     * set since in that array.
     */
    private volatile AtomicLongArray sent = new AtomicLongArray(INITIAL_WORDS);
    private static final int INITIAL_WORDS = 2;

    /** The probes' transport-layer length (header included), or -1. */
    final int transportLength;
    /**
     * UDP path MTU probes of other lengths (linux-raw-udp's sized probes): transport length → their
     * {@link #baseSum}; written by the sending thread before such a probe leaves, read by the I/O thread.
     */
    private final java.util.concurrent.ConcurrentHashMap<Integer,
    Integer> sizedSums = new java.util.concurrent.ConcurrentHashMap<>();

    /** Records the base sum of probes {@code length} bytes long (before the first of them leaves). */
    public void sized(int length, int sum) {
        if (sizedSums.size() < 4096) { // a discovery uses a few dozen lengths; a bound all the same
            sizedSums.put(length, sum);
        }
    }

    /** The base sum of this session's probes {@code length} bytes long, -1 if none was sent. */
    int baseSumOf(int length) {
        if (length == transportLength) {
            return baseSum;
        }
        Integer s = sizedSums.get(length);
        return s == null ? -1 : s;
    }
    /** The odd multiplier of the session's IPv4 identifications ({@link #ipId(int, int)}); 1: {@code sequence + 1}. */
    public final int ipIdKey;

    public PortKey(Destination destination, FlowPolicy policy, int localFirst, int localCount, int remoteFirst,
            int flow,
            int maxSequence, int maxFlow, long cookie) {
        this(destination, policy, localFirst, localCount, remoteFirst, flow, maxSequence, maxFlow, cookie, 1, -1);
    }

    /**
     * @param ipIdKey the odd multiplier of the IPv4 identifications ({@link #ipId(int, int)})
     * @param transportLength the probes' transport-layer length, header included (-1: not known, whole
     *     quotes are then checked as far as the default probe goes)
     */
    public PortKey(Destination destination, FlowPolicy policy, int localFirst, int localCount, int remoteFirst,
            int flow,
            int maxSequence, int maxFlow, long cookie, int ipIdKey, int transportLength) {
        this.transportLength = transportLength;
        if ((ipIdKey & 1) == 0) {
            throw new IllegalArgumentException("the IP ID key must be odd: " + ipIdKey);
        }
        this.ipIdKey = ipIdKey & 0xffff;
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
    public static long newCookie() {
        long c;
        do {
            c = ThreadLocalRandom.current().nextLong();
        } while ((c & 0xffff) == 0);
        return c;
    }

    /** The TCP tag: the high half of every sequence number the session sends. */
    public int tag() {
        return (int) (cookie & 0xffff);
    }

    /** Records that probe {@code sequence} is about to leave (before sendmsg: its answer may be quick). */
    public void markSent(int sequence) {
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

    /**
     * Whether a quoted IPv4 identification is what probe {@code sequence} carried, as sent, plus one, or byte-swapped.
     */
    public static boolean ipIdMatches(int quotedIpId, int sequence) {
        return ipIdMatches(1, quotedIpId, sequence);
    }

    /** {@link #ipIdMatches(int, int)} for the identifications of key {@code key} ({@link #ipId(int, int)}). */
    public static boolean ipIdMatches(int key, int quotedIpId, int sequence) {
        int id = ipId(key, sequence);
        return quotedIpId == id || quotedIpId == ((id + 1) & 0xffff) || quotedIpId == IcmpQuote.swap16(id);
    }

    /** This session's {@link #ipIdMatches(int, int, int)}. */
    boolean ipIdOf(int quotedIpId, int sequence) {
        return ipIdMatches(ipIdKey, quotedIpId, sequence);
    }

    /**
     * The IPv4 identification of probe {@code sequence} with key 1: {@code sequence + 1} (never 0, which lets the
     * kernel choose).
     */
    public static int ipId(int sequence) {
        return ipId(1, sequence);
    }

    /**
     * The IPv4 identification of probe {@code sequence} (0..0xfffe) of a session whose key is the odd
     * {@code key}: {@code (sequence + 1) * key} modulo 2^16, never 0 (which lets the kernel choose). A
     * bijection of the probe numbers; with a random key per session a forger cannot derive another
     * probe's identification from the one it saw (the next probe's is not this one's + 1, as with
     * {@code sequence + 1}), so an 8-byte quote whose probe number was rewritten, with or without its
     * identification "+ 1", does not agree with its identification.
     */
    public static int ipId(int key, int sequence) {
        return ((sequence + 1) * key) & 0xffff;
    }

    /** The probe number whose identification under {@code key} is {@code id} ({@link #ipId(int, int)} inverted). */
    public static int sequenceOfIpId(int key, int id) {
        return (id * inverse(key) - 1) & 0xffff;
    }

    /** The multiplicative inverse of the odd {@code key} modulo 2^16. */
    static int inverse(int key) {
        int x = key; // Newton: each step doubles the correct low bits (3 → 6 → 12 → 24)
        for (int i = 0; i < 4; i++) {
            x *= 2 - key * x;
        }
        return x & 0xffff;
    }

    /**
     * A random IP ID key: odd, and neither it, its negation nor their inverses within 1024 of 0 modulo
     * 2^16, so that no two probe numbers less than 1024 apart have identifications 1 apart or equal.
     */
    public static int newIpIdKey() {
        while (true) {
            int k = ThreadLocalRandom.current().nextInt(0x10000) | 1;
            int inv = inverse(k);
            if (far(k) && far(inv)) {
                return k;
            }
        }
    }

    private static boolean far(int v) {
        return v >= 1024 && v <= 0x10000 - 1024;
    }
}
