package io.pathprobe.probe;

/**
 * What a masked result says it hides, as every masked output states it: the first {@code hops} TTLs and whether this
 * host's own addresses. A result carries it ({@code TraceResult.masking()}); it is the
 * {@link io.pathprobe.evidence.Masking} that made the result without the concrete addresses that masking learnt
 * (listing them would show them).
 *
 * @param hops how many TTLs, from TTL 1, are hidden (0 to 255)
 * @param source whether this host's source address and public address are hidden
 */
public record MaskStatement(int hops, boolean source) {
    /** What an output prints in place of a hidden address or hop. */
    public static final String MASKED = "masked";

    /** Nothing hidden: a result as measured. */
    public static final MaskStatement NONE = new MaskStatement(0, false);

    /**
     * Checks the hops.
     *
     * @param hops how many TTLs, from TTL 1, are hidden (0 to 255)
     * @param source whether this host's source address and public address are hidden
     * @throws IllegalArgumentException if {@code hops} is negative or above 255
     */
    public MaskStatement {
        if (hops < 0 || hops > 255) {
            throw new IllegalArgumentException("the hops masked must be 0 to 255, was " + hops);
        }
    }

    /** {@return whether anything is hidden} */
    public boolean active() {
        return hops > 0 || source;
    }

    /**
     * The statement: {@code "hops 1-2 and the source address masked"}, {@code "hop 1 and the source address masked"},
     * {@code "the source address masked"}, {@code "hops 1-3 masked"}, or {@code "nothing masked"}.
     */
    @Override
    public String toString() {
        String h = hops == 0 ? "" : hops == 1 ? "hop 1" : "hops 1-" + hops;
        if (h.isEmpty() && !source) {
            return "nothing masked";
        }
        return h + (source ? (h.isEmpty() ? "" : " and ") + "the source address" : "") + " masked";
    }
}
