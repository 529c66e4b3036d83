package io.pathprobe.core.internal.multipath;

import io.pathprobe.core.internal.observe.ProbeObserver;
import io.pathprobe.core.internal.runtime.ProbingStrategy;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSpec;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A UDP discovery ({@link MultipathStrategy}) whose path phase is measured over TCP where a TCP flow
 * follows the path ({@link TcpPathProbing}), on a {@link io.pathprobe.core.internal.runtime.DualSession}: sequence
 * numbers from {@code offset} on are the TCP session's. The discovery runs as ever; where its paths want more last-hop
 * probes than a destination that limits its Port Unreachables gives at once, the TCP part starts as soon as
 * discovery has sent its last probe (during its wait for late answers, which it restarts from should
 * discovery go on), else when the path phase starts or finds the destination limiting: it pins flows
 * while the UDP path probes wait (both spend the routers' ICMP budgets: pinned after the UDP path probes
 * had drained them, a fresh run took 1.2 s to pin, 0.13 s before), measuring end to end along every flow
 * meanwhile. Once the destination is found limiting it claims the paths
 * it pinned, and the UDP path probes measure the rest; a destination never found limiting keeps the UDP
 * measurement (the TCP probes are counted and noted). The result is the discovery's, with the TCP probes counted in its
 * probes and the TCP part's notes added. Pure; confined to the engine loop.
 */
final class TcpAssistedMultipath implements ProbingStrategy.ObservedAs<MultipathResult> {
    private final MultipathStrategy udp;
    private final TcpPathProbing tcp;
    private final int offset;
    private boolean holding;
    private boolean tcpDone = true;
    private boolean ended;

    /**
     * @param udp the discovery, on the first session
     * @param tcp the TCP path probes, on the second
     * @param offset the first TCP sequence number in the dual session
     */
    TcpAssistedMultipath(MultipathStrategy udp, TcpPathProbing tcp, int offset) {
        this.udp = udp;
        this.tcp = tcp;
        this.offset = offset;
        udp.paths.elsewhere = tcp;
    }

    @Override
    public @Nullable ProbeSpec next(long now) {
        if (!ended) {
            ProbeSpec t = tcp.next(now);
            changed(now);
            if (t != null) {
                return new ProbeSpec(t.sequence() + offset, t.ttl(), t.flow());
            }
        }
        return udp.next(now);
    }

    private ProbeSpec own(ProbeSpec probe) {
        return new ProbeSpec(probe.sequence() - offset, probe.ttl(), probe.flow());
    }

    @Override
    public void onSent(ProbeSpec probe, long sentNanos, long now) {
        if (probe.sequence() >= offset) {
            tcp.onSent(own(probe), sentNanos);
        } else {
            udp.onSent(probe, sentNanos, now);
        }
    }

    @Override
    public void onSendFailed(ProbeSpec probe, String reason, boolean noRoute, boolean permanent, long now) {
        if (probe.sequence() >= offset) {
            tcp.onSendFailed(own(probe), reason, now); // the UDP path probes are still there for its paths
            changed(now);
        } else {
            udp.onSendFailed(probe, reason, noRoute, permanent, now);
        }
    }

    @Override
    public void onAnswer(ProbeResponse r, long now) {
        if (r.sequence() >= offset) {
            if (!ended) {
                tcp.onAnswer(r.withSequence(r.sequence() - offset), now);
                changed(now);
            }
        } else {
            udp.onAnswer(r, now);
        }
    }

    @Override
    public void onWakeup(long now) {
        if (!ended) {
            tcp.onWakeup(now);
        }
        udp.onWakeup(now);
        changed(now);
    }

    /** The TCP part started or stopped holding the UDP path probes, or ended: the discovery settles anew. */
    private void changed(long now) {
        if (tcp.holding() != holding || tcp.done() != tcpDone) {
            holding = tcp.holding();
            tcpDone = tcp.done();
            udp.onWakeup(now);
        }
    }

    @Override
    public long nextWakeup(long now) {
        long u = udp.nextWakeup(now);
        return ended ? u : Math.min(u, tcp.nextWakeup(now));
    }

    @Override
    public boolean done() {
        return udp.done() && (ended || tcp.done());
    }

    @Override
    public MultipathResult outcome(Stop reason, long now) {
        if (!ended) {
            ended = true;
            tcp.stop();
        }
        return withTcp(udp.outcome(reason, now));
    }

    @Override
    public MultipathResult snapshot(long now) {
        return withTcp(udp.snapshot(now));
    }

    /** {@code r} with the TCP probes counted and the TCP part's notes. */
    private MultipathResult withTcp(MultipathResult r) {
        if (tcp.probes() == 0 && tcp.notes().isEmpty()) {
            return r;
        }
        List<String> notes = new ArrayList<>(r.notes());
        if (!tcp.isNeeded()) {
            notes.add(tcp.probes()
                    + " TCP probes (TCP confirmation, asked for) pinned flows and measured the paths end to end in"
                    + " case the destination limited its Port Unreachables (Linux: " + PathProbing.DESTINATION_BURST
                    + ", then one a second); it did not: the paths are measured over UDP");
        } else {
            notes.add(tcp.probes() + " TCP probes (TCP confirmation, asked for): TTL-limited ones to find a TCP flow"
                    + " that follows each path, and ones to the destination along it, whose answers (SYN-ACK, RST)"
                    + " are not rate-limited as its Port Unreachables are");
        }
        tcp.notes().stream().filter(n -> !notes.contains(n)).forEach(notes::add);
        return new MultipathResult(r.request(), r.destination(), r.transport(), r.protocol(), r.status(), r.startedAt(),
                r.duration(), r.nodes(), r.links(), r.diamonds(), r.paths(), r.probes() + tcp.probes(),
                r.discoveryProbes(), r.confidence(), r.globalConfidence(),
                r.destinationReached(), r.unexplored(), notes,
                r.context(), tcp.probes(), io.pathprobe.probe.MaskStatement.NONE);
    }

    @Override
    public void observe(ProbeObserver o) {
        udp.observe(o);
        tcp.observe(o);
    }

    @Override
    public ProbingStrategy<MultipathResult> observed() {
        return udp;
    }

    /** The discovery (tests). */
    MultipathStrategy discovery() {
        return udp;
    }
}
