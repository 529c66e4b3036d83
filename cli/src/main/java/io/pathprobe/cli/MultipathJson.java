package io.pathprobe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pathprobe.AddressText;
import io.pathprobe.Diamond;
import io.pathprobe.HopStatistics;
import io.pathprobe.MultipathLink;
import io.pathprobe.MultipathNode;
import io.pathprobe.MultipathPath;
import io.pathprobe.MultipathResult;
import io.pathprobe.PathHop;
import io.pathprobe.RttStatistics;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The JSON form of a multipath result, with {@link JsonReport}'s conventions: stable field names
 * (added, never renamed or removed; {@code schemaVersion} says which set), addresses in RFC 5952
 * form and {@code null} for a silent node, times in milliseconds rounded to the microsecond, loss
 * as a fraction from 0 to 1.
 */
final class MultipathJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Version 1: the first. Version 2 added enrichment: {@code publicAddress}, {@code behindNat},
     * {@code context}; per node {@code hostname}, {@code asn} ({number, prefix, name}), {@code segment},
     * {@code hostnameStatus}, {@code asnStatus}.
     */
    static final int SCHEMA_VERSION = 2;

    record Report(int schemaVersion, String target, String destination, String protocol, String transport,
            String algorithm, String status, boolean complete, boolean destinationReached, int probes,
            int discoveryProbes, double durationMs, String startedAt, double confidence, double globalConfidence,
            int maxWidth, boolean perPacketLoadBalancing, List<NodeJson> nodes, List<LinkJson> links,
            List<DiamondJson> diamonds, List<PathJson> paths, List<NodeRef> unexplored, List<String> notes,
            @Nullable String publicAddress, @Nullable Boolean behindNat, JsonReport.ContextJson context) {}

    record NodeJson(@Nullable String address, int ttl, int replies, List<Integer> flows, boolean destination,
            String loadBalancing, @Nullable RttJson rtt, @Nullable String hostname, JsonReport.@Nullable AsnJson asn,
            String segment, String hostnameStatus, String asnStatus) {}

    record NodeRef(@Nullable String address, int ttl) {}

    record LinkJson(int ttl, @Nullable String from, @Nullable String to, int flows) {}

    record DiamondJson(NodeRef divergence, @Nullable NodeRef convergence, List<Integer> widths, int maxWidth,
            boolean meshed, String loadBalancing) {}

    record PathJson(List<@Nullable String> addresses, List<Integer> flows, double loss, double forwardLoss,
            double backwardLoss, int sent, int received, int lost, @Nullable RttJson rtt, List<HopJson> hops) {}

    record HopJson(int ttl, @Nullable String address, int sent, int received, int lost, int forwardLost,
            int backwardLost, int abandoned, double loss, @Nullable RttJson rtt) {}

    record RttJson(double min, double avg, double max, double stdDev) {}

    private MultipathJson() {}

    static String toJson(MultipathResult r) {
        try {
            return MAPPER.writeValueAsString(report(r));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Report report(MultipathResult r) {
        return new Report(SCHEMA_VERSION, r.request().target(), AddressText.of(r.destination()), lower(r.protocol()),
                r.transport(), r.request().algorithm().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                r.status().name(), r.complete(), r.destinationReached(), r.probes(), r.discoveryProbes(),
                JsonReport.ms(r.duration()), r.startedAt().toString(), r.confidence(), r.globalConfidence(),
                r.maxWidth(), r.perPacketLoadBalancing(), r.nodes().stream().map(MultipathJson::node).toList(),
                r.links().stream().map(MultipathJson::link).toList(),
                r.diamonds().stream().map(MultipathJson::diamond).toList(),
                r.paths().stream().map(MultipathJson::path).toList(),
                r.unexplored().stream().map(MultipathJson::ref).toList(), r.notes(),
                r.publicAddress().map(p -> AddressText.of(p.address())).orElse(null),
                r.publicAddress().map(io.pathprobe.PublicAddress::behindNat).orElse(null), JsonReport.context(r.context()));
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static @Nullable String address(Optional<InetAddress> a) {
        return a.map(AddressText::of).orElse(null);
    }

    private static NodeJson node(MultipathNode n) {
        return new NodeJson(address(n.address()), n.ttl(), n.replies(), n.flows(), n.destination(),
                n.loadBalancing().name(), n.rtt().map(MultipathJson::rtt).orElse(null), n.hostname().value().orElse(null),
                JsonReport.asn(n.asn()), n.segment().name(), n.hostname().status().name(), n.asn().status().name());
    }

    private static NodeRef ref(MultipathNode n) {
        return new NodeRef(address(n.address()), n.ttl());
    }

    private static LinkJson link(MultipathLink l) {
        return new LinkJson(l.ttl(), address(l.from()), address(l.to()), l.flows());
    }

    private static DiamondJson diamond(Diamond d) {
        return new DiamondJson(ref(d.divergence()), d.convergence().map(MultipathJson::ref).orElse(null), d.widths(),
                d.maxWidth(), d.meshed(), d.loadBalancing().name());
    }

    private static PathJson path(MultipathPath p) {
        HopStatistics s = p.statistics();
        return new PathJson(p.addresses().stream().map(MultipathJson::address).toList(), p.flows(), s.loss(),
                s.forwardLoss(), s.backwardLoss(), s.sent(), s.received(), s.lost(),
                s.rtt().map(MultipathJson::rtt).orElse(null), p.hops().stream().map(MultipathJson::hop).toList());
    }

    private static HopJson hop(PathHop h) {
        HopStatistics s = h.statistics();
        return new HopJson(h.ttl(), address(h.address()), s.sent(), s.received(), s.lost(), s.forwardLost(),
                s.backwardLost(), s.abandoned(), s.loss(), s.rtt().map(MultipathJson::rtt).orElse(null));
    }

    private static RttJson rtt(RttStatistics s) {
        return new RttJson(JsonReport.ms(s.min()), JsonReport.ms(s.mean()), JsonReport.ms(s.max()),
                JsonReport.ms(s.stdDev()));
    }
}
