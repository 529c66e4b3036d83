package io.pathprobe.micrometer;

import io.micrometer.common.docs.KeyName;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.docs.MeterDocumentation;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Every meter pathprobe publishes, in one vocabulary: its name, type, base unit, tag keys and meaning. The tracer's
 * binder ({@link PathProbeMetrics}), the monitor's ({@link MonitorMetrics}) and the scheduled agent (which adds only
 * its {@code pathprobe_job} tag and its own meters, {@code pathprobe.agent.*}) take their names from here, and
 * docs/observability.md lists them. Names are Micrometer's (dotted); a Prometheus registry shows them with
 * underscores, the unit and {@code _total} for counters ({@code pathprobe.hop.rtt.avg} in seconds is
 * {@code pathprobe_hop_rtt_avg_seconds}).
 *
 * <p>One vocabulary: a hop is tagged {@code hop} (its TTL), a ratio's name ends in {@code .ratio} (0 to 1), an RTT
 * statistic is {@code .rtt.last}, {@code .avg}, {@code .min}, {@code .max} or {@code .stddev} in seconds (one gauge
 * per statistic, as mtr-exporter has them), and a monitor's statistics over its window carry {@code monitor} in
 * their name: they are not one trace's.
 */
public enum PathProbeMeters implements MeterDocumentation {
    // ---- a tracer's own work (PathProbeMetrics)
    PROBES_SENT("pathprobe.probes.sent", Meter.Type.COUNTER, null, "Probes handed to a transport"),
    PROBES_SEND_FAILURES("pathprobe.probes.send.failures", Meter.Type.COUNTER, null,
            "Probes the operating system refused"),
    PROBES_TIMEOUTS("pathprobe.probes.timeouts", Meter.Type.COUNTER, null,
            "Probes given up: no answer within their wait"),
    PROBES_ABANDONED("pathprobe.probes.abandoned", Meter.Type.COUNTER, null,
            "Probes given up without waiting (measurement or path ended)"),
    PROBES_PENDING("pathprobe.probes.pending", Meter.Type.GAUGE, null, "Probes sent and not yet decided"),
    ANSWERS("pathprobe.answers", Meter.Type.COUNTER, null,
            "Answers by what became of them: matched (decided a probe), late (its probe was decided), beyond_path "
                    + "(beyond the end of a path, normal for traces), unmatched (no probe could take it)",
            Tag.RESULT),
    ANSWERS_DROPPED("pathprobe.answers.dropped", Meter.Type.COUNTER, null,
            "Messages a transport read and did not deliver, by reason", Tag.REASON),
    RATE_LIMIT_WAIT("pathprobe.ratelimit.wait", Meter.Type.COUNTER, "seconds",
            "Time probes waited for the tracer's packet-rate budget"),
    RATE_LIMIT_WAITS("pathprobe.ratelimit.waits", Meter.Type.COUNTER, null,
            "Times the packet-rate budget held probes back"),
    MEASUREMENTS_ACTIVE("pathprobe.measurements.active", Meter.Type.GAUGE, null, "Measurements running now",
            Tag.KIND),

    // ---- a path: one trace (or monitor round), per hop and per flow
    HOP_RTT_LAST("pathprobe.hop.rtt.last", Meter.Type.GAUGE, "seconds", "Last RTT at this TTL", Tag.HOP),
    HOP_RTT_AVG("pathprobe.hop.rtt.avg", Meter.Type.GAUGE, "seconds", "Mean RTT at this TTL", Tag.HOP),
    HOP_RTT_MIN("pathprobe.hop.rtt.min", Meter.Type.GAUGE, "seconds", "Least RTT at this TTL", Tag.HOP),
    HOP_RTT_MAX("pathprobe.hop.rtt.max", Meter.Type.GAUGE, "seconds", "Largest RTT at this TTL", Tag.HOP),
    HOP_RTT_STDDEV("pathprobe.hop.rtt.stddev", Meter.Type.GAUGE, "seconds",
            "Standard deviation of the RTTs at this TTL", Tag.HOP),
    HOP_LOSS("pathprobe.hop.loss.ratio", Meter.Type.GAUGE, null,
            "Lost probes over the decided ones (answered or lost) at this TTL; forward: lost on the way out (no "
                    + "later TTL of the same round answered), backward: the router's answer was lost or never sent; "
                    + "the two add up to the hop's loss",
            Tag.HOP, Tag.DIRECTION),
    HOP_RATE_LIMITED("pathprobe.hop.rate.limited.ratio", Meter.Type.GAUGE, null,
            "Probes sent at this TTL that the responder refused under its ICMP rate limit (not loss)", Tag.HOP),
    HOP_PROBES("pathprobe.hop.probes", Meter.Type.GAUGE, null, "Probes sent at this TTL", Tag.HOP),
    HOP_INFO("pathprobe.hop.info", Meter.Type.GAUGE, null, "1 for the address that answered most at this TTL",
            Tag.HOP, Tag.ADDRESS),
    PATH_HOPS("pathprobe.path.hops", Meter.Type.GAUGE, null,
            "Hops to the destination: the TTL it answered at (no value while it did not answer)"),
    DESTINATION_REACHED("pathprobe.destination.reached", Meter.Type.GAUGE, null,
            "1 if the destination answered, else 0"),
    PATH_ID("pathprobe.path.id", Meter.Type.GAUGE, null,
            "The flow's path: the first 48 bits of the SHA-256 of its hop addresses (see the docs)", Tag.FLOW),
    PATH_CHANGES("pathprobe.path.changes", Meter.Type.COUNTER, null,
            "Times the flow's path changed (pathprobe.path.id took a new value)", Tag.FLOW),

