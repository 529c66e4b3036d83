package io.pathprobe.evidence.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.LookupStatus;
import io.pathprobe.enrich.PublicAddress;
import io.pathprobe.probe.PacketHeader;
import io.pathprobe.probe.TrafficClass;
import io.pathprobe.spi.Availability;
import io.pathprobe.spi.IcmpExtension;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCapability;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** The recording's values as JSON and back: what transports, sessions and lookups hand the engine. */
final class Codec {
    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Codec() {}

    /** A malformed value in a recording line. */
    static final class BadRecord extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRecord(String message) {
            super(message);
        }
    }

    // ---- addresses ------------------------------------------------------------------------------

    /** {@code n} written and read back, as a recording's line is read (its numbers typed as read). */
    static JsonNode reread(JsonNode n) {
        try {
            return JSON.readTree(JSON.writeValueAsString(n));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("pathprobe wrote JSON it cannot read back", e);
        }
    }

    static String text(InetAddress a) {
        return a.getHostAddress();
    }

    /** An address literal (never a name: reading a recording asks no one). */
    static InetAddress address(String literal) {
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (!(Character.digit(c, 16) >= 0 || c == '.' || c == ':' || c == '%')) {
                throw new BadRecord("not an address literal: " + literal);
            }
        }
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new BadRecord("not an address literal: " + literal);
        }
    }

    static InetAddress address(JsonNode n, String field) {
        return address(string(n, field));
    }

    static String string(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new BadRecord("\"" + field + "\" missing or not a string");
        }
        return v.asText();
    }

    static @Nullable String optString(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static long number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber()) {
            throw new BadRecord("\"" + field + "\" missing or not a whole number");
        }
        return v.asLong();
    }

    static int integer(JsonNode n, String field) {
        long v = number(n, field);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new BadRecord("\"" + field + "\" out of range: " + v);
        }
        return (int) v;
    }

    static boolean bool(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isBoolean()) {
            throw new BadRecord("\"" + field + "\" missing or not true/false");
        }
        return v.asBoolean();
    }

    static <E extends Enum<E>> E enumValue(Class<E> type, JsonNode n, String field) {
        String s = string(n, field);
        try {
            return Enum.valueOf(type, s);
        } catch (IllegalArgumentException e) {
            throw new BadRecord("\"" + field + "\": unknown " + type.getSimpleName() + " " + s);
        }
    }

    // ---- transports -----------------------------------------------------------------------------

    static ArrayNode capabilities(Set<TransportCapability> caps) {
        ArrayNode a = NODES.arrayNode();
        caps.stream().map(Enum::name).sorted().forEach(a::add);
        return a;
    }

    static Set<TransportCapability> capabilities(JsonNode n, String field) {
        Set<TransportCapability> caps = EnumSet.noneOf(TransportCapability.class);
        JsonNode a = n.get(field);
        if (a == null || !a.isArray()) {
            throw new BadRecord("\"" + field + "\" missing or not a list");
        }
        for (JsonNode c : a) {
            try {
                caps.add(TransportCapability.valueOf(c.asText()));
            } catch (IllegalArgumentException e) {
                // a capability this library does not know: a newer recording; the transport lacks it here
            }
        }
        return caps;
    }

    static ObjectNode availability(Availability a) {
        ObjectNode n = NODES.objectNode();
        n.put("available", a.isAvailable());
        if (!a.isAvailable()) {
            n.put("reason", a.reason());
            a.remedy().ifPresent(r -> n.put("remedy", r));
            if (a.otherPlatform()) {
                n.put("otherPlatform", true);
            }
        }
        return n;
    }

    static Availability availability(JsonNode n) {
        if (bool(n, "available")) {
            return Availability.available();
        }
        String reason = Optional.ofNullable(optString(n, "reason")).orElse("unavailable");
        String remedy = optString(n, "remedy"); // both absent from recordings made before they were written
        return n.path("otherPlatform").asBoolean(false) ? Availability.otherPlatform(reason)
                : remedy != null ? Availability.unavailable(reason, remedy, null) : Availability.unavailable(reason);
    }

    /** The components of a session, in the order a recording writes them. */
    private static final RecordComponent[] SESSION = SessionSpec.class.getRecordComponents();
    /** The components every recorded session holds: those its shortest constructor with a payload size takes. */
    private static final int SESSION_REQUIRED = 6;

    /**
     * A session as its components, each under its {@link #key} ({@code port} and {@code payload} for the two
     * recorded so before) as {@link #value(Object)} writes it.
     */
    static ObjectNode session(SessionSpec s) {
        ObjectNode n = NODES.objectNode();
        for (RecordComponent c : SESSION) {
            n.set(sessionKey(c), value(component(c, s)));
        }
        return n;
    }

    /**
     * The session {@code n} holds; a component beyond the first six that it lacks (a recording made before the
     * component was) is as a session gets it unless set.
     */
    static SessionSpec session(JsonNode n) {
        Object[] values = new Object[SESSION.length];
        for (int i = 0; i < SESSION.length; i++) {
            values[i] = !n.has(sessionKey(SESSION[i])) && i >= SESSION_REQUIRED
                    ? component(SESSION[i], construct(Arrays.copyOf(values, SESSION_REQUIRED)))
                    : value(SESSION[i].getType(), n, sessionKey(SESSION[i]));
        }
        return construct(values);
    }

    private static String sessionKey(RecordComponent c) {
        return switch (c.getName()) {
            case "destinationPort" -> "port";
            case "payloadSize" -> "payload";
            default -> key(c.getName(), c.getType());
        };
    }

    /** {@return the field a value of this name and type is recorded in: a duration's name ends in {@code Nanos}} */
    static String key(String name, Class<?> type) {
        return type == Duration.class ? name + "Nanos" : name;
    }

    /**
     * A value of a session or of a request's shared options as a recording writes it: an enum by its name, an
     * address as its literal, a duration in nanoseconds, a traffic class as its byte, a number, true or false.
     */
    static JsonNode value(Object v) {
        return v instanceof Enum<?> e ? NODES.textNode(e.name())
                : v instanceof InetAddress a ? NODES.textNode(text(a))
                : v instanceof Duration d ? NODES.numberNode(d.toNanos())
                : v instanceof TrafficClass c ? NODES.numberNode(c.value())
                : JSON.valueToTree(v);
    }

    /** {@return the value of {@code type} in {@code field}, as {@link #value(Object)} wrote it} */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object value(Class<?> type, JsonNode n, String field) {
        return type.isEnum() ? enumValue((Class) type, n, field)
                : type == InetAddress.class ? address(n, field)
                : type == Duration.class ? Duration.ofNanos(number(n, field))
                : type == TrafficClass.class ? TrafficClass.of(integer(n, field))
                : type == boolean.class || type == Boolean.class ? bool(n, field) : integer(n, field);
    }

    private static SessionSpec construct(Object[] values) {
        Class<?>[] types = Arrays.stream(SESSION).limit(values.length).map(RecordComponent::getType)
                .toArray(Class<?>[]::new);
        try {
            return SessionSpec.class.getConstructor(types).newInstance(values);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e); // the record's checks
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object component(RecordComponent c, SessionSpec s) {
        try {
            return c.getAccessor().invoke(s);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static void probe(ObjectNode n, ProbeSpec p) {
        n.put("q", p.sequence());
        n.put("ttl", p.ttl());
        n.put("f", p.flow());
        n.put("z", p.size());
        n.put("df", p.dontFragment());
    }

    static ProbeSpec probe(JsonNode n) {
        return new ProbeSpec(integer(n, "q"), integer(n, "ttl"), integer(n, "f"), integer(n, "z"), bool(n, "df"));
    }

    static ObjectNode sendFailure(SendFailedException e) {
        ObjectNode n = NODES.objectNode();
        n.put("message", String.valueOf(e.getMessage()));
        n.put("noRoute", e.noRoute());
        n.put("permanent", e.permanent());
        n.put("mtu", e.mtu());
        return n;
    }

    static SendFailedException sendFailure(JsonNode n) {
        String message = string(n, "message");
        int mtu = integer(n, "mtu");
        return mtu > 0 ? SendFailedException.tooBig(message, mtu)
                : new SendFailedException(message, bool(n, "noRoute"), bool(n, "permanent"));
    }

    static ObjectNode response(ProbeResponse r) {
        ObjectNode n = NODES.objectNode();
        n.put("q", r.sequence());
        n.put("kind", r.kind().name());
        n.put("type", r.icmpType());
        n.put("code", r.icmpCode());
        n.put("from", text(r.responder()));
        n.put("at", r.receivedNanos());
        n.put("replyTtl", r.replyTtl());
        n.put("quotedTtl", r.quotedTtl());
        n.put("quotedIpId", r.quotedIpId());
        n.put("quotedChecksum", r.quotedChecksum());
        n.put("sentChecksum", r.sentChecksum());
        if (!r.extensions().isEmpty()) {
            ArrayNode a = n.putArray("extensions");
            for (IcmpExtension e : r.extensions()) {
                a.addObject().put("class", e.classNumber()).put("ctype", e.classType())
                        .put("payload", Base64.getEncoder().encodeToString(e.payload()));
            }
        }
        n.put("length", r.replyLength());
        n.put("mtu", r.mtu());
        if (r.sentHeader() != null) {
            n.set("sentHeader", header(r.sentHeader()));
        }
        if (r.quotedHeader() != null) {
            n.set("quotedHeader", header(r.quotedHeader()));
        }
        return n;
    }

    static ProbeResponse response(JsonNode n) {
        List<IcmpExtension> ext = new ArrayList<>();
        JsonNode a = n.get("extensions");
        if (a != null) {
            for (JsonNode e : a) {
                ext.add(new IcmpExtension(integer(e, "class"), integer(e, "ctype"),
                        Base64.getDecoder().decode(string(e, "payload"))));
            }
        }
        JsonNode sent = n.get("sentHeader");
        JsonNode quoted = n.get("quotedHeader");
        return new ProbeResponse(integer(n, "q"), enumValue(ResponseKind.class, n, "kind"), integer(n, "type"),
                integer(n, "code"), address(n, "from"), number(n, "at"), integer(n, "replyTtl"),
                integer(n, "quotedTtl"), integer(n, "quotedIpId"), integer(n, "quotedChecksum"),
                integer(n, "sentChecksum"), ext, integer(n, "length"), integer(n, "mtu"),
                sent == null ? null : header(sent), quoted == null ? null : header(quoted));
    }

    static ObjectNode header(PacketHeader h) {
        ObjectNode n = NODES.objectNode();
        n.put("v", h.ipVersion());
        n.put("tc", h.trafficClass());
        n.put("ttl", h.ttl());
        n.put("id", h.ipId());
        n.put("label", h.flowLabel());
        n.put("length", h.totalLength());
        n.put("protocol", h.protocol());
        h.source().ifPresent(a -> n.put("src", text(a)));
        h.destination().ifPresent(a -> n.put("dst", text(a)));
        n.put("sport", h.sourcePort());
        n.put("dport", h.destinationPort());
        n.put("checksum", h.transportChecksum());
        n.put("tcpHeaderLength", h.tcpHeaderLength());
        n.put("mss", h.tcpMss());
        ArrayNode o = n.putArray("tcpOptions");
        h.tcpOptions().forEach(o::add);
        return n;
    }

    static PacketHeader header(JsonNode n) {
        List<Integer> options = new ArrayList<>();
        JsonNode o = n.get("tcpOptions");
        if (o != null) {
            o.forEach(x -> options.add(x.asInt()));
        }
        String src = optString(n, "src");
        String dst = optString(n, "dst");
        return new PacketHeader(integer(n, "v"), integer(n, "tc"), integer(n, "ttl"), integer(n, "id"),
                integer(n, "label"), integer(n, "length"), integer(n, "protocol"),
                Optional.ofNullable(src).map(Codec::address), Optional.ofNullable(dst).map(Codec::address),
                integer(n, "sport"), integer(n, "dport"), integer(n, "checksum"), integer(n, "tcpHeaderLength"),
                integer(n, "mss"), options);
    }

    // ---- lookups --------------------------------------------------------------------------------

    static <T> ObjectNode lookup(Lookup<T> l, Function<T, JsonNode> value) {
        ObjectNode n = NODES.objectNode();
        n.put("status", l.status().name());
        l.value().ifPresent(v -> n.set("value", value.apply(v)));
        l.failure().ifPresent(f -> n.put("failure", f));
        return n;
    }

    static <T> Lookup<T> lookup(JsonNode n, Function<JsonNode, T> value) {
        LookupStatus status = enumValue(LookupStatus.class, n, "status");
        JsonNode v = n.get("value");
        String failure = optString(n, "failure");
        return switch (status) {
            case FOUND -> {
                if (v == null) {
                    throw new BadRecord("a FOUND lookup without its value");
                }
                yield Lookup.found(value.apply(v));
            }
            case NOT_FOUND -> Lookup.notFound();
            case FAILED -> Lookup.failed(failure == null ? "failed" : failure);
            case PENDING -> Lookup.pending();
            case OFF -> Lookup.off();
        };
    }

    static JsonNode hostname(String name) {
        return NODES.textNode(name);
    }

    static String hostname(JsonNode n) {
        return n.asText();
    }

    static JsonNode asn(AsnInfo a) {
        ObjectNode n = NODES.objectNode();
        n.put("number", a.number());
        a.prefix().ifPresent(p -> n.put("prefix", p));
        a.name().ifPresent(p -> n.put("name", p));
        a.country().ifPresent(p -> n.put("country", p));
        a.registry().ifPresent(p -> n.put("registry", p));
        return n;
    }

    static AsnInfo asn(JsonNode n) {
        return new AsnInfo(number(n, "number"), Optional.ofNullable(optString(n, "prefix")),
                Optional.ofNullable(optString(n, "name")), Optional.ofNullable(optString(n, "country")),
                Optional.ofNullable(optString(n, "registry")));
    }

    static JsonNode publicAddress(PublicAddress p) {
        ObjectNode n = NODES.objectNode();
        n.put("address", text(p.address()));
        n.put("port", p.port());
        n.put("server", text(p.server().getAddress()));
        n.put("serverPort", p.server().getPort());
        n.put("local", text(p.localAddress()));
        n.put("behindNat", p.behindNat());
        return n;
    }

    static PublicAddress publicAddress(JsonNode n) {
        return new PublicAddress(address(n, "address"), integer(n, "port"),
                new InetSocketAddress(address(n, "server"), integer(n, "serverPort")), address(n, "local"),
                bool(n, "behindNat"));
    }
}
