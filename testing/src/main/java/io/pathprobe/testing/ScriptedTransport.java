package io.pathprobe.testing;

import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCapability;
import io.pathprobe.spi.TransportCounters;
import io.pathprobe.time.Scheduler;
import io.pathprobe.time.Ticker;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ProbeTransport} that plays a script instead of sending packets: a path of {@link ScriptedHop hops}
 * (TTL 1 is the first hop given) and then the destination, whatever address is probed. A probe whose TTL runs
 * out at a router is answered with ICMP time exceeded from the router's address; one that reaches the
 * destination (TTL past the last hop) with what the destination's protocol sends: an echo reply to ICMP, port
 * unreachable to UDP, a reset to TCP. A silent step answers nothing; a lossy one leaves some probes unanswered.
 * Each answer is delivered on the given {@link Scheduler} after its step's delay and stamped with the given
 * {@link Ticker}: with a {@link FakeTime} as both, and as the tracer's
 * ({@code PathTracer.builder().transport(path).ticker(time).scheduler(time)}), a whole trace, ping or monitor
 * runs on fake time, opening no socket and sending nothing.
 *
 * <pre>{@code
 * ScriptedTransport path = ScriptedTransport.builder(time)
 *         .hop(ScriptedHop.router("198.18.2.1"))
 *         .hop(ScriptedHop.silent())
 *         .hop(ScriptedHop.router("198.18.2.3").delay(Duration.ofMillis(15)).loseEvery(2))
 *         .destination(ScriptedHop.destination().delay(Duration.ofMillis(20)))
 *         .build();
 * }</pre>
 *
 * <p>It probes ICMP, UDP and TCP, IPv4 and IPv6, in every {@link FlowPolicy}; every flow takes the same path.
 * It takes the default payload size only and does no path MTU discovery. It takes a marking (DSCP and ECN,
 * {@code TRAFFIC_CLASS}) and leaves it as it is: its answers quote no headers, so no hop shows a change. The
 * tracer does not close a transport given to its builder; closing this one is optional (it holds nothing).
 */
public final class ScriptedTransport implements ProbeTransport {
    /** Probe numbers run from 0 to this. */
    static final int MAX_SEQUENCE = 65_535;

    private final Ticker ticker;
    private final Scheduler scheduler;
    private final List<ScriptedHop> hops;
    private final ScriptedHop destination;
    /** Per step (the hops, then the destination): probes that reached it, and its random draws. */
    private final long[] reached;
    private final SplittableRandom[] draws;
    private long sent;
    private long delivered;
    private long stray;
    private volatile boolean closed;

    private ScriptedTransport(Builder b) {
        this.ticker = b.ticker;
        this.scheduler = b.scheduler;
        this.hops = List.copyOf(b.hops);
        this.destination = b.destination != null ? b.destination : ScriptedHop.destination();
        this.reached = new long[hops.size() + 1];
        this.draws = new SplittableRandom[hops.size() + 1];
        for (int i = 0; i < draws.length; i++) {
            draws[i] = new SplittableRandom(step(i).seed());
        }
    }

    /**
     * {@return a builder of a script answered on {@code time}: its clock and its loop}
     *
     * @param time the fake time the answers come on (give it to the tracer's builder too)
     */
    public static Builder builder(FakeTime time) {
        return builder(time, time);
    }

    /**
     * {@return a builder of a script whose answers are stamped with {@code ticker} and delivered on
     * {@code scheduler}} Give the tracer the same ticker.
     *
     * @param ticker the clock of sends and answers
     * @param scheduler where answers are delivered, after their delay
     */
    public static Builder builder(Ticker ticker, Scheduler scheduler) {
        return new Builder(Objects.requireNonNull(ticker, "ticker"), Objects.requireNonNull(scheduler, "scheduler"));
    }

    /** Builds a {@link ScriptedTransport}: the hops in TTL order, then the destination. */
    public static final class Builder {
        private final Ticker ticker;
        private final Scheduler scheduler;
        private final List<ScriptedHop> hops = new ArrayList<>();
        private @Nullable ScriptedHop destination;

