package io.pathprobe.json;

import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.enrich.PublicAddress;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.RttStatistics;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What the document writers share: the trees of the parts several documents carry (an AS, the
 * enrichment context, RTT statistics), and how values become tree values (times, enumerations,
 * addresses, optional numbers, lists).
 */
final class JsonTrees {
    private JsonTrees() {}

    /** {@code {number, prefix, name}}, prefix and name null when unknown. */
    static Map<String, @Nullable Object> tree(AsnInfo a) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("number", a.number());
        m.put("prefix", a.prefix().orElse(null));
        m.put("name", a.name().orElse(null));
        return m;
    }

    /** An AS lookup's value as a tree, null when the lookup found none. */
    static @Nullable Map<String, @Nullable Object> asn(Lookup<AsnInfo> l) {
        return l.value().map(JsonTrees::tree).orElse(null);
    }

    /** The trace and multipath documents' {@code context}. */
    static Map<String, @Nullable Object> tree(PathContext c) {
        Optional<PublicAddress> p = c.publicAddress().value();
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("publicAddressStatus", c.publicAddress().status().name());
        m.put("publicAddressFailure", c.publicAddress().failure().orElse(null));
        m.put("publicPort", p.map(PublicAddress::port).orElse(null));
        m.put("stunServer", p.map(x -> AddressText.of(x.server())).orElse(null));
        m.put("localAddress", p.map(x -> AddressText.of(x.localAddress())).orElse(null));
        m.put("localAsn", asn(c.localAsn()));
        m.put("localAsnStatus", c.localAsn().status().name());
        m.put("destinationAsn", asn(c.destinationAsn()));
        m.put("destinationAsnStatus", c.destinationAsn().status().name());
        return m;
    }

    /** {@code {min, avg, max, stdDev}} in milliseconds. */
    static Map<String, @Nullable Object> tree(RttStatistics s) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("min", ms(s.min()));
        m.put("avg", ms(s.avg()));
        m.put("max", ms(s.max()));
        m.put("stdDev", ms(s.stdDev()));
        return m;
    }

    /** Milliseconds rounded to the microsecond (all documents but ping's). */
    static double ms(Duration d) {
        return Math.round(d.toNanos() / 1e3) / 1e3;
    }

    /** Milliseconds, not rounded (the ping document). */
    static double exactMs(Duration d) {
        return d.toNanos() / 1e6;
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    static @Nullable String address(Optional<InetAddress> a) {
        return a.map(AddressText::of).orElse(null);
    }

    static @Nullable Integer boxed(OptionalInt i) {
        return i.isPresent() ? i.getAsInt() : null;
    }

    static <T> List<@Nullable Object> list(List<T> items, Function<T, ? extends @Nullable Object> f) {
        List<@Nullable Object> out = new ArrayList<>(items.size());
        for (T t : items) {
            out.add(f.apply(t));
        }
        return out;
    }
}
