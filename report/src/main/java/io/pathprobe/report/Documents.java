package io.pathprobe.report;

import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Exchange;
import io.pathprobe.enrich.GeoLocation;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.LookupStatus;
import io.pathprobe.probe.MaskStatement;
import io.pathprobe.util.JsonParser;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The result documents the api writes and has no reader for (path MTU: {@link MtuDocument}; ping:
 * {@link PingDocument}; multipath: {@link MultipathDocument}; comparison: {@link CompareDocument}), read back into
 * their results for the report. The readers live here, not in the api, because the api sits on the class path
 * {@code build/consumer} bounds (an application on pathprobe-core alone: at most 8,000,000 bytes of jars, a few KB
 * left); they read with the api's {@link JsonParser}. This class holds what every reader reads a tree with; a
 * document that is not what its reader expects is an {@link IllegalArgumentException} whose message says what is
 * wrong.
 */
public final class Documents {
    private Documents() {}

    /** An address literal: digits and dots, or hex digits and colons; never a name to look up. */
    private static final Pattern LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*"
            + "(%[\\w.-]+)?");

    /**
     * {@return the result a path MTU, ping, multipath or comparison document holds, or empty when {@code text} is none
     * of them (not JSON included: another reader may read it, or say what is wrong with it)}
     *
     * @param text the document
     * @throws IllegalArgumentException if the text is such a document with a field it cannot read
     */
    public static Optional<Object> read(String text) {
        Object d;
        try {
            d = parse(text);
        } catch (IllegalArgumentException notJson) {
            return Optional.empty();
        }
        if (d instanceof Map<?, ?> m && m.containsKey("firstLinkMtu") && m.get("hops") instanceof List) {
            return Optional.of(MtuDocument.result(d));
        }
        if (d instanceof Map<?, ?> m && m.containsKey("payloadSize") && m.get("results") instanceof List) {
            return Optional.of(PingDocument.result(d));
        }
        if (MultipathDocument.is(d)) {
            return Optional.of(MultipathDocument.result(d));
        }
        if (CompareDocument.is(d)) {
            return Optional.of(CompareDocument.result(d));
        }
        return Optional.empty();
    }

    /** {@return the tree of {@code text} (a byte order mark ignored)} */
    static @Nullable Object parse(String text) {
        try {
            return JsonParser.parse(text.startsWith("\uFEFF") ? text.substring(1) : text);
        } catch (JsonParser.JsonParseException e) {
            throw new IllegalArgumentException("not JSON (" + e.getMessage() + ")", e);
        }
    }

    /** {@return field {@code key} of an object; null where it is absent or {@code v} is no object} */
    static @Nullable Object get(@Nullable Object v, String key) {
        return v instanceof Map<?, ?> m ? m.get(key) : null;
    }

    /** {@return field {@code key}: a string, else an {@link IllegalArgumentException}} */
    static String text(@Nullable Object v, String key) {
        if (get(v, key) instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("no " + key + " (a string)");
    }

    static Optional<String> string(@Nullable Object v) {
        return v instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /** {@return field {@code key}: a whole number, else an {@link IllegalArgumentException}} */
    static long whole(@Nullable Object v, String key) {
        if (get(v, key) instanceof Long n) {
            return n;
        }
        throw new IllegalArgumentException("no " + key + " (a whole number)");
    }

    static OptionalInt optionalWhole(@Nullable Object v) {
        return v instanceof Long n ? OptionalInt.of(n.intValue()) : OptionalInt.empty();
    }

    static boolean truth(@Nullable Object v, String key) {
        return Boolean.TRUE.equals(get(v, key));
    }

    static List<?> list(@Nullable Object v) {
        return v instanceof List<?> l ? l : List.of();
    }

    /** {@return milliseconds as a duration; an {@link IllegalArgumentException} for what is not a number} */
    static Duration millis(@Nullable Object ms) {
        if (!(ms instanceof Number n) || n.doubleValue() < 0 || !Double.isFinite(n.doubleValue())) {
            throw new IllegalArgumentException("a time that is not a number of milliseconds: " + ms);
        }
        return Duration.ofNanos(Math.round(n.doubleValue() * 1e6));
    }

    static Optional<Duration> optionalMillis(@Nullable Object ms) {
        return ms == null ? Optional.empty() : Optional.of(millis(ms));
    }

    static Instant instant(@Nullable Object v) {
        try {
            return Instant.parse(v instanceof String s ? s : "");
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("a startedAt that is not an instant: " + v, e);
        }
    }

    /** {@return the constant {@code v} names in any case} */
    static <E extends Enum<E>> E named(Class<E> type, @Nullable Object v) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v instanceof String s ? s : "")) {
                return e;
            }
        }
        throw new IllegalArgumentException("'" + v + "' is not a " + type.getSimpleName());
    }

    /** An address literal, or empty for null; a name is never looked up. */
    static Optional<InetAddress> address(@Nullable Object v) {
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String s) || !LITERAL.matcher(s).matches()) {
            throw new IllegalArgumentException("'" + v + "' is not an IP address");
        }
        try {
            return Optional.of(InetAddress.getByName(s));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + s + "' is not an IP address", e);
        }
    }

    /** {@return a document's {@code masked} statement, none without one} */
    static MaskStatement masking(@Nullable Object d) {
        Object m = get(d, "masked");
        return m == null ? MaskStatement.NONE : new MaskStatement((int) whole(m, "hops"), truth(m, "source"));
    }

    static OptionalDouble decimal(@Nullable Object v) {
        return v instanceof Number n ? OptionalDouble.of(n.doubleValue()) : OptionalDouble.empty();
    }

    /**
     * {@return the lookup {@code name} of {@code o}: its status {@code nameStatus}, its value {@code name} read by
     * {@code value}} A failure reads as "failed" (the documents write no reason); no status reads as off.
     */
    static <T> Lookup<T> lookup(@Nullable Object o, String name, Function<@Nullable Object, Optional<T>> value) {
        Optional<T> v = value.apply(get(o, name));
        Object status = get(o, name + "Status");
        return switch (status == null ? LookupStatus.OFF : named(LookupStatus.class, status)) {
            case FOUND -> v.map(Lookup::found).orElseThrow(() -> new IllegalArgumentException(name + " FOUND, none"));
            case NOT_FOUND -> Lookup.notFound();
            case FAILED -> Lookup.failed("failed");
            case PENDING -> Lookup.pending();
            case OFF -> Lookup.off();
        };
    }

    /** {@return the four lookups of an address ({@code hostname}, {@code asn}, {@code location}, {@code exchange})} */
    static Lookups lookups(@Nullable Object o) {
        return new Lookups(lookup(o, "hostname", Documents::string), lookup(o, "asn", Documents::asn),
                lookup(o, "location", Documents::location), lookup(o, "exchange", Documents::exchange));
    }

    /** An address's four lookups as a document writes them. */
    record Lookups(Lookup<String> hostname, Lookup<AsnInfo> asn, Lookup<GeoLocation> location,
            Lookup<Exchange> exchange) {}

    /** {@return an AS ({@code {number, prefix, name}}; its country and registry are not written), empty for null} */
    static Optional<AsnInfo> asn(@Nullable Object a) {
        return a == null ? Optional.empty() : Optional.of(new AsnInfo(whole(a, "number"), string(get(a, "prefix")),
                string(get(a, "name")), Optional.empty(), Optional.empty()));
    }

    static Optional<GeoLocation> location(@Nullable Object g) {
        return g == null ? Optional.empty() : Optional.of(new GeoLocation(string(get(g, "countryCode")),
                string(get(g, "country")), string(get(g, "city")), decimal(get(g, "latitude")),
                decimal(get(g, "longitude")), optionalWhole(get(g, "accuracyRadiusKm")), text(g, "database")));
    }

    static Optional<Exchange> exchange(@Nullable Object x) {
        return x == null ? Optional.empty() : Optional.of(new Exchange(text(x, "name"), whole(x, "ixId"),
                string(get(x, "city")), string(get(x, "country")), text(x, "prefix"),
                get(x, "memberAsn") instanceof Long n ? OptionalLong.of(n) : OptionalLong.empty(),
                string(get(x, "memberName"))));
    }
}