        private Builder(Ticker ticker, Scheduler scheduler) {
            this.ticker = ticker;
            this.scheduler = scheduler;
        }

        /**
         * Adds the next hop: the first call is TTL 1.
         *
         * @param hop a {@link ScriptedHop#router router} or a {@link ScriptedHop#silent() silent} hop
         * @return this builder
         * @throws IllegalArgumentException if {@code hop} is {@link ScriptedHop#destination()}, which answers
         *     from no address of its own
         */
        public Builder hop(ScriptedHop hop) {
            Objects.requireNonNull(hop, "hop");
            if (hop.answers() && hop.address() == null) {
                throw new IllegalArgumentException("a hop on the way answers from an address of its own: use "
                        + "ScriptedHop.router(address); ScriptedHop.destination() is for destination()");
            }
            if (hops.size() >= 254) {
                throw new IllegalArgumentException("at most 254 hops before the destination");
            }
            hops.add(hop);
            return this;
        }

        /**
         * How the destination answers, at the TTL after the last hop (default: {@link ScriptedHop#destination()},
         * answering after {@link ScriptedHop#DEFAULT_DELAY}, losing nothing). May be set once.
         *
         * @param destination {@link ScriptedHop#destination()} with its delay and losses, or
         *     {@link ScriptedHop#silent()} for a destination that is never reached
         * @return this builder
         * @throws IllegalArgumentException if it is a {@link ScriptedHop#router router}
         */
        public Builder destination(ScriptedHop destination) {
            if (this.destination != null) {
                throw new IllegalStateException("destination was already set");
            }
            Objects.requireNonNull(destination, "destination");
            if (destination.address() != null) {
                throw new IllegalArgumentException("the destination answers from the address probed: use "
                        + "ScriptedHop.destination() or ScriptedHop.silent()");
            }
            this.destination = destination;
            return this;
        }

        /**
         * {@return the transport}
         */
        public ScriptedTransport build() {
            return new ScriptedTransport(this);
        }
    }

    @Override
    public String name() {
        return "scripted";
    }

    @Override
    public Set<TransportCapability> capabilities() {
        return Collections.unmodifiableSet(EnumSet.of(TransportCapability.ICMP, TransportCapability.UDP,
                TransportCapability.TCP, TransportCapability.IPV4, TransportCapability.IPV6,
                TransportCapability.UNPRIVILEGED, TransportCapability.FLOW_FIXED, TransportCapability.FLOW_PER_PROBE,
                TransportCapability.FLOW_EXPLICIT, TransportCapability.TRAFFIC_CLASS));
    }

