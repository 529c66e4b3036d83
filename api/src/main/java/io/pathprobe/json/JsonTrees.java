package io.pathprobe.json;

import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Exchange;
import io.pathprobe.enrich.GeoLocation;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.enrich.PublicAddress;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.ProbeCost;
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

    /**
     * {@code {countryCode, country, city, latitude, longitude, accuracyRadiusKm, database}}, unknown fields
     * null.
     */
    static Map<String, @Nullable Object> tree(GeoLocation g) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("countryCode", g.countryCode().orElse(null));
        m.put("country", g.country().orElse(null));
        m.put("city", g.city().orElse(null));
        m.put("latitude", g.latitude().isPresent() ? g.latitude().getAsDouble() : null);
        m.put("longitude", g.longitude().isPresent() ? g.longitude().getAsDouble() : null);
        m.put("accuracyRadiusKm", boxed(g.accuracyRadiusKm()));
        m.put("database", g.database());
        return m;
    }

    /** {@code {name, ixId, city, country, prefix, memberAsn, memberName}}, unknown fields null. */
    static Map<String, @Nullable Object> tree(Exchange x) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("name", x.name());
        m.put("ixId", x.ixId());
        m.put("city", x.city().orElse(null));
        m.put("country", x.country().orElse(null));
        m.put("prefix", x.prefix());
        m.put("memberAsn", x.memberAsn().isPresent() ? x.memberAsn().getAsLong() : null);
        m.put("memberName", x.memberName().orElse(null));
        return m;
    }

    /**
     * Puts {@code location}, {@code locationStatus}, {@code exchange} and {@code exchangeStatus} of an
     * address's lookups into {@code m} (null values and null statuses when {@code location} is null: a hop
     * nothing answered).
     */
    static void geo(Map<String, @Nullable Object> m, @Nullable Lookup<GeoLocation> location,
            @Nullable Lookup<Exchange> exchange) {
        m.put("location", location == null ? null : location.value().map(JsonTrees::tree).orElse(null));
        m.put("locationStatus", location == null ? null : location.status().name());
        m.put("exchange", exchange == null ? null : exchange.value().map(JsonTrees::tree).orElse(null));
        m.put("exchangeStatus", exchange == null ? null : exchange.status().name());
    }

    /**
     * A responder's (or ping target's) lookups: {@code hostname}, {@code asn} and their statuses, then {@link #geo}'s
     * location and exchange.
     */
    static void lookups(Map<String, @Nullable Object> m, Lookup<String> hostname, Lookup<AsnInfo> asn,
            Lookup<GeoLocation> location, Lookup<Exchange> exchange) {
        m.put("hostname", hostname.value().orElse(null));
        m.put("asn", asn(asn));
        m.put("hostnameStatus", hostname.status().name());
        m.put("asnStatus", asn.status().name());
        geo(m, location, exchange);
    }

    /** A masked document's {@code "masked"}: {@code {"hops": 2, "source": true}}. */
    static Map<String, @Nullable Object> statement(io.pathprobe.probe.MaskStatement m) {
        Map<String, @Nullable Object> s = new LinkedHashMap<>();
        s.put("hops", m.hops());
        s.put("source", m.source());
        return s;
    }

    /**
     * The documents' {@code cost} ({@link ProbeCost}): {@code {"probes": 8, "answers": 8, "routers": [{"router":
     * "198.18.1.1", "probes": 3, "answers": 3}, ...]}}, a router null for no known router.
     */
    static Map<String, @Nullable Object> tree(ProbeCost c) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("probes", c.probes());
        m.put("answers", c.answers());
        m.put("routers", list(c.routers(), r -> {
            Map<String, @Nullable Object> e = new LinkedHashMap<>();
            e.put("router", address(r.router()));
            e.put("probes", r.probes());
            e.put("answers", r.answers());
            return e;
        }));
        return m;
    }

    /** The trace and multipath documents' {@code context}. */
    static Map<String, @Nullable Object> tree(PathContext c) {
        Optional<PublicAddress> p = c.publicAddress().value();
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("publicAddressStatus", c.publicAddress().status().name());
        m.put("publicAddressFailure", c.publicAddress().failure().orElse(null));
        m.put("publicPort", p.filter(x -> !x.masked()).map(PublicAddress::port).orElse(null));
        m.put("stunServer", p.map(x -> AddressText.of(x.server())).orElse(null));
        m.put("localAddress", p.filter(x -> !x.masked()).map(x -> AddressText.of(x.localAddress())).orElse(null));
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
