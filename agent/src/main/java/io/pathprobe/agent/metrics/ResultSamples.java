package io.pathprobe.agent.metrics;

import static io.pathprobe.agent.metrics.MetricNames.ADDRESS;
import static io.pathprobe.agent.metrics.MetricNames.BYTES;
import static io.pathprobe.agent.metrics.MetricNames.DIRECTION;
import static io.pathprobe.agent.metrics.MetricNames.FLOW;
import static io.pathprobe.agent.metrics.MetricNames.HOP;
import static io.pathprobe.agent.metrics.MetricNames.JOB;
import static io.pathprobe.agent.metrics.MetricNames.PATH_ID;
import static io.pathprobe.agent.metrics.MetricNames.SECONDS;
import static io.pathprobe.agent.metrics.MetricNames.TARGET;

import io.micrometer.core.instrument.Tags;
import io.pathprobe.mtu.MtuResult;
import io.pathprobe.multipath.MultipathPath;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.ping.PingStatistics;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.TraceResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The gauges' values from one result of each kind: what {@link AgentMetrics} {@linkplain Gauges#publish publishes}
 * for a job and target. Values are read from the result as it says them: ratios 0 to 1 as its statistics
 * compute them, RTTs in seconds ({@link Duration#toNanos()} / 1e9). A gauge whose value the result does not have
 * (no RTT at a silent hop, no loss where no probe was decided, no path MTU) is left out, so its series goes.
 */
final class ResultSamples {
    private ResultSamples() {
    }

    /**
     * Per hop and per path, from a trace (or a monitor round's trace); updates {@code paths} with each flow's path.
     */
    static List<Sample> trace(String job, String target, TraceResult trace, PathTracker paths) {
        Tags base = Tags.of(JOB, job, TARGET, target);
        List<Sample> out = new ArrayList<>();
        for (Hop h : trace.hops()) {
            hop(out, base.and(HOP, Integer.toString(h.ttl())), h);
        }
        trace.destinationHop().ifPresent(d -> out.add(new Sample(MetricNames.PATH_HOPS, null,
                "Hops to the destination: the TTL it answered at (no series while it did not answer)", base,
                d.ttl())));
        out.add(new Sample(MetricNames.DESTINATION_REACHED, null, "1 if the destination answered, else 0", base,
                trace.destinationReached() ? 1 : 0));
        for (Map.Entry<String, FlowPath> e : FlowPath.of(trace).entrySet()) {
            OptionalLong id = paths.update(job, target, e.getKey(), e.getValue());
            if (id.isPresent()) {
                out.add(new Sample(MetricNames.PATH_ID_GAUGE, null,
                        "The flow's path: the first 48 bits of the SHA-256 of its hop addresses (see the docs)",
                        base.and(FLOW, e.getKey()), id.getAsLong()));
            }
        }
        return out;
    }

    private static void hop(List<Sample> out, Tags tags, Hop h) {
        HopStatistics s = h.statistics();
        h.address().ifPresent(a -> out.add(new Sample(MetricNames.HOP_INFO, null,
                "1 for the address that answered most at this TTL", tags.and(ADDRESS, AddressText.of(a)), 1)));
        out.add(new Sample(MetricNames.HOP_PROBES, null, "Probes sent at this TTL", tags, s.sent()));
        if (s.received() + s.lost() > 0) {
            String d = "Lost probes over the decided ones (answered or lost) at this TTL; forward: lost on the way "
                    + "out (no later TTL of the same round answered), backward: the router's answer was lost or "
                    + "never sent; the two add up to the hop's loss";
            out.add(new Sample(MetricNames.HOP_LOSS, null, d, tags.and(DIRECTION, "forward"), s.forwardLoss()));
            out.add(new Sample(MetricNames.HOP_LOSS, null, d, tags.and(DIRECTION, "backward"), s.backwardLoss()));
        }
        if (s.sent() > 0) {
            out.add(new Sample(MetricNames.HOP_RATE_LIMITED, null,
                    "Probes sent at this TTL that the responder refused under its ICMP rate limit (not loss)", tags,
                    (double) s.rateLimited() / s.sent()));
        }
        s.rtt().ifPresent(r -> {
            out.add(new Sample(MetricNames.HOP_RTT_LAST, SECONDS, "Last RTT at this TTL", tags, seconds(r.last())));
            out.add(new Sample(MetricNames.HOP_RTT_AVG, SECONDS, "Mean RTT at this TTL", tags, seconds(r.avg())));
            out.add(new Sample(MetricNames.HOP_RTT_MIN, SECONDS, "Least RTT at this TTL", tags, seconds(r.min())));
            out.add(new Sample(MetricNames.HOP_RTT_MAX, SECONDS, "Largest RTT at this TTL", tags, seconds(r.max())));
            out.add(new Sample(MetricNames.HOP_RTT_STDDEV, SECONDS, "Standard deviation of the RTTs at this TTL",
                    tags, seconds(r.stdDev())));
        });
    }

    /**
     * As the OpenTelemetry collector's ICMP check receiver names them, for one ping target, whatever the transport: a
     * target that never answered has loss 1 (issue 68: a UDP ping's misses are lost unless the destination's answers
     * showed its limit refusing them), and where the limit could not be told from loss the low end of the range too.
     * No series only while no probe of the target was decided.
     */
    static void ping(List<Sample> out, String job, PingTargetResult t) {
        Tags tags = Tags.of(JOB, job, TARGET, t.target());
        PingStatistics s = t.statistics();
        if (s.received() + s.lost() > 0) {
            out.add(new Sample(MetricNames.PING_LOSS, null,
                    "Lost probes over the decided ones (received or lost), 0 to 1; 1 for a target that never answered; "
                            + "probes the destination's rate limit was shown to refuse are neither",
                    tags, s.loss()));
            out.add(new Sample(MetricNames.PING_LOSS_LOW, null,
                    "The least the loss can be, 0 to 1: ping_loss_ratio with the misses the destination's ICMP rate "
                            + "limit could have refused (UDP pings) taken as refused; equal to it when there are none",
                    tags, s.lossLow()));
        }
        s.rtt().ifPresent(r -> pingRtt(out, tags, r));
    }

    private static void pingRtt(List<Sample> out, Tags tags, RttStatistics r) {
        out.add(new Sample(MetricNames.PING_RTT_MIN, SECONDS, "Minimum round-trip time", tags, seconds(r.min())));
        out.add(new Sample(MetricNames.PING_RTT_AVG, SECONDS, "Average round-trip time", tags, seconds(r.avg())));
        out.add(new Sample(MetricNames.PING_RTT_MAX, SECONDS, "Maximum round-trip time", tags, seconds(r.max())));
        out.add(new Sample(MetricNames.PING_RTT_STDDEV, SECONDS, "Standard deviation of round-trip time", tags,
                seconds(r.stdDev())));
    }

    /** The paths found and each one's end-to-end loss, labelled by its path id. */
    static List<Sample> multipath(String job, String target, MultipathResult m) {
        Tags tags = Tags.of(JOB, job, TARGET, target);
        List<Sample> out = new ArrayList<>();
        out.add(new Sample(MetricNames.MULTIPATH_PATHS, null, "Paths through the discovered topology", tags,
                m.paths().size()));
        for (MultipathPath p : m.paths()) {
            if (p.received() + p.lost() > 0) {
                out.add(new Sample(MetricNames.MULTIPATH_PATH_LOSS, null,
                        "End-to-end loss of the path's probes, 0 to 1", tags.and(PATH_ID,
                                FlowPath.idText(p.addresses())), p.loss()));
            }
        }
        return out;
    }

    /** The path MTU, when one was found. */
    static List<Sample> mtu(String job, String target, MtuResult m) {
        Tags tags = Tags.of(JOB, job, TARGET, target);
        List<Sample> out = new ArrayList<>();
        m.pathMtu().ifPresent(v -> out.add(new Sample(MetricNames.PATH_MTU, BYTES,
                "The path MTU: the largest probe that got through", tags, v)));
        return out;
    }

    /** When the job's newest result ended. */
    static List<Sample> agent(String job, String target, Instant time) {
        return List.of(new Sample(MetricNames.LAST_RESULT, SECONDS, "When the job's newest result ended (Unix time)",
                Tags.of(JOB, job, TARGET, target), time.getEpochSecond() + time.getNano() / 1e9));
    }

    static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
