package io.pathprobe.spi;


/**
 * One probe to send: its number, its TTL, its flow and, for path MTU discovery, its size and whether
 * it may be fragmented.
 *
 * @param sequence the probe's number, 0 to {@link ProbeSession#maxSequence()}; the answer carries it
 *     back. A measurement that runs long reuses numbers (modulo {@code maxSequence() + 1}); the engine
 *     never has two probes with one number outstanding in a session.
 * @param ttl the IP TTL (IPv6 hop limit), 1 to 255
 * @param flow the flow of this probe, 0 to {@link ProbeSession#maxFlow()}: used only by sessions
 *     whose {@link SessionSpec#flowPolicy()} is {@link FlowPolicy#EXPLICIT}; otherwise 0
 * @param size the probe's whole IP packet in bytes, IP header included (what tracepath calls the
 *     probe's length), or {@link #DEFAULT_SIZE} for the session's own size
 *     ({@link SessionSpec#payloadSize()}); only transports with {@link TransportCapability#PATH_MTU}
 *     honour another, from their minimum up to {@link #MAX_SIZE} (whatever the session's own size)
 * @param dontFragment whether the probe is sent with DF set (IPv4) or unfragmented (IPv6): a router
 *     whose next link is too small answers Fragmentation Needed / Packet Too Big
 *     ({@link ResponseKind#PACKET_TOO_BIG}) and this host refuses a probe larger than its first
 *     link's MTU ({@link SendFailedException#mtu()}); only transports with
 *     {@link TransportCapability#PATH_MTU} honour it (their other probes follow the transport's own rule)
 */
public record ProbeSpec(int sequence, int ttl, int flow, int size, boolean dontFragment) {
    /** {@link #size()}: the session's own size. */
    public static final int DEFAULT_SIZE = -1;
    /** The largest {@link #size()}: an IPv6 header and a 65535-byte payload. */
    public static final int MAX_SIZE = 40 + 65535;

    /**
     * Checks the components (see the record's description).
     *
     * @param sequence the probe's number, 0 to {@link ProbeSession#maxSequence()}; the answer carries it
     *     back. A measurement that runs long reuses numbers (modulo {@code maxSequence() + 1}); the engine
     *     never has two probes with one number outstanding in a session.
     * @param ttl the IP TTL (IPv6 hop limit), 1 to 255
     * @param flow the flow of this probe, 0 to {@link ProbeSession#maxFlow()}: used only by sessions whose
     *     {@link SessionSpec#flowPolicy()} is {@link FlowPolicy#EXPLICIT}; otherwise 0
     * @param size the probe's whole IP packet in bytes, or {@link #DEFAULT_SIZE} for the session's own size
     * @param dontFragment whether the probe is sent with DF set (IPv4) or unfragmented (IPv6)
     * @throws IllegalArgumentException if {@code sequence} or {@code flow} is negative, {@code ttl} is not
     *     1 to 255, or {@code size} neither {@link #DEFAULT_SIZE} nor 1 to {@link #MAX_SIZE}
     */
    public ProbeSpec {
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must not be negative, was " + sequence);
        }
        if (ttl < 1 || ttl > 255) {
            throw new IllegalArgumentException("ttl must be 1..255, was " + ttl);
        }
        if (flow < 0) {
            throw new IllegalArgumentException("flow must not be negative, was " + flow);
        }
        if (size != DEFAULT_SIZE && (size < 1 || size > MAX_SIZE)) {
            throw new IllegalArgumentException("size must be -1 (the session's) or 1.." + MAX_SIZE + ", was " + size);
        }
    }

    /**
     * A probe of the session's own size, fragmented as the transport does by default.
     *
     * @param sequence the probe's number, 0 to {@link ProbeSession#maxSequence()}
     * @param ttl the IP TTL (IPv6 hop limit), 1 to 255
     * @param flow the flow of this probe (see the record's description)
     */
    public ProbeSpec(int sequence, int ttl, int flow) {
        this(sequence, ttl, flow, DEFAULT_SIZE, false);
    }

    /**
     * {@return a probe of the session's own flow, {@code size} bytes with DF set: a path MTU probe}
     *
     * @param sequence the probe's number, 0 to {@link ProbeSession#maxSequence()}
     * @param ttl the IP TTL (IPv6 hop limit), 1 to 255
     * @param size the whole IP packet in bytes, 1 to {@link #MAX_SIZE}
     */
    public static ProbeSpec unfragmented(int sequence, int ttl, int size) {
        return new ProbeSpec(sequence, ttl, 0, size, true);
    }

    /** {@return whether the probe has a size of its own (not {@link #DEFAULT_SIZE})} */
    public boolean sized() {
        return size != DEFAULT_SIZE;
    }

    /**
     * {@return a probe of the session's own flow (policies {@link FlowPolicy#FIXED} and
     * {@link FlowPolicy#PER_PROBE})}
     *
     * @param sequence the probe's number, 0 to {@link ProbeSession#maxSequence()}
     * @param ttl the IP TTL (IPv6 hop limit), 1 to 255
     */
    public static ProbeSpec of(int sequence, int ttl) {
        return new ProbeSpec(sequence, ttl, 0);
    }

    /** {@code "probe 17 ttl 3 flow 2"}, {@code "probe 4 ttl 2 flow 0, 1500 bytes DF"}. */
    @Override
    public String toString() {
        return "probe " + sequence + " ttl " + ttl + " flow " + flow
                + (size == DEFAULT_SIZE ? "" : ", " + size + " bytes")
                + (dontFragment ? " DF" : "");
    }
}
