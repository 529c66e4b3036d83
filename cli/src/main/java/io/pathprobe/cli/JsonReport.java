package io.pathprobe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pathprobe.Hop;
import io.pathprobe.ProbeResult;
import io.pathprobe.TraceResult;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The JSON form of a trace result (stable field names: scripts read it). */
final class JsonReport {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    record Report(String target, String destination, String protocol, String transport, String status,
            boolean destinationReached, double durationMs, String startedAt, int unmatchedReplies, List<HopJson> hops) {}

    record HopJson(int ttl, @Nullable String address, List<Double> rtts, int sent, int received, double loss,
            @Nullable Double minMs, @Nullable Double avgMs, @Nullable Double maxMs, @Nullable Double stdDevMs,
            List<ResponderJson> responders, List<ProbeJson> probes) {}

    record ResponderJson(String address, int replies) {}

    record ProbeJson(int attempt, String status, @Nullable String responder, @Nullable Double rttMs, int icmpType,
            int icmpCode, boolean destination, @Nullable String failure) {}

    private JsonReport() {}

    static String toJson(TraceResult r) {
        try {
            return MAPPER.writeValueAsString(report(r));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Report report(TraceResult r) {
        return new Report(r.target(), r.destination().getHostAddress(), r.protocol().name().toLowerCase(java.util.Locale.ROOT),
                r.transport(), r.status().name(), r.destinationReached(), ms(r.duration()), r.startedAt().toString(),
                r.unmatchedReplies(), r.hops().stream().map(JsonReport::hop).toList());
    }

    private static HopJson hop(Hop h) {
        var stats = h.statistics();
        var rtt = stats.rtt();
        return new HopJson(h.ttl(), h.address().map(InetAddress::getHostAddress).orElse(null),
                h.rtts().stream().map(JsonReport::ms).toList(), stats.sent(), stats.received(), stats.loss(),
                rtt.map(s -> ms(s.min())).orElse(null), rtt.map(s -> ms(s.mean())).orElse(null),
                rtt.map(s -> ms(s.max())).orElse(null), rtt.map(s -> ms(s.stdDev())).orElse(null),
                h.responders().stream().map(x -> new ResponderJson(x.address().getHostAddress(), x.replies())).toList(),
                h.probes().stream().map(JsonReport::probe).toList());
    }

    private static ProbeJson probe(ProbeResult p) {
        return new ProbeJson(p.attempt(), p.status().name(), p.responder().map(InetAddress::getHostAddress).orElse(null),
                p.rtt().map(JsonReport::ms).orElse(null), p.icmpType(), p.icmpCode(), p.destination(), p.failure().orElse(null));
    }

    private static double ms(Duration d) {
        return Math.round(d.toNanos() / 1e3) / 1e3;
    }
}
