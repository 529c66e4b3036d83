package io.pathprobe.agent.metrics;

import io.pathprobe.agent.sink.AgentRecord;
import io.pathprobe.enrich.Responder;
import io.pathprobe.probe.IcmpMessage;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.trace.FlowMode;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** Synthetic results, built through the API's public constructors. */
final class Results {
    static final Instant TIME = Instant.parse("2026-11-21T10:00:00.250Z");
    static final IcmpMessage TIME_EXCEEDED = new IcmpMessage(11, 0, false);
    static final IcmpMessage ECHO_REPLY = new IcmpMessage(0, 0, false);

    private Results() {
    }

    static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    static Duration ms(double ms) {
        return Duration.ofNanos(Math.round(ms * 1e6));
    }

    static RttStatistics rtt(double lastMs, double minMs, double avgMs, double maxMs, double stdDevMs) {
        return new RttStatistics(ms(lastMs), ms(minMs), ms(avgMs), ms(maxMs), ms(stdDevMs));
    }

    /** A router's Time Exceeded to a probe of {@code flow} (-1: a classic probe, no flow). */
    static ProbeResult router(int ttl, int attempt, String from, double rttMs, int flow) {
        return new ProbeResult(ttl, attempt, ProbeStatus.REPLY, Optional.of(ip(from)), Optional.of(ms(rttMs)),
                Optional.of(TIME_EXCEEDED), false, Optional.empty(), OptionalInt.empty(), List.of(), flow(flow),
                OptionalInt.empty(), java.util.Optional.empty(), java.util.List.of(), java.util.List.of(), java.util.Optional.empty());
    }

    /** The destination's echo reply. */
    static ProbeResult destination(int ttl, int attempt, String from, double rttMs, int flow) {
        return new ProbeResult(ttl, attempt, ProbeStatus.REPLY, Optional.of(ip(from)), Optional.of(ms(rttMs)),
                Optional.of(ECHO_REPLY), true, Optional.empty(), OptionalInt.empty(), List.of(), flow(flow),
                OptionalInt.empty(), java.util.Optional.empty(), java.util.List.of(), java.util.List.of(), java.util.Optional.empty());
    }

    /** A probe without answer: {@link ProbeStatus#TIMEOUT} or {@link ProbeStatus#RATE_LIMITED}. */
    static ProbeResult unanswered(int ttl, int attempt, ProbeStatus status, int flow) {
        return new ProbeResult(ttl, attempt, status, Optional.empty(), Optional.empty(), Optional.empty(), false,
                Optional.empty(), OptionalInt.empty(), List.of(), flow(flow), OptionalInt.empty(), java.util.Optional.empty(), java.util.List.of(), java.util.List.of(), java.util.Optional.empty());
    }

    private static OptionalInt flow(int flow) {
        return flow < 0 ? OptionalInt.empty() : OptionalInt.of(flow);
    }

    /** A hop with these statistics; its responders are its probes' answers, most first. */
    static Hop hop(int ttl, HopStatistics statistics, ProbeResult... probes) {
        Map<InetAddress, Integer> counts = new LinkedHashMap<>();
        for (ProbeResult p : probes) {
            if (p.answered()) {
                counts.merge(p.responder().orElseThrow(), 1, Integer::sum);
            }
        }
        List<Responder> responders = counts.entrySet().stream()
                .sorted((a, b) -> b.getValue() - a.getValue())
                .map(e -> new Responder(e.getKey(), e.getValue())).toList();
        return new Hop(ttl, Arrays.asList(probes), responders, statistics);
    }

    /** A trace of {@code flows} Paris flows (0: classic). */
    static TraceResult trace(String target, int flows, Hop... hops) {
        boolean reached = Arrays.stream(hops).anyMatch(Hop::isDestination);
        return new TraceResult(target, Optional.of(ip(target)), ProbeProtocol.ICMP, "scripted",
                reached ? TraceStatus.DESTINATION_REACHED : TraceStatus.MAX_HOPS_EXCEEDED, Arrays.asList(hops), TIME,
                ms(12), 0, Optional.empty(), flows == 0 ? FlowMode.CLASSIC : FlowMode.PARIS, Math.max(1, flows));
    }

    static AgentRecord record(String job, io.pathprobe.MeasurementType<?, ?> kind, String target, Object result) {
        return new AgentRecord(job, kind, target, Map.of("site", "lab"), TIME, result);
    }
}
