package io.pathprobe.core.internal.sim;

import io.pathprobe.core.internal.runtime.Scheduler;
import io.pathprobe.core.internal.runtime.Ticker;
import io.pathprobe.probe.PacketHeader;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.IcmpExtension;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCapability;
import io.pathprobe.spi.TransportCounters;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A transport that plays a {@link Scenario}: answers are delivered by the given "I/O" scheduler
 * (the fake one in tests on fake time, so no threads at all), timestamps from the given ticker.
 * Counts like a real transport: read = delivered + dropped.
 */
public final class ScenarioTransport extends NamedTransport {
    private final Scenario scenario;
    private final Scheduler io;
    private final Ticker ticker;
    public final List<Sent> sends = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Every call of send, failed ones included. */
    public final java.util.concurrent.atomic.AtomicInteger sendCalls = new java.util.concurrent.atomic.AtomicInteger();
    public final List<SessionSpec> sessionSpecs = new CopyOnWriteArrayList<>();
    public final Set<Session> openSessions = ConcurrentHashMap.newKeySet();
    final AtomicLong read = new AtomicLong();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong strayDrops = new AtomicLong();
    final AtomicLong malformedDrops = new AtomicLong();
    public volatile boolean closed;
    /** Scenario time origin (path changes are relative to it). */
    private final long start;

    /** One send: engine-visible time, TTL, sequence. */
    public record Sent(long at, int ttl, int sequence, int flow, java.net.InetAddress destination) {}

    public ScenarioTransport(Scenario scenario, Scheduler io, Ticker ticker, Set<TransportCapability> capabilities) {
        super("scenario", capabilities);
        this.scenario = scenario;
        this.io = io;
        this.ticker = ticker;
        this.start = ticker.read();
    }

    public ScenarioTransport(Scenario scenario, Scheduler io, Ticker ticker) {
        this(scenario, io, ticker, EnumSet.of(TransportCapability.ICMP, TransportCapability.UDP,
                TransportCapability.TCP, TransportCapability.IPV4, TransportCapability.IPV6,
                TransportCapability.FLOW_FIXED, TransportCapability.FLOW_PER_PROBE, TransportCapability.FLOW_EXPLICIT,
                TransportCapability.QUOTED_CHECKSUM, TransportCapability.PATH_MTU, TransportCapability.TRAFFIC_CLASS,
                TransportCapability.QUOTED_HEADER));
    }

    @Override
    public ProbeSession openSession(SessionSpec spec, ResponseListener listener) {
        sessionSpecs.add(spec);
        Session s = new Session(spec, listener);
        openSessions.add(s);
        return s;
    }

