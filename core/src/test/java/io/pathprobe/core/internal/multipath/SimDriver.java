package io.pathprobe.core.internal.multipath;

import io.pathprobe.core.internal.runtime.ProbingStrategy;
import io.pathprobe.core.internal.runtime.ProbingStrategy.Stop;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ResponseKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Plays a {@link MultipathStrategy} against a {@link SimTopology} on made-up time, as the runtime
 * would: send what may leave, deliver answers in time order, wake the strategy when it asks, end at
 * done() or at the deadline. RTT = ttl × 1 ms (+ up to 0.2 ms jitter); every probe goes out at once
 * (no rate limit) unless a send gap is set.
 */
final class SimDriver {
    static final long MS = 1_000_000;

    private record Pending(long at, long seq, ProbeResponse response) {}

    final List<MultipathStrategy.Events> none = List.of();
    long sendGap;
    /**
     * Wake-ups due in [lateFrom, lateTo) run at lateTo, while answers (and the sends they let go) are
     * handled on time: an engine behind its timers, as a fresh JVM's is in its first 100 ms or so.
     */
    long lateFrom = Long.MAX_VALUE;
    long lateTo = Long.MAX_VALUE;
    /**
     * How long after a round of sends the engine asks for its wake-up (0: at once): a busy loop's lag between the two,
     * in which a held probe's budget may come back.
     */
    long settleLag;
    /** An answer's RTT per TTL (plus up to a fifth of it as jitter): 1 ms by default; a lab's is about 10 µs. */
    long rttPerTtl = MS;
    long maxTime = Long.MAX_VALUE;
    int maxSequence = 65535;
    int maxFlow = 65535;
    final List<String> log = new ArrayList<>();
    long finishedAt;
    int sends;
    /** The TTL of every probe sent, in order. */
    final List<Integer> sentTtls = new ArrayList<>();
    /** Called with the strategy after every send (invariant checks). */
    java.util.function.Consumer<MultipathStrategy> afterSend = x -> {};
    /** When an answer is delivered: its TTL and natural arrival time in, the arrival time out (a slow hop, a stall). */
    interface Arrival {
        long at(int ttl, long natural);
    }

    /**
     * How late the engine reads every answer after it arrived (its receive time stays the arrival):
     * an engine behind its answers, as one on a busy CPU is.
     */
    long readLag;
    /** By default every answer arrives when its RTT says. */
    Arrival arrival = (ttl, natural) -> natural;
    /** The tracer's learned responder budgets the strategy gets (NONE: as before issue 21). */
    io.pathprobe.core.internal.ratelimit.RateLimitModel pacing = io.pathprobe.core.internal.ratelimit.RateLimitModel.NONE;

    /**
     * The probe protocol: UDP (the destination answers Port Unreachables, under its ICMP limit) or
     * ICMP (Echo Replies, which no ICMP rate limit applies to: the destination's limiter is not asked).
     */
    ProbeProtocol protocol = ProbeProtocol.UDP;

    MultipathStrategy strategy(MultipathRequest request, MultipathStrategy.Events events) {
        return new MultipathStrategy(request, SimTopology.DESTINATION, protocol, "sim", List.of(), maxSequence,
                maxFlow, Instant.EPOCH, 0, events, pacing);
    }

    /** Every result a simulated run ends with has counts that add up ({@link PathCounts}). */
    private static MultipathResult checked(MultipathResult r) {
        PathCounts.assertAddUp(r);
        return r;
    }

    MultipathResult run(MultipathRequest request, SimTopology net, long seed) {
        return run(strategy(request, null), request, net, seed);
    }

    /** The first sequence number of the TCP part's probes in {@link #runWithTcp}. */
    static final int TCP_OFFSET = 1 << 20;
    /** Added to a TCP probe's flow before it is hashed: the routers hash TCP flows apart from UDP ones. */
    static final int TCP_FLOW_SALT = 1 << 24;
    /** In {@link #runWithTcp}: the UDP probes sent before the first TCP probe (-1: none was sent). */
    int udpBeforeTcp = -1;
    /** The TCP probes sent. */
    int tcpSends;
    /** When the first TCP probe left, and the last UDP probe before it (-1: none). */
    long firstTcpAt = -1;
    long lastUdpBeforeTcpAt = -1;

    /**
     * A UDP discovery whose path phase may be measured over TCP ({@link TcpAssistedMultipath}), as the
     * handle runs it on a transport that sends TCP: TCP probes (sequences from {@link #TCP_OFFSET}) take
     * the routers' paths by their own hash; TTL-limited ones are answered with Time Exceeded under the
     * routers' limits, those that reach the destination with a reset, which no ICMP limit applies to.
     */
    MultipathResult runWithTcp(MultipathRequest request, SimTopology net, long seed) {
        MultipathStrategy udp = strategy(request, null);
        TcpPathProbing tcp = new TcpPathProbing(request, SimTopology.DESTINATION, false, maxSequence, maxFlow, "sim-tcp",
                Math.min(maxTime, request.deadline().toNanos()));
        return run(udp, new TcpAssistedMultipath(udp, tcp, TCP_OFFSET), request, net, seed);
    }

