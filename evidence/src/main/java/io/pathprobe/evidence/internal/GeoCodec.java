package io.pathprobe.evidence.internal;

import static io.pathprobe.evidence.internal.Codec.NODES;
import static io.pathprobe.evidence.internal.Codec.optString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pathprobe.enrich.Exchange;
import io.pathprobe.enrich.GeoLocation;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** The offline lookups' values (GeoIP location, IXP) as recorded. */
final class GeoCodec {
    private GeoCodec() {}

    static JsonNode location(GeoLocation g) {
        ObjectNode n = NODES.objectNode();
        g.countryCode().ifPresent(x -> n.put("countryCode", x));
        g.country().ifPresent(x -> n.put("country", x));
        g.city().ifPresent(x -> n.put("city", x));
        g.latitude().ifPresent(x -> n.put("latitude", x));
        g.longitude().ifPresent(x -> n.put("longitude", x));
        g.accuracyRadiusKm().ifPresent(x -> n.put("accuracyRadiusKm", x));
        n.put("database", g.database());
        return n;
    }

    static GeoLocation location(JsonNode n) {
        return new GeoLocation(Optional.ofNullable(optString(n, "countryCode")), Optional.ofNullable(
                optString(n, "country")), Optional.ofNullable(optString(n, "city")),
                n.has("latitude") ? OptionalDouble.of(n.get("latitude").asDouble()) : OptionalDouble.empty(),
                n.has("longitude") ? OptionalDouble.of(n.get("longitude").asDouble()) : OptionalDouble.empty(),
                n.has("accuracyRadiusKm") ? OptionalInt.of(n.get("accuracyRadiusKm").asInt()) : OptionalInt.empty(),
                Codec.string(n, "database"));
    }

    static JsonNode exchange(Exchange x) {
        ObjectNode n = NODES.objectNode();
        n.put("name", x.name());
        n.put("ixId", x.ixId());
        x.city().ifPresent(v -> n.put("city", v));
        x.country().ifPresent(v -> n.put("country", v));
        n.put("prefix", x.prefix());
        x.memberAsn().ifPresent(v -> n.put("memberAsn", v));
        x.memberName().ifPresent(v -> n.put("memberName", v));
        return n;
    }

    static Exchange exchange(JsonNode n) {
        return new Exchange(Codec.string(n, "name"), Codec.number(n, "ixId"), Optional.ofNullable(optString(n, "city")),
                Optional.ofNullable(optString(n, "country")), Codec.string(n, "prefix"),
                n.has("memberAsn") ? OptionalLong.of(n.get("memberAsn").asLong()) : OptionalLong.empty(),
                Optional.ofNullable(optString(n, "memberName")));
    }
}
