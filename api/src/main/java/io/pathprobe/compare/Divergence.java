package io.pathprobe.compare;

import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.MaskStatement;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.util.Checks;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.IntPredicate;

/**
 * Where some protocols' path parts from the others' and where it meets theirs again. Protocols part at a TTL
 * where both answered from different addresses; a silent hop is never a parting by itself (a router may
 * rate-limit one protocol's errors). They meet again at the first address, on or after the parting, that both
 * paths hold; the TTLs may differ there when one branch is longer.
 *
 * @param protocols the protocols whose path parts (one, usually)
 * @param from the protocols they part from (the others that answered there)
 * @param lastCommonTtl the last TTL before the parting where both answered from one address (in
 *     {@code protocols}' TTLs); empty if they differed from the first hop that both answered
 * @param lastCommonAddress that hop's address
 * @param partTtl the TTL at which they answer from different addresses
 * @param partAddress what answered {@code protocols} there
 * @param fromPartAddress what answered {@code from} there
 * @param meetTtl the TTL at which {@code protocols} reach an address on {@code from}'s path again; empty if they
 *     never do
 * @param fromMeetTtl the TTL of that address on {@code from}'s path (equal to {@code meetTtl} unless a branch is
 *     longer)
 * @param meetAddress that address
 */
public record Divergence(List<ProbeProtocol> protocols, List<ProbeProtocol> from, OptionalInt lastCommonTtl,
        Optional<InetAddress> lastCommonAddress, int partTtl, Optional<InetAddress> partAddress,
        Optional<InetAddress> fromPartAddress, OptionalInt meetTtl, OptionalInt fromMeetTtl,
        Optional<InetAddress> meetAddress) {

    /**
     * Checks the components and copies the lists.
     *
     * @param protocols the protocols whose path parts
     * @param from the protocols they part from
     * @param lastCommonTtl the last TTL before the parting where both answered from one address
     * @param lastCommonAddress that hop's address
     * @param partTtl the TTL at which they answer from different addresses
     * @param partAddress what answered {@code protocols} there
     * @param fromPartAddress what answered {@code from} there
     * @param meetTtl the TTL at which {@code protocols} reach {@code from}'s path again
     * @param fromMeetTtl the TTL of that address on {@code from}'s path
     * @param meetAddress that address
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if a protocol list is empty or they share a protocol
     */
    public Divergence {
        protocols = List.copyOf(protocols);
        from = List.copyOf(from);
        if (protocols.isEmpty() || from.isEmpty() || protocols.stream().anyMatch(from::contains)) {
            throw new IllegalArgumentException("parting protocols " + protocols + " and " + from
                    + " must be two non-empty, disjoint lists");
        }
        Checks.nonNull("lastCommonTtl", lastCommonTtl, "lastCommonAddress", lastCommonAddress,
                "partAddress", partAddress, "fromPartAddress", fromPartAddress, "meetTtl", meetTtl,
                "fromMeetTtl", fromMeetTtl, "meetAddress", meetAddress);
    }

    /** {@return whether the paths meet again} */
    public boolean meets() {
        return meetTtl.isPresent();
    }

    /** As {@link CompareResult#toString()} says it, with the protocols' plain names. */
    @Override
    public String toString() {
        return sentence(protocols.stream().map(Enum::name).toList(), from.stream().map(Enum::name).toList());
    }

    /**
     * The finding as a sentence: "TCP/443 parts from ICMP, UDP after hop 2 (198.18.0.6) and meets them again at
     * hop 4 (198.18.0.14)".
     */
    String sentence(List<String> who, List<String> others) {
        return sentence(who, others, ttl -> false, ttl -> false);
    }

    /**
     * The finding as a sentence, an address written {@code masked} where the hop it answered at is hidden
     * ({@code hidden} at a TTL of {@code who}'s path, {@code hiddenFrom} of {@code others}').
     */
    String sentence(List<String> who, List<String> others, IntPredicate hidden, IntPredicate hiddenFrom) {
        StringBuilder b = new StringBuilder(String.join(", ", who)).append(who.size() > 1 ? " part" : " parts")
                .append(" from ").append(String.join(", ", others));
        if (lastCommonTtl.isPresent()) {
            b.append(" after hop ").append(lastCommonTtl.getAsInt())
                    .append(hidden.test(lastCommonTtl.getAsInt()) ? " (" + MaskStatement.MASKED + ")"
                            : lastCommonAddress.map(a -> " (" + AddressText.of(a) + ")").orElse(""));
        } else {
            b.append(" at hop ").append(partTtl);
        }
        b.append(" (hop ").append(partTtl).append(": ").append(text(partAddress, hidden.test(partTtl), "*"))
                .append(" against ").append(text(fromPartAddress, hiddenFrom.test(partTtl), "*")).append(')');
        String them = others.size() > 1 ? "them" : "it";
        if (meetTtl.isEmpty()) {
            return b.append(" and does not meet ").append(them).append(" again").toString();
        }
        b.append(" and ").append(who.size() > 1 ? "meet " : "meets ").append(them).append(" again at hop ")
                .append(meetTtl.getAsInt()).append(" (")
                .append(text(meetAddress, hidden.test(meetTtl.getAsInt()), "?"));
        if (fromMeetTtl.isPresent() && fromMeetTtl.getAsInt() != meetTtl.getAsInt()) {
            b.append(", their hop ").append(fromMeetTtl.getAsInt());
        }
        return b.append(')').toString();
    }

    private static String text(Optional<InetAddress> address, boolean hidden, String none) {
        return hidden ? MaskStatement.MASKED : address.map(AddressText::of).orElse(none);
    }
}
