package io.pathprobe.enrich;

import io.pathprobe.util.Checks;
import java.util.Optional;

/**
 * The autonomous system an address belongs to, as an {@link io.pathprobe.spi.AsnResolver} found it
 * (Team Cymru's IP-to-ASN DNS service by default).
 *
 * @param number the AS number (1..4294967295)
 * @param prefix the announced prefix holding the address, e.g. "192.0.2.0/24", if known
 * @param name the AS name, e.g. "LAB-ISP, ZZ", if known
 * @param country the registry's country code, if known
 * @param registry the regional registry, e.g. "ripencc", if known
 */
public record AsnInfo(long number, Optional<String> prefix, Optional<String> name, Optional<String> country,
        Optional<String> registry) {
    /**
     * Checks the components (see the record's description).
     *
     * @param number the AS number (1..4294967295)
     * @param prefix the announced prefix holding the address, e.g. "192.0.2.0/24", if known
     * @param name the AS name, e.g. "LAB-ISP, ZZ", if known
     * @param country the registry's country code, if known
     * @param registry the regional registry, e.g. "ripencc", if known
     * @throws IllegalArgumentException if {@code number} is not 1 to 4294967295
     * @throws NullPointerException if a component other than {@code number} is null
     */
    public AsnInfo {
        if (number < 1 || number > 0xffff_ffffL) {
            throw new IllegalArgumentException("AS number must be 1..4294967295, was " + number);
        }
        Checks.nonNull("prefix", prefix, "name", name, "country", country, "registry", registry);
        name = Printable.of(name);
        country = Printable.of(country);
        registry = Printable.of(registry);
    }

    /**
     * {@return an AS known by its number only}
     *
     * @param number the AS number, 1 to 4294967295
     * @throws IllegalArgumentException if {@code number} is out of range
     */
    public static AsnInfo of(long number) {
        return new AsnInfo(number, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * As {@code traceroute -A} and {@code mtr -z} name an AS: {@code "AS64500 LAB-ISP"} (the name up to
     * its first comma or space, at most 12 characters), then the prefix, country and registry where
     * known: {@code "AS64500 LAB-ISP [198.18.0.0/15, ZZ, lab]"}.
     */
    @Override
    public String toString() {
        return shortText() + (prefix.isEmpty() && country.isEmpty() && registry.isEmpty() ? ""
                : " [" + String.join(", ", java.util.stream.Stream.of(prefix, country, registry)
                        .flatMap(Optional::stream).toList()) + "]");
    }

    /** {@return the number and the short name: {@code "AS64500 LAB-ISP"}, as a hop table shows it} */
    public String shortText() {
        String n = name.map(x -> x.split("[, ]")[0]).map(x -> x.length() > 12 ? x.substring(0, 12) : x).orElse("");
        return ("AS" + number + " " + n).strip();
    }
}
