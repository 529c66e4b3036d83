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
 */
public record MultipathLink(int ttl, Optional<InetAddress> from, Optional<InetAddress> to, int flows) {
    /**
     * Checks the components (see the record's description).
     *
     * @param ttl the TTL of {@code from}
     * @param from the near end, empty if silent
     * @param to the far end, empty if silent
     * @param flows how many flows were seen taking it
     * @throws NullPointerException if {@code from} or {@code to} is null
     * @throws IllegalArgumentException if {@code flows} is below 1
     */
    public MultipathLink {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (flows < 1) {
            throw new IllegalArgumentException("a link is seen by at least one flow, was " + flows);
        }
    }

    /** {@code "ttl 2  198.18.0.6 → 198.18.0.10  (3 flows)"}; {@code *} for a silent end. */
    @Override
    public String toString() {
        return "ttl " + ttl + "  " + from.map(AddressText::of).orElse("*") + " → " + to.map(AddressText::of).orElse("*")
                + "  (" + flows + (flows == 1 ? " flow)" : " flows)");
    }
}
