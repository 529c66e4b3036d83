package io.pathprobe.otel;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * The attributes of pathprobe's spans (docs/otel.md has the table, written as a proposal for an upstream semantic
 * convention): OpenTelemetry's own names where one fits, the {@code pathprobe.*} set for the rest. Times are
 * milliseconds, shares and losses fractions from 0 to 1.
 */
public final class PathAttributes {
    private PathAttributes() {}

    /** The host as the caller named it: {@code "example.net"} (semantic conventions). */
    public static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    /**
     * The measurement span: the destination's address; a hop span: the address that answered most of its probes
     * (semantic conventions).
     */
    public static final AttributeKey<String> NETWORK_PEER_ADDRESS = AttributeKey.stringKey("network.peer.address");
    /** {@code "ipv4"} or {@code "ipv6"} (semantic conventions). */
    public static final AttributeKey<String> NETWORK_TYPE = AttributeKey.stringKey("network.type");
    /** The probes' protocol: {@code "icmp"}, {@code "udp"} or {@code "tcp"} (semantic conventions). */
    public static final AttributeKey<String> NETWORK_TRANSPORT = AttributeKey.stringKey("network.transport");

    /** The kind of measurement: {@code "trace"}, {@code "traceAll"}, {@code "monitor"}, {@code "multipath"}, ... */
    public static final AttributeKey<String> MEASUREMENT = AttributeKey.stringKey("pathprobe.measurement");
    /** How the measurement ended, its status's name: {@code "DESTINATION_REACHED"}, {@code "COMPLETED"}, ... */
    public static final AttributeKey<String> STATUS = AttributeKey.stringKey("pathprobe.status");
    /** Whether the destination answered. */
    public static final AttributeKey<Boolean> REACHED = AttributeKey.booleanKey("pathprobe.destination.reached");
    /** How many hops the span has children for. */
    public static final AttributeKey<Long> HOP_COUNT = AttributeKey.longKey("pathprobe.hop_count");
    /** The path's ids, one per flow: the agent's {@code pathprobe_path_id} and {@code pathprobe check --path-id}. */
    public static final AttributeKey<List<Long>> PATH_ID = AttributeKey.longArrayKey("pathprobe.path_id");
    /** A monitor's round number, from 1. */
    public static final AttributeKey<Long> ROUND = AttributeKey.longKey("pathprobe.monitor.round");

    /** The hop's TTL (hop number). */
    public static final AttributeKey<Long> TTL = AttributeKey.longKey("pathprobe.hop.ttl");
    /** Every address that answered at the hop, most answers first. */
    public static final AttributeKey<List<String>> RESPONDERS = AttributeKey.stringArrayKey("pathprobe.hop.responders");
    /** The names (reverse DNS) of the hop's responders, in their order, where one was found. */
    public static final AttributeKey<List<String>> NAMES = AttributeKey.stringArrayKey("pathprobe.hop.names");
    /** The AS number of the hop's main responder, where one was found. */
    public static final AttributeKey<Long> AS_NUMBER = AttributeKey.longKey("pathprobe.hop.as.number");
    /** The AS's name, where one was found. */
    public static final AttributeKey<String> AS_NAME = AttributeKey.stringKey("pathprobe.hop.as.name");
    /** Whether the hop is the destination. */
    public static final AttributeKey<Boolean> DESTINATION = AttributeKey.booleanKey("pathprobe.hop.destination");
    /** The header fields the routers received rewritten: {@code "DSCP 46 -> 0"}, {@code "ECN ECT(0) -> Not-ECT"}. */
    public static final AttributeKey<List<String>> HEADER_CHANGES =
            AttributeKey.stringArrayKey("pathprobe.hop.header_changes");
    /** The MPLS labels the router quoted (RFC 4950), outermost first. */
    public static final AttributeKey<List<Long>> MPLS_LABELS = AttributeKey.longArrayKey("pathprobe.hop.mpls.labels");

    /** Probes sent. */
    public static final AttributeKey<Long> PROBES_SENT = AttributeKey.longKey("pathprobe.probes.sent");
    /** Probes answered. */
    public static final AttributeKey<Long> PROBES_ANSWERED = AttributeKey.longKey("pathprobe.probes.answered");
    /**
     * The loss the result claims, 0 to 1: the probes the evidence decided were lost, of those decided; a rate
     * limit's refusals and the misses a rate limit could explain are not loss. Absent when no probe was decided.
     */
    public static final AttributeKey<Double> LOSS = AttributeKey.doubleKey("pathprobe.loss");
    /** The share of the probes sent, 0 to 1, that a responder shown to limit its answers left unanswered. */
    public static final AttributeKey<Double> RATE_LIMITED = AttributeKey.doubleKey("pathprobe.rate_limited.share");
    /** The smallest RTT, ms. */
    public static final AttributeKey<Double> RTT_MIN = AttributeKey.doubleKey("pathprobe.rtt.min_ms");
    /** The mean RTT, ms. */
    public static final AttributeKey<Double> RTT_AVG = AttributeKey.doubleKey("pathprobe.rtt.avg_ms");
    /** The largest RTT, ms. */
    public static final AttributeKey<Double> RTT_MAX = AttributeKey.doubleKey("pathprobe.rtt.max_ms");
    /** The RTTs' standard deviation, ms. */
    public static final AttributeKey<Double> RTT_STDDEV = AttributeKey.doubleKey("pathprobe.rtt.stddev_ms");
}
