package io.pathprobe.mtu;

import io.pathprobe.probe.AddressText;
import io.pathprobe.util.Checks;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
/**
 * An MTU black hole ({@link MtuResult#blackHole()}): from TTL {@link #ttl()} on, probes larger than
 * {@link #largestPassing()} bytes vanish, with no Fragmentation Needed or Packet Too Big, while smaller
 * ones are answered. Whatever drops them sits after the hop at TTL {@code ttl - 1}
 * ({@link #after()}): in its forwarding (a firewall rule, a link with a smaller MTU that drops silently)
 * or in front of the hop at {@code ttl}.
 *
 * @param ttl the first TTL whose large probes vanished
 * @param after the last hop large probes reached (TTL {@code ttl - 1}); empty when that hop was silent or
 *     is this host ({@code ttl} 1)
 * @param largestPassing the largest probe, in bytes, that was answered at {@code ttl}
 * @param smallestLost the smallest probe, in bytes, that vanished there (every attempt)
 * @param masked whether {@code after} is hidden (privacy masking: {@link io.pathprobe.evidence.Masking}); then it
 *     is empty and prints {@code masked}
 */
public record MtuBlackHole(int ttl, Optional<InetAddress> after, int largestPassing, int smallestLost,
        boolean masked) {
    /**
     * Checks the components (see the record's description).
     *
     * @param ttl the first TTL whose large probes vanished, 1 to 255
     * @param after the last hop large probes reached; empty when silent or this host
     * @param largestPassing the largest probe answered at {@code ttl}, positive
     * @param smallestLost the smallest probe that vanished there, above {@code largestPassing}
     * @param masked whether {@code after} is hidden (then empty)
     * @throws NullPointerException if {@code after} is null
     * @throws IllegalArgumentException if a value is out of range, or a masked black hole names its hop
     */
    public MtuBlackHole {
        Checks.ttl(ttl, "ttl");
        Objects.requireNonNull(after, "after");
        if (largestPassing < 1 || smallestLost <= largestPassing) {
            throw new IllegalArgumentException("need 0 < largestPassing < smallestLost, was " + largestPassing + ", "
                    + smallestLost);
        }
        if (masked && after.isPresent()) {
            throw new IllegalArgumentException("a masked black hole names no hop");
        }
    }

    /** {@return this black hole with the hop before it hidden} */
    public MtuBlackHole asMasked() {
        return new MtuBlackHole(ttl, Optional.empty(), largestPassing, smallestLost, true);
    }

    /** {@code "black hole at hop 4: probes over 1400 bytes vanish after 198.18.2.2, no ICMP"}. */
    @Override
    public String toString() {
        return "black hole at hop " + ttl + ": probes over " + largestPassing + " bytes vanish after "
                + after.map(AddressText::of).orElse(masked ? io.pathprobe.probe.MaskStatement.MASKED
                        : ttl == 1 ? "this host" : "a silent hop") + ", no ICMP";
    }
}
