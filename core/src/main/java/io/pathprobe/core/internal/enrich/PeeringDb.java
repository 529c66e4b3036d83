package io.pathprobe.core.internal.enrich;

import io.pathprobe.enrich.Exchange;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * Internet exchanges from PeeringDB dumps: the IX peering LAN prefixes (longest match, IPv4 and IPv6) with their
 * exchange's name, and the member network each exact address is given to ({@code netixlan}). Read once when the
 * tracer is built ({@link PeeringDbParser}, with jackson-databind), then only looked up; nothing here touches
 * the network.
 */
public final class PeeringDb {
    /**
     * One IX prefix.
     *
     * @param name the exchange's name
     * @param ixId its PeeringDB id (0 unknown)
     * @param city its city, or null
     * @param country its country code, or null
     * @param prefix the prefix, as the dump writes it
     */
    record IxPrefix(String name, long ixId, @Nullable String city, @Nullable String country, String prefix) {}

    /**
     * A network's port on an exchange ({@code netixlan}).
     *
     * @param asn its AS
     * @param name its network's name, or null
     */
    record Member(long asn, @Nullable String name) {}

    private final PrefixTrie<IxPrefix> prefixes;
    private final Map<InetAddress, Member> members;

    PeeringDb(PrefixTrie<IxPrefix> prefixes, Map<InetAddress, Member> members) {
        this.prefixes = prefixes;
        this.members = Map.copyOf(members);
    }

    /** No dump: no exchange. */
    public static final PeeringDb EMPTY = new PeeringDb(new PrefixTrie<>(), Map.of());

    /**
     * Reads every dump, merged (a prefix in two dumps keeps the first one's exchange).
     *
     * @throws io.pathprobe.EnrichmentDataException naming the first dump that cannot be used and why, or
     *     saying that jackson-databind is missing
     */
    public static PeeringDb open(List<Path> dumps) {
        if (dumps.isEmpty()) {
            return EMPTY;
        }
        LocalFiles.requireReader(dumps.get(0), "PeeringDB dump", "com.fasterxml.jackson.databind.ObjectMapper",
                "reading a PeeringDB dump needs jackson-databind (com.fasterxml.jackson.core:jackson-databind, "
                + "jackson-databind.jar) on the class path");
        return PeeringDbParser.read(dumps);
    }

    /** How many IX prefixes it holds. */
    public int prefixes() {
        return prefixes.size();
    }

    /** Whether it holds no prefix. */
    public boolean isEmpty() {
        return prefixes.size() == 0;
    }

    /** The exchange whose peering LAN holds {@code address} (longest prefix), with its member if the dump says. */
    public Optional<Exchange> exchange(InetAddress address) {
        IxPrefix p = prefixes.longest(address);
        if (p == null) {
            return Optional.empty();
        }
        Member m = members.get(address);
        return Optional.of(new Exchange(p.name(), p.ixId(), Optional.ofNullable(p.city()),
                Optional.ofNullable(p.country()), p.prefix(),
                m == null ? OptionalLong.empty() : OptionalLong.of(m.asn()),
                Optional.ofNullable(m == null ? null : m.name())));
    }
}