    MultipathResult run(MultipathStrategy s, MultipathRequest request, SimTopology net, long seed) {
        return run(s, s, request, net, seed);
    }

    private MultipathResult run(MultipathStrategy discovery, ProbingStrategy<MultipathResult> s, MultipathRequest request,
            SimTopology net, long seed) {
        Random random = new Random(seed);
        PriorityQueue<Pending> answers = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at)
                : Long.compare(a.seq, b.seq));
        long deadline = Math.min(maxTime, request.deadline().toNanos());
        long now = 0;
        long nextSend = 0;
        long order = 0;
        long stuck = 0;
        while (true) {
            // send what may leave now
            while (now >= nextSend) {
                ProbeSpec p = s.next(now);
                if (p == null) {
                    break;
                }
                s.onSent(p, now, now);
                sends++;
                sentTtls.add(p.ttl());
                afterSend.accept(discovery);
                nextSend = now + sendGap;
                boolean tcp = p.sequence() >= TCP_OFFSET;
                if (tcp && tcpSends++ == 0) {
                    udpBeforeTcp = sends - 1;
                    firstTcpAt = now;
                } else if (!tcp && tcpSends == 0) {
                    lastUdpBeforeTcpAt = now;
                }
                SimTopology.Answer a = tcp ? net.probe(p.flow() + TCP_FLOW_SALT, p.ttl(), random, now, false)
                        : net.probe(p.flow(), p.ttl(), random, now, protocol != ProbeProtocol.ICMP);
                if (a != null && tcp) {
                    long rtt = p.ttl() * rttPerTtl;
                    answers.add(new Pending(now + rtt + readLag, order++, new ProbeResponse(p.sequence(), a.destination()
                            ? ResponseKind.TCP_RESET : ResponseKind.TIME_EXCEEDED, a.destination() ? -1 : 11,
                            a.destination() ? -1 : 0, a.router().address, now + rtt)));
                } else if (a != null) {
                    long rtt = p.ttl() * rttPerTtl + random.nextInt((int) Math.max(1, rttPerTtl / 5));
                    ProbeResponse r = a.unreachable()
                            ? new ProbeResponse(p.sequence(), ResponseKind.DESTINATION_UNREACHABLE, 3, 0,
                                    a.router().address, now + rtt)
                            : a.destination() && protocol == ProbeProtocol.ICMP
                            ? new ProbeResponse(p.sequence(), ResponseKind.ECHO_REPLY, 0, 0, a.router().address, now + rtt)
                            : a.destination()
                            ? new ProbeResponse(p.sequence(), ResponseKind.DESTINATION_UNREACHABLE, 3, 3,
                                    a.router().address, now + rtt)
                            : new ProbeResponse(p.sequence(), ResponseKind.TIME_EXCEEDED, 11, 0, a.router().address,
                                    now + rtt);
                    long at = Math.max(now + rtt, arrival.at(p.ttl(), now + rtt));
                    if (at != now + rtt) {
                        r = new ProbeResponse(r.sequence(), r.kind(), r.icmpType(), r.icmpCode(), r.responder(), at);
                    }
                    answers.add(new Pending(at + readLag, order++, r));
                }
            }
            if (s.done()) {
                finishedAt = now;
                return checked(s.outcome(Stop.COMPLETED, now));
            }
            now += settleLag;
            long wake = s.nextWakeup(now);
            long at = wake == ProbingStrategy.NO_WAKEUP ? Long.MAX_VALUE : now + wake;
            if (at >= lateFrom && at < lateTo) {
                at = lateTo;
                wake = at - now;
            }
            if (!answers.isEmpty()) {
                at = Math.min(at, answers.peek().at);
            }
            if (sendGap > 0 && nextSend > now) {
                at = Math.min(at, nextSend);
            }
            if (at == Long.MAX_VALUE) {
                throw new AssertionError("stuck at " + now + ": nothing to wait for and not done");
            }
            if (at >= deadline) {
                finishedAt = deadline;
                return checked(s.outcome(Stop.DEADLINE, deadline));
            }
            if (at <= now) {
                if (++stuck > 1_000_000) {
                    throw new AssertionError("no progress at " + now + " ns: wake-up in " + wake + " ns, " + answers.size()
                            + " answers queued, next send at " + nextSend);
                }
            } else {
                stuck = 0;
            }
            now = Math.max(now, at);
            boolean delivered = false;
            while (!answers.isEmpty() && answers.peek().at <= now) {
                s.onAnswer(answers.poll().response, now);
                delivered = true;
            }
            if (!delivered && wake != ProbingStrategy.NO_WAKEUP && now >= at) {
                s.onWakeup(now);
            }
        }
    }
}