    @Override
    public ProbeSession openSession(SessionSpec spec, ResponseListener listener) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(listener, "listener");
        if (closed) {
            throw new IllegalStateException("transport closed");
        }
        if (spec.payloadSize() != SessionSpec.DEFAULT_PAYLOAD) {
            throw new IllegalArgumentException("the scripted transport takes the default payload size only, was "
                    + spec.payloadSize());
        }
        return new Session(spec, listener);
    }

    /**
     * {@return probes sent so far, over every session}
     */
    public synchronized long sentProbes() {
        return sent;
    }

    /**
     * {@return the TTL at which probes reach the destination: the number of hops plus one}
     */
    public int destinationTtl() {
        return hops.size() + 1;
    }

    @Override
    public Optional<TransportCounters> counters() {
        synchronized (this) {
            return Optional.of(new TransportCounters(delivered + stray, delivered,
                    Map.of(DropReason.UNRELATED, stray)));
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "ScriptedTransport{" + hops.size() + " hops, then the destination}";
    }

    private ScriptedHop step(int index) {
        return index < hops.size() ? hops.get(index) : destination;
    }

    /** Whether the step answers this probe (counted as one that reached it). */
    private synchronized boolean answers(int index) {
        sent++;
        ScriptedHop s = step(index);
        long n = ++reached[index];
        if (!s.answers()) {
            return false;
        }
        if (s.lossEvery() > 0 && n % s.lossEvery() == 0) {
            return false;
        }
        return !(s.lossFraction() > 0 && draws[index].nextDouble() < s.lossFraction());
    }

    private synchronized void count(boolean deliveredToListener) {
        if (deliveredToListener) {
            delivered++;
        } else {
            stray++;
        }
    }

    private final class Session implements ProbeSession {
        private final SessionSpec spec;
        private final ResponseListener listener;
        private volatile boolean sessionClosed;

        Session(SessionSpec spec, ResponseListener listener) {
            this.spec = spec;
            this.listener = listener;
        }

        @Override
        public int maxSequence() {
            return MAX_SEQUENCE;
        }

        @Override
        public int maxFlow() {
            return spec.flowPolicy() == FlowPolicy.EXPLICIT ? 65_535 : 0;
        }

        @Override
        public long send(ProbeSpec probe) {
            if (sessionClosed || closed) {
                throw new IllegalStateException("session closed");
            }
            if (probe.sequence() > MAX_SEQUENCE) {
                throw new IllegalArgumentException("sequence " + probe.sequence() + " beyond " + MAX_SEQUENCE);
            }
            if (probe.flow() > maxFlow()) {
                throw new IllegalArgumentException("flow " + probe.flow() + " beyond " + maxFlow());
            }
            long now = ticker.read();
            int index = Math.min(probe.ttl(), hops.size() + 1) - 1;
            if (!answers(index)) {
                return now;
            }
            ScriptedHop s = step(index);
            long rtt = s.delay().toNanos();
            ProbeResponse answer = index < hops.size()
                    ? timeExceeded(probe, Objects.requireNonNull(s.address()), now + rtt, index + 1)
                    : destinationAnswer(probe, now + rtt, index + 1);
            scheduler.schedule(() -> deliver(answer), s.delay());
            return now;
        }

        private ProbeResponse timeExceeded(ProbeSpec probe, InetAddress from, long at, int hop) {
            boolean v6 = from instanceof Inet6Address;
            return new ProbeResponse(probe.sequence(), ResponseKind.TIME_EXCEEDED, v6 ? 3 : 11, 0, from, at,
                    64 - hop, 1, ProbeResponse.UNKNOWN, ProbeResponse.UNKNOWN, ProbeResponse.UNKNOWN, List.of());
        }

        private ProbeResponse destinationAnswer(ProbeSpec probe, long at, int hop) {
            InetAddress from = spec.destination();
            boolean v6 = from instanceof Inet6Address;
            int replyTtl = 64 - hop;
            int u = ProbeResponse.UNKNOWN;
            return switch (spec.protocol()) {
                case ICMP -> new ProbeResponse(probe.sequence(), ResponseKind.ECHO_REPLY, v6 ? 129 : 0, 0, from, at,
                        replyTtl, u, u, u, u, List.of());
                case UDP -> new ProbeResponse(probe.sequence(), ResponseKind.DESTINATION_UNREACHABLE, v6 ? 1 : 3,
                        v6 ? 4 : 3, from, at, replyTtl, u, u, u, u, List.of());
                case TCP -> new ProbeResponse(probe.sequence(), ResponseKind.TCP_RESET, u, u, from, at, replyTtl,
                        u, u, u, u, List.of());
            };
        }

        private void deliver(ProbeResponse answer) {
            boolean live = !sessionClosed && !closed;
            count(live);
            if (live) {
                listener.onResponse(answer);
            }
        }

        /** Answers due by now are timers at or before now: they run before this task. */
        @Override
        public void afterPendingAnswers(Runnable action) {
            if (sessionClosed || closed || !scheduler.execute(action)) {
                action.run();
            }
        }

        @Override
        public void close() {
            sessionClosed = true;
        }

        @Override
        public String toString() {
            return "ScriptedTransport.Session{" + spec.protocol() + " to " + spec.destination() + "}";
        }
    }
}
