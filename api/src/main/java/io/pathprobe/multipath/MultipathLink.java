package io.pathprobe.multipath;

import io.pathprobe.probe.AddressText;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
/**
 * A link between a node at {@code ttl} and one at {@code ttl + 1}: at least one flow was answered by
 * {@code from} at {@code ttl} and by {@code to} at {@code ttl + 1}. Empty addresses are silent nodes.
 *
 * @param ttl the TTL of {@code from}
 * @param from the near end, empty if silent
 * @param to the far end, empty if silent
 * @param flows how many flows were seen taking it
 * @param fromMasked 0 when the near end is shown; n &gt; 0 when it is the n-th {@link MultipathNode#masked() masked}
 *     node at {@code ttl}, in the order of {@link MultipathResult#nodes()} (then {@code from} is empty)
 * @param toMasked 0 when the far end is shown; n &gt; 0 when it is the n-th masked node at {@code ttl + 1}
 */
public record MultipathLink(int ttl, Optional<InetAddress> from, Optional<InetAddress> to, int flows, int fromMasked,
        int toMasked) {
    /**
     * Checks the components (see the record's description).
     *
     * @param ttl the TTL of {@code from}
     * @param from the near end, empty if silent
     * @param to the far end, empty if silent
     * @param flows how many flows were seen taking it
     * @param fromMasked 0 when the near end is shown, else which masked node at {@code ttl} it is, from 1
     * @param toMasked 0 when the far end is shown, else which masked node at {@code ttl + 1} it is, from 1
     * @throws NullPointerException if {@code from} or {@code to} is null
     * @throws IllegalArgumentException if {@code flows} is below 1, or a masked end holds an address
     */
    public MultipathLink {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (flows < 1) {
            throw new IllegalArgumentException("a link is seen by at least one flow, was " + flows);
        }
        if (fromMasked < 0 || toMasked < 0 || fromMasked > 0 && from.isPresent() || toMasked > 0 && to.isPresent()) {
            throw new IllegalArgumentException("a masked end holds no address");
        }
    }

    /**
     * A link between shown ends.
     *
     * @param ttl the TTL of {@code from}
     * @param from the near end, empty if silent
     * @param to the far end, empty if silent
     * @param flows how many flows were seen taking it
     */
    public MultipathLink(int ttl, Optional<InetAddress> from, Optional<InetAddress> to, int flows) {
        this(ttl, from, to, flows, 0, 0);
    }

    /** {@code "ttl 2  198.18.0.6 → 198.18.0.10  (3 flows)"}; {@code *} for a silent end, {@code masked}. */
    @Override
    public String toString() {
        return "ttl " + ttl + "  " + end(from, fromMasked) + " → " + end(to, toMasked)
                + "  (" + flows + (flows == 1 ? " flow)" : " flows)");
    }

    private static String end(Optional<InetAddress> a, int masked) {
        return masked > 0 ? io.pathprobe.probe.MaskStatement.MASKED : a.map(AddressText::of).orElse("*");
    }
}
