package io.pathprobe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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

    /** Version 2 added protocolNote, abandoned, icmp descriptions, replyTtl and mpls; icmpType/icmpCode are null when no ICMP answered. */
    static final int SCHEMA_VERSION = 2;

    record Report(int schemaVersion, String target, @Nullable String destination, String protocol,
            @Nullable String protocolNote, String transport, String status, boolean destinationReached,
            double durationMs, String startedAt, int unmatchedReplies, List<HopJson> hops) {}

    record HopJson(int ttl, @Nullable String address, List<Double> rtts, int sent, int received, int abandoned, double loss,
            @Nullable Double minMs, @Nullable Double avgMs, @Nullable Double maxMs, @Nullable Double stdDevMs,
            List<ResponderJson> responders, List<ProbeJson> probes) {}

    record ResponderJson(String address, int replies) {}

    record ProbeJson(int attempt, String status, @Nullable String responder, @Nullable Double rttMs,
            @Nullable Integer icmpType, @Nullable Integer icmpCode, @Nullable String icmp, boolean destination,
            @Nullable String failure, @Nullable Integer replyTtl, List<String> mpls) {}

    private JsonReport() {}

    static String toJson(TraceResult r) {
        try {
            return MAPPER.writeValueAsString(report(r));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Report report(TraceResult r) {
        return new Report(SCHEMA_VERSION, r.target(), r.destination().map(InetAddress::getHostAddress).orElse(null),
                r.protocol().name().toLowerCase(java.util.Locale.ROOT), r.protocolNote().orElse(null),
                r.transport(), r.status().name(), r.destinationReached(), ms(r.duration()), r.startedAt().toString(),
                r.unmatchedReplies(), r.hops().stream().map(JsonReport::hop).toList());
    }

    private static HopJson hop(Hop h) {
        var stats = h.statistics();
        var rtt = stats.rtt();
        return new HopJson(h.ttl(), h.address().map(InetAddress::getHostAddress).orElse(null),
                h.rtts().stream().map(JsonReport::ms).toList(), stats.sent(), stats.received(), stats.abandoned(), stats.loss(),
                rtt.map(s -> ms(s.min())).orElse(null), rtt.map(s -> ms(s.mean())).orElse(null),
                rtt.map(s -> ms(s.max())).orElse(null), rtt.map(s -> ms(s.stdDev())).orElse(null),
                h.responders().stream().map(x -> new ResponderJson(x.address().getHostAddress(), x.replies())).toList(),
                h.probes().stream().map(JsonReport::probe).toList());
    }

    private static ProbeJson probe(ProbeResult p) {
        return new ProbeJson(p.attempt(), p.status().name(), p.responder().map(InetAddress::getHostAddress).orElse(null),
                p.rtt().map(JsonReport::ms).orElse(null), p.icmp().map(IcmpMessage::type).orElse(null),
                p.icmp().map(IcmpMessage::code).orElse(null), p.icmp().map(IcmpMessage::description).orElse(null),
                p.fromDestination(), p.failure().orElse(null),
                p.replyTtl().isPresent() ? p.replyTtl().getAsInt() : null,
                p.mplsLabels().stream().map(Object::toString).toList());
    }

    private static double ms(Duration d) {
        return Math.round(d.toNanos() / 1e3) / 1e3;
    }
}
