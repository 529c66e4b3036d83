package io.pathprobe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pathprobe.AddressText;
import io.pathprobe.AsnInfo;
import io.pathprobe.Lookup;
import io.pathprobe.PathContext;
import io.pathprobe.PublicAddress;
import io.pathprobe.Hop;
import io.pathprobe.IcmpMessage;
import io.pathprobe.ProbeResult;
import io.pathprobe.TraceResult;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The JSON form of a trace result. Stable field names (scripts read them): fields are added, never
 * renamed or removed, and {@code schemaVersion} says which set a document has.
 */
final class JsonReport {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Version 2 added protocolNote, abandoned, icmp descriptions, replyTtl and mpls; icmpType/icmpCode
     * are null when no ICMP answered. Version 3 added flowMode and flows; per hop lost, forwardLost,
     * backwardLost, nat and natId; per probe flow and natId; IPv6 addresses are in RFC 5952 form.
     * Version 4 added enrichment: publicAddress, behindNat and context; per hop hostname, asn
     * ({number, prefix, name}), segment, hostnameStatus and asnStatus; per responder hostname and asn.
     */
    static final int SCHEMA_VERSION = 4;

    record Report(int schemaVersion, String target, @Nullable String destination, String protocol,
            @Nullable String protocolNote, String transport, String status, boolean destinationReached,
            double durationMs, String startedAt, int unmatchedReplies, String flowMode, int flows,
            @Nullable String publicAddress, @Nullable Boolean behindNat, ContextJson context, List<HopJson> hops) {}

    record HopJson(int ttl, @Nullable String address, List<Double> rtts, int sent, int received, int abandoned, double loss,
            @Nullable Double minMs, @Nullable Double avgMs, @Nullable Double maxMs, @Nullable Double stdDevMs,
            List<ResponderJson> responders, List<ProbeJson> probes, int lost, int forwardLost, int backwardLost,
            boolean nat, @Nullable Integer natId, @Nullable String hostname, @Nullable AsnJson asn, String segment,
            @Nullable String hostnameStatus, @Nullable String asnStatus) {}

    record ResponderJson(String address, int replies, @Nullable String hostname, @Nullable AsnJson asn,
            String hostnameStatus, String asnStatus) {}

    /** An AS: number, prefix and name (prefix and name null when unknown). */
    record AsnJson(long number, @Nullable String prefix, @Nullable String name) {}

    /**
     * What enrichment learned about the ends of the path; each status FOUND, NOT_FOUND, FAILED, PENDING
     * or OFF, with the failure when FAILED.
     */
    record ContextJson(String publicAddressStatus, @Nullable String publicAddressFailure, @Nullable Integer publicPort,
            @Nullable String stunServer, @Nullable String localAddress, @Nullable AsnJson localAsn,
            String localAsnStatus, @Nullable AsnJson destinationAsn, String destinationAsnStatus) {}

    record ProbeJson(int attempt, String status, @Nullable String responder, @Nullable Double rttMs,
            @Nullable Integer icmpType, @Nullable Integer icmpCode, @Nullable String icmp, boolean destination,
            @Nullable String failure, @Nullable Integer replyTtl, List<String> mpls, @Nullable Integer flow,
            @Nullable Integer natId) {}

    private JsonReport() {}

    static String toJson(TraceResult r) {
        try {
            return MAPPER.writeValueAsString(report(r));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Report report(TraceResult r) {
        return new Report(SCHEMA_VERSION, r.target(), r.destination().map(AddressText::of).orElse(null),
                r.protocol().name().toLowerCase(java.util.Locale.ROOT), r.protocolNote().orElse(null),
                r.transport(), r.status().name(), r.destinationReached(), ms(r.duration()), r.startedAt().toString(),
                r.unmatchedReplies(), r.flowMode().name().toLowerCase(java.util.Locale.ROOT), r.flows(),
                r.publicAddress().map(p -> AddressText.of(p.address())).orElse(null),
                r.publicAddress().map(PublicAddress::behindNat).orElse(null), context(r.context()),
                r.hops().stream().map(JsonReport::hop).toList());
    }

    static ContextJson context(PathContext c) {
        var p = c.publicAddress().value();
        return new ContextJson(c.publicAddress().status().name(), c.publicAddress().failure().orElse(null),
                p.map(PublicAddress::port).orElse(null),
                p.map(x -> AddressText.of(x.server().getAddress()) + ":" + x.server().getPort()).orElse(null),
                p.map(x -> AddressText.of(x.localAddress())).orElse(null),
                asn(c.localAsn()), c.localAsn().status().name(), asn(c.destinationAsn()),
                c.destinationAsn().status().name());
    }

    static @Nullable AsnJson asn(Lookup<AsnInfo> l) {
        return l.value().map(a -> new AsnJson(a.number(), a.prefix().orElse(null), a.name().orElse(null))).orElse(null);
    }

    private static HopJson hop(Hop h) {
        var stats = h.statistics();
        var rtt = stats.rtt();
        return new HopJson(h.ttl(), h.address().map(AddressText::of).orElse(null),
                h.rtts().stream().map(JsonReport::ms).toList(), stats.sent(), stats.received(), stats.abandoned(), stats.loss(),
                rtt.map(s -> ms(s.min())).orElse(null), rtt.map(s -> ms(s.mean())).orElse(null),
                rtt.map(s -> ms(s.max())).orElse(null), rtt.map(s -> ms(s.stdDev())).orElse(null),
                h.responders().stream().map(x -> new ResponderJson(AddressText.of(x.address()), x.replies(),
                        x.hostname().value().orElse(null), asn(x.asn()), x.hostname().status().name(),
                        x.asn().status().name())).toList(),
                h.probes().stream().map(JsonReport::probe).toList(), stats.lost(), stats.forwardLost(),
                stats.backwardLost(), h.nat(), boxed(h.natId()), h.hostname().orElse(null),
                h.responders().isEmpty() ? null : asn(h.responders().get(0).asn()), h.segment().name(),
                h.responders().isEmpty() ? null : h.responders().get(0).hostname().status().name(),
                h.responders().isEmpty() ? null : h.responders().get(0).asn().status().name());
    }

    private static ProbeJson probe(ProbeResult p) {
        return new ProbeJson(p.attempt(), p.status().name(), p.responder().map(AddressText::of).orElse(null),
                p.rtt().map(JsonReport::ms).orElse(null), p.icmp().map(IcmpMessage::type).orElse(null),
                p.icmp().map(IcmpMessage::code).orElse(null), p.icmp().map(IcmpMessage::description).orElse(null),
                p.fromDestination(), p.failure().orElse(null),
                p.replyTtl().isPresent() ? p.replyTtl().getAsInt() : null,
                p.mplsLabels().stream().map(Object::toString).toList(), boxed(p.flow()), boxed(p.natId()));
    }

    private static @Nullable Integer boxed(java.util.OptionalInt i) {
        return i.isPresent() ? i.getAsInt() : null;
    }

    /** Milliseconds rounded to the microsecond. */
    static double ms(Duration d) {
        return Math.round(d.toNanos() / 1e3) / 1e3;
    }
}
