package io.pathprobe.ping;

import io.pathprobe.options.ProbeOptions;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.TrafficClass;
import io.pathprobe.util.Checks;
import io.pathprobe.util.Text;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** {@link PingRequest}'s checks of its builder's arguments and their combination, its defaults per kind, its text. */
final class PingRequestChecks {
    private PingRequestChecks() {
    }

    /** A target, stripped; blank: an IllegalArgumentException. */
    static String target(String target) {
        Objects.requireNonNull(target, "target");
        if (target.isBlank()) {
            throw new IllegalArgumentException("a target must not be blank");
        }
        return target.strip();
    }

    /** A count, at least 1. */
    static long count(long count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
        return count;
    }

    /** A gap, 0 to {@link PingRequest#MAX_DURATION}. */
    static Duration gap(Duration gap) {
        Objects.requireNonNull(gap, "gap");
        if (gap.isNegative() || gap.compareTo(PingRequest.MAX_DURATION) > 0) {
            throw new IllegalArgumentException("gap must be 0 to " + PingRequest.MAX_DURATION.toDays()
                    + " days, was " + Text.duration(gap));
        }
        return gap;
    }

    /** A payload size, 0 to {@link PingRequest#MAX_PAYLOAD}. */
    static int payloadSize(int payloadSize) {
        return Checks.between(payloadSize, 0, PingRequest.MAX_PAYLOAD, "payloadSize");
    }

    /** A destination port, 1 to 65535. */
    static int destinationPort(int destinationPort) {
        return Checks.between(destinationPort, 1, 65535, "destinationPort");
    }

    /** Checks a DNS query's name and type: neither blank. */
    static void dnsQuery(String name, String type) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (name.isBlank() || type.isBlank()) {
            throw new IllegalArgumentException("DNS query name and type must not be blank");
        }
    }

    /** An HTTP path, starting with '/'. */
    static String httpPath(String path) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("httpPath must start with '/', was " + path);
        }
        return path;
    }

    /** A number of recent probes, 0 to {@link PingRequest#MAX_RECENT_PROBES}. */
    static int recentProbes(int recentProbes) {
        return Checks.between(recentProbes, 0, PingRequest.MAX_RECENT_PROBES, "recentProbes");
    }

    /**
     * Checks the combination of a builder's values, as {@link PingRequest.Builder#build()} documents.
     *
     * @throws IllegalArgumentException with no target, an interval below 1 ms without sub-millisecond intervals
     *     allowed (or below 10 µs at all), a payload size with TCP, DNS or HTTP probes, or a port with ICMP
     */
    static void combination(boolean noTarget, Duration interval, boolean subMillisecondInterval, int payloadSize,
            int port, boolean automaticKind, List<PingKind> kinds) {
        if (noTarget) {
            throw new IllegalArgumentException("a ping needs at least one target");
        }
        if (interval.compareTo(PingRequest.MIN_FAST_INTERVAL) < 0
                || !subMillisecondInterval && interval.compareTo(PingRequest.MIN_INTERVAL) < 0) {
            throw new IllegalArgumentException("interval " + Text.duration(interval) + " is below "
                    + (subMillisecondInterval ? Text.duration(PingRequest.MIN_FAST_INTERVAL)
                            : Text.duration(PingRequest.MIN_INTERVAL) + " (allowSubMillisecondInterval() allows down "
                                    + "to " + Text.duration(PingRequest.MIN_FAST_INTERVAL) + ")"));
        }
        if (payloadSize >= 0 && !automaticKind && kinds.get(0) != PingKind.ICMP && kinds.get(0) != PingKind.UDP) {
            throw new IllegalArgumentException("payloadSize applies to ICMP and UDP probes only, not "
                    + kinds.get(0) + " (a TCP SYN, DNS query or HTTP request has no payload to size)");
        }
        if (port != 0 && !automaticKind && kinds.get(0) == PingKind.ICMP) {
            throw new IllegalArgumentException("port(" + port + ") applies to UDP, TCP, DNS and HTTP probes; "
                    + "ICMP echo requests have no port");
        }
    }

    /** {@link PingRequest#payloadSize(PingKind)}: {@code given} (-1: none) for {@code kind}. */
    static int payloadSize(PingKind kind, int given) {
        return switch (kind) {
            case ICMP -> given >= 0 ? given : PingRequest.DEFAULT_ICMP_PAYLOAD;
            case UDP -> given;
            case TCP, DNS, HTTP -> -1;
        };
    }

    /** {@link PingRequest#destinationPort(PingKind)}: {@code given} (0: none) for {@code kind}. */
    static int destinationPort(PingKind kind, int given, boolean https) {
        if (kind == PingKind.ICMP) {
            return 0;
        }
        if (given != 0) {
            return given;
        }
        return switch (kind) {
            case UDP -> 33434;
            case TCP -> 80;
            case DNS -> 53;
            case HTTP -> https ? 443 : 80;
            case ICMP -> 0;
        };
    }

    /** {@link PingRequest#toString()}'s text. */
    static String text(PingRequest r) {
        List<String> targets = r.targets();
        return "PingRequest{" + (targets.size() <= 3 ? targets.toString() : targets.size() + " targets")
                + ", " + (r.automaticKind() ? "automatic " + r.kinds() : r.kind())
                + ", " + (r.untilCancelled() ? "until cancelled" : r.count() + "×") + " every "
                + Text.duration(r.interval()) + ", gap " + Text.duration(r.gap()) + ", timeout "
                + Text.duration(r.probeTimeout()) + ", ttl " + r.ttl()
                + (r.payloadSize().isPresent() ? ", payload " + r.payloadSize().getAsInt() : "")
                + (r.destinationPort() != 0 ? ", port " + r.destinationPort() : "")
                + r.deadline().map(d -> ", deadline " + Text.duration(d)).orElse("")
                + (r.packetsPerSecond() == 0 ? "" : ", " + r.packetsPerSecond() + " pps")
                + (r.trafficClass().equals(TrafficClass.DEFAULT) ? "" : ", " + r.trafficClass()) + "}";
    }

    /** A payload size: empty when below 0 (none given). */
    static java.util.OptionalInt given(int payloadSize) {
        return payloadSize < 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(payloadSize);
    }

    /**
     * {@link PingRequest#options()}: the options every request shares as the ping resolved them ({@code shared}),
     * so that one added there is handed on with no change here, and its TTL, lookups, kind and port.
     */
    static ProbeOptions options(PingRequest r, ProbeOptions shared) {
        ProbeOptions.Builder o = shared.toBuilder().maxTtl(r.ttl()).enrich(r.enrich());
        if (!r.automaticKind()) {
            switch (r.kind()) {
                case ICMP -> o.protocol(ProbeProtocol.ICMP);
                case UDP -> o.protocol(ProbeProtocol.UDP);
                case TCP -> o.protocol(ProbeProtocol.TCP);
                default -> { } // DNS and HTTP are no probe protocol of their own
            }
        }
        if (r.destinationPort() != 0) {
            o.destinationPort(r.destinationPort());
        }
        return o.build();
    }

    /** What {@link PingRequest.Builder#options(ProbeOptions)} takes beyond the options every request shares. */
    static void take(ProbeOptions o, PingRequest.Builder b) {
        o.protocol().ifPresent(p -> b.kind(PingKind.valueOf(p.name())));
        o.destinationPort().ifPresent(b::destinationPort);
        o.maxTtl().ifPresent(b::ttl);
        o.enrich().ifPresent(b::enrich);
    }
}
