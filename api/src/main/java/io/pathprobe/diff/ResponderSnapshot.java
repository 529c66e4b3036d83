package io.pathprobe.diff;

import io.pathprobe.probe.AddressText;
import java.net.InetAddress;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One address that answered at a hop of a {@link PathSnapshot}.
 *
 * @param address the address that answered
 * @param replies how many probes it answered (0 for a router a traceAll took from its stop set)
 * @param asn its AS number where enrichment found one; empty otherwise
 */
public record ResponderSnapshot(InetAddress address, long replies, OptionalLong asn) {
    /**
     * Checks the components (see the record's description).
     *
     * @param address the address that answered
     * @param replies how many probes it answered
     * @param asn its AS number where enrichment found one; empty otherwise
     * @throws NullPointerException if {@code address} or {@code asn} is null
     * @throws IllegalArgumentException if {@code replies} is negative
     */
    public ResponderSnapshot {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(asn, "asn");
        if (replies < 0) {
            throw new IllegalArgumentException("replies must not be negative, was " + replies);
        }
    }

    /** {@code "198.18.0.10 AS64500, 3 replies"}: the AS where known. */
    @Override
    public String toString() {
        return AddressText.of(address) + (asn.isPresent() ? " AS" + asn.getAsLong() : "") + ", " + replies
                + (replies == 1 ? " reply" : " replies");
    }
}
