package io.pathprobe.core.internal.multipath;

import io.pathprobe.core.internal.runtime.ProbingStrategy;
import io.pathprobe.multipath.LoadBalancing;
import io.pathprobe.multipath.MultipathLink;
import io.pathprobe.multipath.MultipathNode;
import io.pathprobe.multipath.MultipathPath;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.multipath.MultipathStatus;
import io.pathprobe.multipath.PathHop;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.trace.HopStatistics;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A stand-in for {@link MultipathStrategy} to test the handle's wiring, not the algorithm: one probe
 * per TTL from the first up to {@code lastTtl} (flow = TTL), a node per answer, a link between
 * consecutive answered TTLs, one round, one path. {@code endless} keeps it running until stopped.
 */
final class StubStrategy implements ProbingStrategy<MultipathResult> {
    @Override
    public Subject<MultipathResult> subject() {
        return new Subject<>(io.pathprobe.MeasurementType.MULTIPATH, "", "");
    }

    /** What the handle gave the factory. */
    record Made(MultipathRequest request, InetAddress destination, ProbeProtocol protocol, String transport,
            List<String> notes, int maxSequence, int maxFlow, boolean events) {}

    private final MultipathRequest request;
    private final InetAddress destination;
    private final ProbeProtocol protocol;
    private final String transport;
    private final Instant startedAt;
    private final long startTick;
    private final MultipathStrategy.@Nullable Events events;
    private final int lastTtl;
    private final boolean endless;
    private final Consumer<ProbeResponse> onAnswer;
    private final Map<Integer, Integer> ttlOf = new HashMap<>();
    private final TreeMap<Integer, MultipathNode> nodes = new TreeMap<>();
    private int nextTtl;
    private int sent;
    private int answered;
    private boolean roundReported;

    StubStrategy(MultipathRequest request, InetAddress destination, ProbeProtocol protocol, String transport,
            Instant startedAt, long startTick, MultipathStrategy.@Nullable Events events, int lastTtl,
            boolean endless, Consumer<ProbeResponse> onAnswer) {
        this.request = request;
        this.destination = destination;
        this.protocol = protocol;
        this.transport = transport;
        this.startedAt = startedAt;
        this.startTick = startTick;
        this.events = events;
        this.lastTtl = lastTtl;
        this.endless = endless;
        this.onAnswer = onAnswer;
        this.nextTtl = request.firstTtl();
    }

    /** A factory of stubs probing up to {@code lastTtl}, recording what it was given in {@code made}. */
    static MultipathHandle.StrategyFactory factory(int lastTtl, boolean endless, List<Made> made,
            Consumer<ProbeResponse> onAnswer) {
        return (request, destination, protocol, transportName, notes, maxSequence, maxFlow, startedAt, startTick,
                events) -> {
            made.add(new Made(request, destination, protocol, transportName, notes, maxSequence, maxFlow,
                    events != null));
            return new StubStrategy(request, destination, protocol, transportName, startedAt, startTick, events,
                    lastTtl, endless, onAnswer);
        };
    }

    @Override
    public @Nullable ProbeSpec next(long now) {
        if (nextTtl > lastTtl) {
            return null;
        }
        int ttl = nextTtl++;
        ttlOf.put(sent, ttl);
        return new ProbeSpec(sent, ttl, ttl);
    }

    @Override
    public void onSent(ProbeSpec probe, long sentNanos, long now) {
        sent++;
    }

    @Override
    public void onSendFailed(ProbeSpec probe, String reason, boolean noRoute, boolean permanent, long now) {
        sent++;
    }

    @Override
    public void onAnswer(ProbeResponse response, long now) {
        onAnswer.accept(response);
        Integer ttl = ttlOf.get(response.sequence());
        if (ttl == null || nodes.containsKey(ttl)) {
            return;
        }
        answered++;
        MultipathNode node = new MultipathNode(ttl, Optional.of(response.responder()), 1, List.of(ttl),
                response.responder().equals(destination), LoadBalancing.PER_FLOW, Optional.empty());
        nodes.put(ttl, node);
        if (events != null) {
            events.nodeFound(node);
            MultipathNode before = nodes.get(ttl - 1);
            if (before != null) {
                events.linkFound(new MultipathLink(ttl - 1, before.address(), node.address(), 1));
            }
        }
    }

    @Override
    public void onWakeup(long now) {}

    @Override
    public long nextWakeup(long now) {
        return NO_WAKEUP;
    }

    @Override
    public boolean done() {
        boolean all = nextTtl > lastTtl && answered == lastTtl - request.firstTtl() + 1;
        if (all && !roundReported && events != null) {
            roundReported = true;
            events.roundCompleted(1, sent);
        }
        return all && !endless;
    }

    @Override
    public MultipathResult outcome(Stop reason, long now) {
        return result(switch (reason) {
            case COMPLETED -> MultipathStatus.COMPLETED;
            case CANCELLED -> MultipathStatus.CANCELLED;
            case DEADLINE -> MultipathStatus.DEADLINE_EXCEEDED;
        }, now);
    }

    @Override
    public MultipathResult snapshot(long now) {
        return result(MultipathStatus.RUNNING, now);
    }

    private MultipathResult result(MultipathStatus status, long now) {
        List<MultipathNode> all = List.copyOf(nodes.values());
        List<MultipathLink> links = new ArrayList<>();
        for (MultipathNode n : all) {
            MultipathNode next = nodes.get(n.ttl() + 1);
            if (next != null) {
                links.add(new MultipathLink(n.ttl(), n.address(), next.address(), 1));
            }
        }
        HopStatistics none = new HopStatistics(0, 0, 0, 0, Optional.empty());
        List<MultipathPath> paths = all.isEmpty() ? List.of()
                : List.of(new MultipathPath(all.stream().map(n -> new PathHop(n.ttl(), n.address(), none)).toList(),
                        List.of(1), none));
        return new MultipathResult(request, destination, transport, protocol, status, startedAt,
                Duration.ofNanos(now - startTick), all, links, List.of(), paths, sent, sent, request.confidence(),
                100.0, all.stream().anyMatch(MultipathNode::destination), List.of(), List.of());
    }
}
