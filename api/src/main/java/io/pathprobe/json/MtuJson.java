package io.pathprobe.json;

import io.pathprobe.probe.AddressText;
import io.pathprobe.mtu.MtuBlackHole;
import io.pathprobe.mtu.MtuHop;
import io.pathprobe.mtu.MtuResult;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The path MTU document's trees ({@link PathProbeJson#mtu(MtuResult)}); docs/schema/mtu.schema.json. */
final class MtuJson {
    private MtuJson() {}

    static Map<String, @Nullable Object> tree(MtuResult r) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", PathProbeJson.MTU_SCHEMA_VERSION);
        m.put("target", r.target());
        m.put("destination", PathProbeJson.address(r.destination()));
        m.put("protocol", "udp");
        m.put("transport", r.transport());
        m.put("status", r.status().name());
        m.put("destinationReached", r.destinationReached());
        m.put("firstLinkMtu", PathProbeJson.boxed(r.firstLinkMtu()));
        m.put("pathMtu", PathProbeJson.boxed(r.pathMtu()));
        m.put("probesSent", r.probesSent());
        m.put("startedAt", r.startedAt().toString());
        m.put("durationMs", PathProbeJson.ms(r.elapsed()));
        m.put("hops", PathProbeJson.list(r.hops(), MtuJson::tree));
        m.put("blackHole", r.blackHole().map(MtuJson::tree).orElse(null));
        return m;
    }

    static Map<String, @Nullable Object> tree(MtuHop h) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("ttl", h.ttl());
        m.put("address", PathProbeJson.address(h.address()));
        m.put("rttMs", h.rtt().map(PathProbeJson::ms).orElse(null));
        m.put("pathMtu", h.pathMtu());
        m.put("tooBig", PathProbeJson.boxed(h.tooBig()));
        m.put("tooBigFrom", PathProbeJson.address(h.tooBigFrom()));
        m.put("destination", h.destination());
        return m;
    }

    static Map<String, @Nullable Object> tree(MtuBlackHole b) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("ttl", b.ttl());
        m.put("after", b.after().map(AddressText::of).orElse(null));
        m.put("largestPassing", b.largestPassing());
        m.put("smallestLost", b.smallestLost());
        return m;
    }
}
