package io.pathprobe.enrich;

import io.pathprobe.util.Checks;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The Internet exchange (IXP) whose peering LAN holds an address, from a PeeringDB dump given with
 * {@link io.pathprobe.PathTracerBuilder#peeringDbDump}: a hop in an IX prefix is a router's port on that
 * exchange, between two networks.
 *
 * @param name the exchange's name, e.g. "DE-CIX Frankfurt"
 * @param ixId the exchange's PeeringDB id ({@code ix.id}); 0 when the dump does not say
 * @param city the exchange's city, if the dump has it
 * @param country the exchange's country code, if the dump has it
 * @param prefix the exchange's peering LAN prefix that holds the address, e.g. "198.18.100.0/24"
 * @param memberAsn the AS of the network the dump's {@code netixlan} gives this exact address to, if any
 * @param memberName that network's name, if the dump has it
 */
public record Exchange(String name, long ixId, Optional<String> city, Optional<String> country, String prefix,
        OptionalLong memberAsn, Optional<String> memberName) {
    /**
     * Checks the components (see the record's description).
     *
     * @param name the exchange's name, e.g. "DE-CIX Frankfurt"
     * @param ixId the exchange's PeeringDB id; 0 when the dump does not say
     * @param city the exchange's city, if the dump has it
     * @param country the exchange's country code, if the dump has it
     * @param prefix the exchange's peering LAN prefix that holds the address
     * @param memberAsn the AS of the network the dump gives this exact address to, if any
     * @param memberName that network's name, if the dump has it
     * @throws NullPointerException if a component other than {@code ixId} is null
     * @throws IllegalArgumentException if {@code ixId} is negative
     */
    public Exchange {
        Checks.nonNull("name", name, "city", city, "country", country, "prefix", prefix, "memberAsn", memberAsn,
                "memberName", memberName);
        name = Printable.of(name);
        city = Printable.of(city);
        country = Printable.of(country);
        memberName = Printable.of(memberName);
        if (ixId < 0) {
            throw new IllegalArgumentException("ixId must not be negative, was " + ixId);
        }
    }

    /** {@return {@code "IX DE-CIX Frankfurt"}: the exchange's name, as a hop table shows it} */
    public String shortText() {
        return "IX " + name;
    }

    /**
     * {@code "IX DE-CIX Frankfurt [198.18.100.0/24, member AS64500 LAB-ISP]"}: the name, the prefix and the
     * member the address belongs to where the dump says it.
     */
    @Override
    public String toString() {
        String member = memberAsn.isPresent() ? ", member AS" + memberAsn.getAsLong()
                + memberName.map(n -> " " + n).orElse("") : "";
        return shortText() + " [" + prefix + member + "]";
    }
}
