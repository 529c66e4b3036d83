package io.pathprobe.multipath;

import io.pathprobe.util.Checks;
import java.util.List;
import java.util.Optional;

/**
 * A load-balanced part of the path: from the node where flows part (divergence) to the node where
 * they all meet again (convergence).
 *
 * @param divergence the last node before the branches
 * @param convergence the first node after them, empty if the flows did not meet again before the
 *     destination or the end of the discovery
 * @param widths the number of nodes at each TTL strictly between divergence and convergence, nearest
 *     first
 * @param meshed whether some node inside has two or more predecessors (cross links between branches)
 * @param loadBalancing per flow, or per packet (then the widths are what was seen, not a property of
 *     the network)
 */
public record Diamond(MultipathNode divergence, Optional<MultipathNode> convergence, List<Integer> widths,
        boolean meshed, LoadBalancing loadBalancing) {
    /**
     * Checks the components (see the record's description) and copies {@code widths}.
     *
     * @param divergence the last node before the branches
     * @param convergence the first node after them, empty if the flows did not meet again before the
     *     destination or the end of the discovery
     * @param widths the number of nodes at each TTL strictly between divergence and convergence, nearest
     *     first
     * @param meshed whether some node inside has two or more predecessors (cross links between branches)
     * @param loadBalancing per flow, or per packet (then the widths are what was seen, not a property of the
     *     network)
     * @throws NullPointerException if a component other than {@code meshed} is null, or {@code widths} holds
     *     null
     * @throws IllegalArgumentException if {@code widths} is empty
     */
    public Diamond {
        Checks.nonNull("divergence", divergence, "convergence", convergence, "loadBalancing", loadBalancing);
        widths = List.copyOf(widths);
        if (widths.isEmpty()) {
            throw new IllegalArgumentException("a diamond spans at least one TTL");
        }
    }

    /** {@return the largest number of nodes at one TTL inside the diamond} */
    public int maxWidth() {
        return widths.stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** {@return the number of TTLs between divergence and convergence} */
    public int length() {
        return widths.size();
    }

    /**
     * As the CLI describes it: {@code "diamond after 198.18.0.2 (ttl 1): width 4 over 2 TTLs (4, 4),
     * unmeshed, per-flow, converges at 198.18.0.20 (ttl 4)"}.
     */
    @Override
    public String toString() {
        String w = length() == 1 ? "width " + maxWidth() + " over 1 TTL"
                : "width " + maxWidth() + " over " + length() + " TTLs ("
                        + widths.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", ")) + ")";
        String end = convergence.map(c -> "converges at " + c.addressText() + " (ttl " + c.ttl() + ")")
                .orElse("does not converge before the end");
        return "diamond after " + divergence.addressText() + " (ttl " + divergence.ttl() + "): " + w + ", "
                + (meshed ? "meshed" : "unmeshed") + ", "
                + (loadBalancing == LoadBalancing.PER_PACKET ? "per-packet (widths are what was seen)" : "per-flow")
                + ", " + end;
    }
}