    // ---- a monitor over its window (MonitorMetrics)
    MONITOR_HOP_LOSS("pathprobe.monitor.hop.loss.ratio", Meter.Type.GAUGE, null,
            "Loss at this TTL over the monitor's window (probes the responder's rate limit refused are not loss); "
                    + "no value beyond the current path or without decided probes",
            Tag.HOP),
    MONITOR_HOP_RTT_AVG("pathprobe.monitor.hop.rtt.avg", Meter.Type.GAUGE, "seconds",
            "Mean RTT at this TTL over the monitor's window; no value beyond the current path or without answers",
            Tag.HOP),
    MONITOR_LOSS("pathprobe.monitor.loss.ratio", Meter.Type.GAUGE, null,
            "End-to-end loss over the whole run (the destination's own probes)"),
    MONITOR_RTT_AVG("pathprobe.monitor.rtt.avg", Meter.Type.GAUGE, "seconds",
            "End-to-end mean RTT over the whole run"),
    MONITOR_PATH_CHANGES("pathprobe.monitor.path.changes", Meter.Type.COUNTER, null,
            "Rounds that changed the monitored path"),
    MONITOR_ROUNDS("pathprobe.monitor.rounds", Meter.Type.COUNTER, null, "Rounds completed"),

    // ---- a ping (as the OpenTelemetry collector's ICMP check receiver names them) and other results
    PING_RTT_MIN("ping.rtt.min", Meter.Type.GAUGE, "seconds", "Minimum round-trip time"),
    PING_RTT_AVG("ping.rtt.avg", Meter.Type.GAUGE, "seconds", "Average round-trip time"),
    PING_RTT_MAX("ping.rtt.max", Meter.Type.GAUGE, "seconds", "Maximum round-trip time"),
    PING_RTT_STDDEV("ping.rtt.stddev", Meter.Type.GAUGE, "seconds", "Standard deviation of round-trip time"),
    PING_LOSS("ping.loss.ratio", Meter.Type.GAUGE, null,
            "Lost probes over the decided ones (received or lost), 0 to 1; 1 for a target that never answered; "
                    + "probes the destination's rate limit was shown to refuse are neither"),
    PING_LOSS_LOW("pathprobe.ping.loss.low.ratio", Meter.Type.GAUGE, null,
            "The least the loss can be, 0 to 1: ping_loss_ratio with the misses the destination's ICMP rate "
                    + "limit could have refused (UDP pings) taken as refused; equal to it when there are none"),
    MULTIPATH_PATHS("pathprobe.multipath.paths", Meter.Type.GAUGE, null, "Paths through the discovered topology"),
    MULTIPATH_PATH_LOSS("pathprobe.multipath.path.loss.ratio", Meter.Type.GAUGE, null,
            "End-to-end loss of the path's probes, 0 to 1", Tag.PATH_ID),
    PATH_MTU("pathprobe.path.mtu", Meter.Type.GAUGE, "bytes", "The path MTU: the largest probe that got through");

    /** The tag keys of the meters above (besides {@code target} on a measurement's, and the caller's own). */
    public enum Tag implements KeyName {
        /** The measurement's target as the request named it. */
        TARGET("target"),
        /** A hop's TTL. */
        HOP("hop"),
        /** {@code forward} or {@code backward}: where a hop's loss happened. */
        DIRECTION("direction"),
        /** The address that answered. */
        ADDRESS("address"),
        /** A flow's number (the order the trace sent its flows in). */
        FLOW("flow"),
        /** A multipath path's id. */
        PATH_ID("path_id"),
        /** What became of an answer. */
        RESULT("result"),
        /** Why a message was dropped, lower case. */
        REASON("reason"),
        /** A measurement's kind, lower case. */
        KIND("kind");

        private final String key;

        Tag(String key) {
            this.key = key;
        }

        @Override
        public String asString() {
            return key;
        }
    }

    private final String name;
    private final Meter.Type type;
    private final @Nullable String baseUnit;
    private final String description;
    private final Tag[] tags;

    PathProbeMeters(String name, Meter.Type type, @Nullable String baseUnit, String description, Tag... tags) {
        this.name = name;
        this.type = type;
        this.baseUnit = baseUnit;
        this.description = description;
        this.tags = tags;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Meter.Type getType() {
        return type;
    }

    @Override
    public @Nullable String getBaseUnit() {
        return baseUnit;
    }

    @Override
    public KeyName[] getKeyNames() {
        return tags.clone();
    }

    /** {@return what the meter means (its description, Prometheus's HELP)} */
    public String description() {
        return description;
    }

    /** {@return its tag keys (besides {@code target} and the caller's own tags)} */
    public List<Tag> tags() {
        return Arrays.asList(tags.clone());
    }

    /**
     * {@return the name a Prometheus registry shows: dots to underscores, the base unit, {@code _total} for a
     * counter} e.g. {@code pathprobe_hop_rtt_avg_seconds}, {@code pathprobe_probes_sent_total}
     */
    public String prometheusName() {
        String n = name.replace('.', '_') + (baseUnit == null ? "" : "_" + baseUnit);
        return type == Meter.Type.COUNTER ? n + "_total" : n;
    }
}
