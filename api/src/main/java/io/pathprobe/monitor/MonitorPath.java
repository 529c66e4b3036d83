package io.pathprobe.monitor;

import io.pathprobe.probe.AddressText;
import io.pathprobe.util.Checks;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
/**
 * A path as a monitor sees it: the responders at each TTL from the first TTL probed, in TTL order. With
 * one Paris flow (the default) each TTL has one responder, or none where it was silent.
 *
 * @param firstTtl the TTL of the first entry of {@code hops}
 * @param hops the responders at each TTL from {@code firstTtl}; an empty set where nothing answered
 * @param destinationReached whether the path ends at the destination (its last entry holds the address that
 *     answered for it)
 * @param masked the TTLs whose responders are hidden ({@link io.pathprobe.evidence.Masking#apply(MonitorResult)}:
 *     privacy masking): their entries of {@code hops} are empty, and print {@code masked}, never {@code *}
 */
public record MonitorPath(int firstTtl, List<Set<InetAddress>> hops, boolean destinationReached,
        Set<Integer> masked) {
    /** No path known yet. */
    public static final MonitorPath NONE = new MonitorPath(1, List.of(), false);

    /**
     * A path as it was seen (nothing masked).
     *
     * @param firstTtl the TTL of the first entry of {@code hops}
     * @param hops the responders at each TTL from {@code firstTtl}; an empty set where nothing answered
     * @param destinationReached whether the path ends at the destination
     */
    public MonitorPath(int firstTtl, List<Set<InetAddress>> hops, boolean destinationReached) {
        this(firstTtl, hops, destinationReached, Set.of());
    }

    /**
     * Checks the components (see the record's description) and copies {@code hops}.
     *
     * @param firstTtl the TTL of the first entry of {@code hops}
     * @param hops the responders at each TTL from {@code firstTtl}; an empty set where nothing answered
     * @param destinationReached whether the path ends at the destination (its last entry holds the address
     *     that answered for it)
     * @param masked the TTLs whose responders are hidden (their entries empty)
     * @throws NullPointerException if {@code hops} or {@code masked} is or holds null
     * @throws IllegalArgumentException if {@code firstTtl} is not 1 to 255
     */
    public MonitorPath {
        Checks.ttl(firstTtl, "firstTtl");
        List<Set<InetAddress>> copy = new ArrayList<>(hops.size());
        for (Set<InetAddress> s : hops) {
            copy.add(Collections.unmodifiableSet(new LinkedHashSet<>(Objects.requireNonNull(s, "hop"))));
        }
        hops = Collections.unmodifiableList(copy);
        masked = Set.copyOf(masked);
        for (int ttl : masked) {
            int i = ttl - firstTtl;
            if (i >= 0 && i < copy.size() && !copy.get(i).isEmpty()) {
                throw new IllegalArgumentException("a masked TTL names no responder (TTL " + ttl + ")");
            }
        }
    }

    /**
     * {@return the responders at {@code ttl}; empty where it was silent or beyond the path}
     *
     * @param ttl a TTL
     */
    public Set<InetAddress> at(int ttl) {
        int i = ttl - firstTtl;
        return i < 0 || i >= hops.size() ? Set.of() : hops.get(i);
    }

    /** {@return the last TTL of the path, {@code firstTtl − 1} when it is empty} */
    public int lastTtl() {
        return firstTtl + hops.size() - 1;
    }

    /**
     * {@code "198.18.0.2 → * → 198.19.0.1"}: each TTL's responders ({@code "{a, b}"} for several, sorted),
     * {@code "*"} where silent; {@code " (destination not reached)"} when it does not end at the destination.
     */
    @Override
    public String toString() {
        if (hops.isEmpty()) {
            return "(no path)";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < hops.size(); i++) {
            if (b.length() > 0) {
                b.append(" → ");
            }
            List<String> texts = hops.get(i).stream().map(AddressText::of).sorted(Comparator.naturalOrder()).toList();
            b.append(masked.contains(firstTtl + i) ? io.pathprobe.probe.MaskStatement.MASKED
                    : texts.isEmpty() ? "*" : texts.size() == 1 ? texts.get(0) : "{" + String.join(", ", texts) + "}");
        }
        return destinationReached ? b.toString() : b + " (destination not reached)";
    }
}
