package io.pathprobe.core.internal.sim;

import io.pathprobe.core.internal.runtime.Scheduler;
import io.pathprobe.core.internal.runtime.Ticker;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCapability;
import java.net.InetAddress;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * Many destinations behind routers, as data: {@code path.apply(destination, microseconds since the
 * start)} is the list of routers at TTL 1, 2, ... before the destination, which answers echo requests
 * at the TTL after them. Every router limits its Time Exceeded as Linux does ({@link IcmpLimiter}, when
 * {@code burst > 0}); refusals are counted. Answers come after 100 µs per hop, on the fake scheduler.
 * ICMP only; Paris (fixed flow) and classic sessions. Confined to the fake loop.
 */
public final class TreeTransport extends NamedTransport {
    private final BiFunction<InetAddress, Long, List<InetAddress>> path;
    private final Scheduler io;
    private final Ticker ticker;
    private final long start;
    private final int burst;
    private final long intervalNanos;
    private final Map<InetAddress, IcmpLimiter> limiters = new HashMap<>();
    /** Probes sent, per TTL. */
    public final Map<Integer, Integer> sentPerTtl = new HashMap<>();
    /** Probes that reached each router (answered or refused). */
    public final Map<InetAddress, Integer> perRouter = new HashMap<>();
    public final AtomicInteger sends = new AtomicInteger();
    public final AtomicInteger refused = new AtomicInteger();
    public final AtomicInteger openSessions = new AtomicInteger();
    public final AtomicInteger maxOpenSessions = new AtomicInteger();
    /** TTLs whose routers never send a Time Exceeded (the probe still dies there). */
    public final Set<Integer> silentTtls = new java.util.HashSet<>();
    /** Whether every router's bucket starts empty: another prober spent it just before. */
    public boolean drainedAtStart;
    /** The router at this TTL drops every {@link #dropEvery}th probe it forwards (0: none). */
    public int dropAtTtl;
    public int dropEvery;
    private int forwarded;

    public TreeTransport(BiFunction<InetAddress, Long, List<InetAddress>> path, Scheduler io, Ticker ticker, int burst,
            long intervalNanos) {
        super("tree", EnumSet.of(TransportCapability.ICMP, TransportCapability.IPV4, TransportCapability.FLOW_FIXED,
                TransportCapability.FLOW_PER_PROBE));
        this.path = path;
        this.io = io;
        this.ticker = ticker;
        this.start = ticker.read();
        this.burst = burst;
        this.intervalNanos = intervalNanos;
    }

    @Override
    public ProbeSession openSession(SessionSpec spec, ResponseListener listener) {
        maxOpenSessions.accumulateAndGet(openSessions.incrementAndGet(), Math::max);
        return new ProbeSession() {
            boolean closed;

            @Override
            public int maxSequence() {
                return 65535;
            }

            @Override
            public long send(ProbeSpec probe) {
                long now = ticker.read();
                sends.incrementAndGet();
                sentPerTtl.merge(probe.ttl(), 1, Integer::sum);
                List<InetAddress> routers = path.apply(spec.destination(), (now - start) / 1000);
                int ttl = probe.ttl();
                if (dropAtTtl > 0 && ttl > dropAtTtl && dropAtTtl <= routers.size() && ++forwarded % dropEvery == 0) {
                    return now; // lost on the way, past that router
                }
                ProbeResponse r;
                if (ttl <= routers.size()) {
                    InetAddress router = routers.get(ttl - 1);
                    perRouter.merge(router, 1, Integer::sum);
                    if (silentTtls.contains(ttl)) {
                        return now;
                    }
                    if (burst > 0 && !limiters.computeIfAbsent(router, k -> limiter(now)).allows(now)) {
                        refused.incrementAndGet();
                        return now;
                    }
                    r = new ProbeResponse(probe.sequence(), ResponseKind.TIME_EXCEEDED, 11, 0, router,
                            now + 100_000L * ttl);
                } else {
                    // its reply's TTL as it arrives: a host's 64 less the routers on the way back
                    r = new ProbeResponse(probe.sequence(), ResponseKind.ECHO_REPLY, 0, 0, spec.destination(),
                            now + 100_000L * (routers.size() + 1), 64 - routers.size(), -1, -1, -1, -1, List.of());
                }
                io.schedule(() -> {
                    if (!closed) {
                        listener.onResponse(r);
                    }
                }, r.receivedNanos() - now);
                return now;
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    openSessions.decrementAndGet();
                }
            }
        };
    }

    private IcmpLimiter limiter(long now) {
        IcmpLimiter l = new IcmpLimiter(burst, intervalNanos);
        if (drainedAtStart) {
            l.drain(start);
        }
        return l;
    }

    @Override
    public void close() {}
}
