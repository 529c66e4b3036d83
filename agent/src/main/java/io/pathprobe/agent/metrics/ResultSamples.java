package io.pathprobe.agent.metrics;

import static io.pathprobe.agent.metrics.MetricNames.ADDRESS;
import static io.pathprobe.agent.metrics.MetricNames.DIRECTION;
import static io.pathprobe.agent.metrics.MetricNames.FLOW;
import static io.pathprobe.agent.metrics.MetricNames.HOP;
import static io.pathprobe.agent.metrics.MetricNames.JOB;
import static io.pathprobe.agent.metrics.MetricNames.PATH_ID;
import static io.pathprobe.agent.metrics.MetricNames.TARGET;

import io.micrometer.core.instrument.Tags;
import io.pathprobe.check.Assertion.PathId;
import io.pathprobe.micrometer.PathProbeMeters;
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
        trace.destinationHop().ifPresent(d -> out.add(sample(PathProbeMeters.PATH_HOPS, base, d.ttl())));
        out.add(sample(PathProbeMeters.DESTINATION_REACHED, base, trace.destinationReached() ? 1 : 0));
        for (Map.Entry<String, FlowPath> e : FlowPath.of(trace).entrySet()) {
            OptionalLong id = paths.update(job, target, e.getKey(), e.getValue());
            if (id.isPresent()) {
                out.add(sample(PathProbeMeters.PATH_ID, base.and(FLOW, e.getKey()), id.getAsLong()));
            }
        }
        return out;
    }

    private static void hop(List<Sample> out, Tags tags, Hop h) {
        HopStatistics s = h.statistics();
        h.address().ifPresent(a -> out.add(sample(PathProbeMeters.HOP_INFO, tags.and(ADDRESS, AddressText.of(a)), 1)));
        out.add(sample(PathProbeMeters.HOP_PROBES, tags, s.sent()));
        if (s.received() + s.lost() > 0) {
            out.add(sample(PathProbeMeters.HOP_LOSS, tags.and(DIRECTION, "forward"), s.forwardLoss()));
            out.add(sample(PathProbeMeters.HOP_LOSS, tags.and(DIRECTION, "backward"), s.backwardLoss()));
        }
        if (s.sent() > 0) {
            out.add(sample(PathProbeMeters.HOP_RATE_LIMITED, tags, (double) s.rateLimited() / s.sent()));
        }
        s.rtt().ifPresent(r -> {
            out.add(sample(PathProbeMeters.HOP_RTT_LAST, tags, seconds(r.last())));
            out.add(sample(PathProbeMeters.HOP_RTT_AVG, tags, seconds(r.avg())));
            out.add(sample(PathProbeMeters.HOP_RTT_MIN, tags, seconds(r.min())));
            out.add(sample(PathProbeMeters.HOP_RTT_MAX, tags, seconds(r.max())));
            out.add(sample(PathProbeMeters.HOP_RTT_STDDEV, tags, seconds(r.stdDev())));
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
            out.add(sample(PathProbeMeters.PING_LOSS, tags, s.loss()));
            out.add(sample(PathProbeMeters.PING_LOSS_LOW, tags, s.lossLow()));
        }
        s.rtt().ifPresent(r -> pingRtt(out, tags, r));
    }

    private static void pingRtt(List<Sample> out, Tags tags, RttStatistics r) {
        out.add(sample(PathProbeMeters.PING_RTT_MIN, tags, seconds(r.min())));
        out.add(sample(PathProbeMeters.PING_RTT_AVG, tags, seconds(r.avg())));
        out.add(sample(PathProbeMeters.PING_RTT_MAX, tags, seconds(r.max())));
        out.add(sample(PathProbeMeters.PING_RTT_STDDEV, tags, seconds(r.stdDev())));
    }

    /** The paths found and each one's end-to-end loss, labelled by its path id. */
    static List<Sample> multipath(String job, String target, MultipathResult m) {
        Tags tags = Tags.of(JOB, job, TARGET, target);
        List<Sample> out = new ArrayList<>();
        out.add(sample(PathProbeMeters.MULTIPATH_PATHS, tags, m.paths().size()));
        for (MultipathPath p : m.paths()) {
            if (p.received() + p.lost() > 0) {
                String id = Long.toString(PathId.idOf(p.addresses()));
                out.add(sample(PathProbeMeters.MULTIPATH_PATH_LOSS, tags.and(PATH_ID, id), p.loss()));
            }
        }
        return out;
    }

    /** The path MTU, when one was found. */
    static List<Sample> mtu(String job, String target, MtuResult m) {
        Tags tags = Tags.of(JOB, job, TARGET, target);
        List<Sample> out = new ArrayList<>();
        m.pathMtu().ifPresent(v -> out.add(sample(PathProbeMeters.PATH_MTU, tags, v)));
        return out;
    }

    /** When the job's newest result ended. */
    static List<Sample> agent(String job, String target, Instant time) {
        return List.of(new Sample(MetricNames.LAST_RESULT, "seconds", "When the job's newest result ended (Unix time)",
                Tags.of(JOB, job, TARGET, target), time.getEpochSecond() + time.getNano() / 1e9));
    }

    /** A result's value of one of core's meters, with the meter's unit and meaning. */
    private static Sample sample(PathProbeMeters meter, Tags tags, double value) {
        return new Sample(meter.getName(), meter.getBaseUnit(), meter.description(), tags, value);
    }

    static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
