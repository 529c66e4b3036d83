package io.pathprobe.spi;

/**
 * One probe to send: its number, its TTL and its flow.
 *
 * @param sequence the probe's number, 0 to {@link ProbeSession#maxSequence()}; the answer carries it
 *     back. A measurement that runs long reuses numbers (modulo {@code maxSequence() + 1}); the engine
 *     never has two probes with one number outstanding in a session.
 * @param ttl the IP TTL (IPv6 hop limit), 1 to 255
 * @param flow the flow of this probe, 0 to {@link ProbeSession#maxFlow()}: used only by sessions
 *     whose {@link SessionSpec#flowPolicy()} is {@link FlowPolicy#EXPLICIT}; otherwise 0
 */
public record ProbeSpec(int sequence, int ttl, int flow) {
    /**
     * Checks the components (see the record's description).
     *
     * @param sequence the probe's number, 0 to {@link ProbeSession#maxSequence()}; the answer carries it
     *     back. A measurement that runs long reuses numbers (modulo {@code maxSequence() + 1}); the engine
     *     never has two probes with one number outstanding in a session.
     * @param ttl the IP TTL (IPv6 hop limit), 1 to 255
     * @param flow the flow of this probe, 0 to {@link ProbeSession#maxFlow()}: used only by sessions whose
     *     {@link SessionSpec#flowPolicy()} is {@link FlowPolicy#EXPLICIT}; otherwise 0
     * @throws IllegalArgumentException if {@code sequence} or {@code flow} is negative, or {@code ttl} is not
     *     1 to 255
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

    /** {@code "probe 17 ttl 3 flow 2"}. */
    @Override
    public String toString() {
        return "probe " + sequence + " ttl " + ttl + " flow " + flow;
    }
}