    @Override
    public Optional<TransportCounters> counters() {
        return Optional.of(new TransportCounters(read.get(), delivered.get(),
                Map.of(DropReason.UNRELATED, strayDrops.get(), DropReason.MALFORMED, malformedDrops.get())));
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Each responder's ICMP limit, shared by every session: a router limits what it sends, not per trace. */
    private final Map<java.net.InetAddress, IcmpLimiter> limiters = new ConcurrentHashMap<>();
    /** Errors refused by a responder's limit. */
    public final AtomicLong refused = new AtomicLong();

    private synchronized boolean allowed(java.net.InetAddress responder, long now) {
        boolean dest = responder.equals(scenario.destination()) && scenario.destinationLimitBurst > 0;
        int burst = dest ? scenario.destinationLimitBurst : scenario.limitBurst;
        long interval = dest ? scenario.destinationLimitIntervalNanos : scenario.limitIntervalNanos;
        if (burst <= 0) {
            return true;
        }
        if (limiters.computeIfAbsent(responder, k -> {
            IcmpLimiter l = new IcmpLimiter(burst, interval);
            if (dest && scenario.destinationDrained) {
                l.drain(start);
            }
            return l;
        }).allows(now)) {
            return true;
        }
        refused.incrementAndGet();
        return false;
    }

    public final class Session implements ProbeSession {
        final SessionSpec spec;
        final ResponseListener listener;
        final Map<Integer, Integer> arrivals = new ConcurrentHashMap<>();
        final java.util.concurrent.ConcurrentLinkedQueue<ProbeResponse> kernelQueue =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
        volatile boolean sessionClosed;
        /** The last probe sent (for a scenario whose sends supersede). */
        volatile int lastSequence = -1;

        Session(SessionSpec spec, ResponseListener listener) {
            this.spec = spec;
            this.listener = listener;
        }

        @Override
        public int maxSequence() {
            return scenario.maxSequence;
        }

        @Override
        public int maxFlow() {
            return spec.flowPolicy() == FlowPolicy.EXPLICIT ? scenario.maxFlow : 0;
        }

        @Override
        public int maxInFlight() {
            return scenario.maxInFlight;
        }

        @Override
        public long send(ProbeSpec probe) throws SendFailedException {
            if (sessionClosed) {
                throw new IllegalStateException("session closed");
            }
            if (probe.sequence() > scenario.maxSequence) {
                throw new IllegalArgumentException("sequence " + probe.sequence() + " beyond " + scenario.maxSequence);
            }
            int ttl = probe.ttl();
            long now = ticker.read();
            sendCalls.incrementAndGet();
            if (scenario.ipv4Only && spec.destination() instanceof java.net.Inet6Address) {
                throw new SendFailedException("sendmsg: EADDRNOTAVAIL (Cannot assign requested address)", false, true);
            }
            if (probe.dontFragment() && scenario.firstLinkMtu > 0 && probe.size() > scenario.firstLinkMtu) {
                throw SendFailedException.tooBig("sendmsg: EMSGSIZE (simulated)", scenario.firstLinkMtu);
            }
            if (scenario.allSendsTransient) {
                throw new SendFailedException("sendmsg: ENOBUFS (No buffer space available)", false, false);
            }
            if (scenario.allSendsFail) {
                throw new SendFailedException(scenario.allSendsNoRoute ? "sendmsg: ENETUNREACH (Network is unreachable)"
                        : "sendmsg: EADDRNOTAVAIL (Cannot assign requested address)", scenario.allSendsNoRoute, true);
            }
            Boolean failure = scenario.sendFailures.get(ttl);
            if (failure != null) {
                throw new SendFailedException("sendmsg: simulated failure", failure);
            }
            sends.add(new Sent(now, ttl, probe.sequence(), probe.flow(), spec.destination()));
            lastSequence = probe.sequence();
            long sinceStart = (now - start) / 1000;
            int arrival = arrivals.merge(ttl, 1, Integer::sum) - 1;
            for (int i = 0; i < scenario.strayPerSend; i++) {
                deliverDropped(now, true);
            }
            for (int i = 0; i < scenario.malformedPerSend; i++) {
                deliverDropped(now, false);
            }
            if (scenario.lost.getOrDefault(ttl, Set.of()).contains(arrival)) {
                return now;
            }
            for (Map.Entry<Integer, Set<Integer>> e : scenario.lostOutbound.entrySet()) {
                if (ttl >= e.getKey() && e.getValue().contains(arrival)) {
                    return now; // the probe died on the way out
                }
            }
            if (probe.dontFragment() && pathMtu(probe, now)) {
                return now;
            }
            boolean changed = scenario.changeAtMicros >= 0 && sinceStart >= scenario.changeAtMicros;
            int destTtl = changed ? scenario.destinationTtlAfter
                    : scenario.flowDestinationTtl.getOrDefault(probe.flow(), scenario.destinationTtl);
            int unreachTtl = changed ? scenario.unreachableTtlAfter : scenario.unreachableTtl;
            ProbeResponse r;
            int at;
            boolean v6 = scenario.ipv6;
            boolean outage = sinceStart >= scenario.outageFromMicros && sinceStart < scenario.outageToMicros
                    && ttl >= scenario.outageTtl && scenario.outageTtl <= destTtl;
            if (outage && scenario.outageLoop) {
                at = scenario.outageTtl - 2 + (ttl - scenario.outageTtl) % 2;
                r = response(probe.sequence(), ResponseKind.TIME_EXCEEDED, v6 ? 3 : 11, 0, scenario.router(at, sinceStart),
                        ttl, at);
            } else if (outage) {
                at = scenario.outageTtl;
                r = response(probe.sequence(), ResponseKind.DESTINATION_UNREACHABLE, v6 ? 1 : 3, 0, scenario.router(at),
                        ttl, at);
            } else if (unreachTtl > 0 && ttl >= unreachTtl && unreachTtl < destTtl) {
                at = unreachTtl;
                r = response(probe.sequence(), ResponseKind.DESTINATION_UNREACHABLE, v6 ? 1 : 3, scenario.unreachableCode,
                        scenario.router(at), ttl, at);
            } else if (ttl >= destTtl) {
                if (sinceStart >= scenario.destinationDownFromMicros && sinceStart < scenario.destinationDownToMicros) {
                    return now; // the destination is down
                }
                if (scenario.dead.contains(spec.destination())) {
                    return now; // no one holds the address
                }
                at = destTtl;
                java.net.InetAddress from = scenario.destinationAliases ? spec.destination() : scenario.destination();
                r = switch (spec.protocol()) {
                    case ICMP -> response(probe.sequence(), ResponseKind.ECHO_REPLY, v6 ? 129 : 0, 0, from, ttl, at);
                    case UDP -> response(probe.sequence(), ResponseKind.DESTINATION_UNREACHABLE, v6 ? 1 : 3, v6 ? 4 : 3,
                            from, ttl, at);
                    case TCP -> response(probe.sequence(), ResponseKind.TCP_RESET, -1, -1, from, ttl, at);
                };
                if (spec.protocol() == ProbeProtocol.TCP && scenario.destinationDropsTcp) {
                    return now;
                }
            } else if (scenario.silent.contains(ttl)) {
                return now;
            } else {
                at = ttl;
                r = response(probe.sequence(), ResponseKind.TIME_EXCEEDED, v6 ? 3 : 11, 0, scenario.router(ttl, sinceStart),
                        ttl, at);
            }
            if ((r.kind() == ResponseKind.TIME_EXCEEDED || r.kind() == ResponseKind.DESTINATION_UNREACHABLE)
                    && !allowed(scenario.destinationAliases && r.responder().equals(spec.destination())
                            ? scenario.destination() : r.responder(), now)) {
                return now; // refused: the responder's ICMP budget is spent
            }
            long rtt = scenario.rttMicros.containsKey(ttl) ? scenario.rttNanos(ttl) : scenario.rttNanos(at);
            rtt += scenario.lateMicros.getOrDefault(ttl, 0L) * 1000;
            rtt += arrival * scenario.queueStepMicros.getOrDefault(ttl, 0L) * 1000;
            long readDelay = scenario.readDelayMicros.getOrDefault(ttl, 0L) * 1000;
            int sentChecksum = (0x1000 + probe.sequence()) & 0xffff;
            int quoted = sentChecksum;
            for (Map.Entry<Integer, Integer> nat : scenario.natAfter.entrySet()) {
                if (at > nat.getKey()) {
                    quoted = (quoted + nat.getValue()) & 0xffff;
                }
            }
            boolean error = r.kind() == ResponseKind.TIME_EXCEEDED || r.kind() == ResponseKind.DESTINATION_UNREACHABLE;
            ProbeResponse stamped0 = new ProbeResponse(r.sequence(), r.kind(), r.icmpType(), r.icmpCode(), r.responder(),
                    now + rtt, r.replyTtl(), r.quotedTtl(), r.quotedIpId(), error ? quoted : -1,
                    error ? sentChecksum : -1, r.extensions());
            if (error && !scenario.remarkAfter.isEmpty()) {
                int tc = spec.trafficClass();
                for (Map.Entry<Integer, long[]> box : scenario.remarkAfter.entrySet()) {
                    long[] v = box.getValue();
                    if (at > box.getKey() && sinceStart >= v[1] && sinceStart < v[2]) {
                        tc = (int) v[0];
                    }
                }
                PacketHeader sent = PacketHeader.of(v6 ? 6 : 4, -1)
                        .withTrafficClass(spec.trafficClass()).withTransport(-1, -1, sentChecksum);
                stamped0 = stamped0.withHeaders(sent, sent.withTrafficClass(tc).withTtl(r.quotedTtl())
                        .withTransport(-1, -1, quoted));
            }
            ProbeResponse stamped = stamped0;
            int copies = scenario.duplicated.contains(ttl) ? 2 : 1;
            for (int i = 0; i < copies; i++) {
                if (readDelay > 0) {
                    // received by the "kernel" in time, read by the "I/O thread" late (unless the
                    // engine asks for pending answers first)
                    io.schedule(() -> kernelQueue.add(stamped), rtt);
                    io.schedule(() -> {
                        if (kernelQueue.remove(stamped)) {
                            deliver(stamped);
                        }
                    }, rtt + readDelay);
                } else {
                    io.schedule(() -> deliver(stamped), rtt);
                }
            }
            return now;
        }

        /** A DF probe: true when a router on its way said it is too big (answer scheduled) or it vanished. */
        private boolean pathMtu(ProbeSpec probe, long now) {
            int size = probe.size();
            for (int router = 1; router < Math.min(probe.ttl(), scenario.destinationTtl); router++) {
                Integer mtu = scenario.linkMtu.get(router);
                if (mtu != null && size > mtu) {
                    boolean v6 = scenario.ipv6;
                    ProbeResponse r = new ProbeResponse(probe.sequence(), ResponseKind.PACKET_TOO_BIG, v6 ? 2 : 3, v6 ? 0 : 4,
                            scenario.router(router), now + scenario.rttNanos(router), 64 - router, 2, -1, -1, -1, List.of(),
                            -1, mtu);
                    io.schedule(() -> deliver(r), scenario.rttNanos(router));
                    return true;
                }
                if (router == scenario.blackHoleTtl && size > scenario.blackHoleBytes) {
                    return true; // dropped silently
                }
            }
            return false;
        }

        private ProbeResponse response(int seq, ResponseKind kind, int type, int code, java.net.InetAddress from,
                int probeTtl, int at) {
            List<IcmpExtension> ext = new ArrayList<>();
            Integer label = scenario.mplsLabel.get(at);
            if (label != null && kind == ResponseKind.TIME_EXCEEDED) {
                int entry = (label << 12) | (1 << 8) | 1;
                ext.add(new IcmpExtension(1, 1, new byte[] {(byte) (entry >>> 24), (byte) (entry >>> 16),
                        (byte) (entry >>> 8), (byte) entry}));
            }
            return new ProbeResponse(seq, kind, type, code, from, 0, 64 - at, kind == ResponseKind.TIME_EXCEEDED ? 1 : -1,
                    -1, -1, -1, ext);
        }

        private void deliver(ProbeResponse r) {
            read.incrementAndGet();
            if (sessionClosed || closed) {
                strayDrops.incrementAndGet(); // for no live session
                return;
            }
            if (scenario.supersedes && r.sequence() != lastSequence) {
                strayDrops.incrementAndGet(); // its probe's socket is gone: the next probe took its place
                return;
            }
            delivered.incrementAndGet();
            listener.onResponse(r);
        }

        private void deliverDropped(long now, boolean stray) {
            io.schedule(() -> {
                read.incrementAndGet();
                (stray ? strayDrops : malformedDrops).incrementAndGet();
            }, 10_000);
        }

        /**
         * Answers due by now are timers at or before now: they run before this queued action; answers
         * received but not yet read are read first.
         */
        @Override
        public void afterPendingAnswers(Runnable action) {
            Runnable flushThenAct = () -> {
                ProbeResponse r;
                while ((r = kernelQueue.poll()) != null) {
                    deliver(r);
                }
                action.run();
            };
            if (!io.execute(flushThenAct)) {
                flushThenAct.run();
            }
        }

        @Override
        public void close() {
            sessionClosed = true;
            openSessions.remove(this);
        }
    }


    /** Counters as read = delivered + dropped. */
    public long read() {
        return read.get();
    }

    public long delivered() {
        return delivered.get();
    }
}
