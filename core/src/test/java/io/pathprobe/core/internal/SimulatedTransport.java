package io.pathprobe.core.internal;

import io.pathprobe.ProbeProtocol;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCapability;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted network for engine tests (trippy-style simulation): per TTL a responder that answers
 * after a given RTT, or stays silent; the destination answers from its TTL on. Answers are
 * delivered on one "I/O" thread like a real transport. Only for what the lab cannot make (exact
 * loss patterns, duplicates, bogus sequence numbers, local send failures).
 */
final class SimulatedTransport implements ProbeTransport {
    final Map<Integer, InetAddress> routers = new HashMap<>();
    final Set<Integer> silent = new HashSet<>();
    /** TTL -> attempts (by order of arrival at that TTL) that are lost. */
    final Map<Integer, Set<Integer>> lost = new HashMap<>();
    /** TTL at which a router answers network unreachable instead of forwarding. */
    int unreachableAt = -1;
    int destinationTtl;
    long rttNanosPerHop = 200_000;
    boolean duplicateEverything;
    boolean bogusSequences;
    boolean failSendsNoRoute;
    volatile int maxSequence = 65535;
    final Set<TransportCapability> capabilities;
    final List<long[]> sends = new CopyOnWriteArrayList<>(); // {nanoTime, ttl, sequence}
    final List<Long> destinationAnswerTimes = new CopyOnWriteArrayList<>();
    final Set<Sim> openSessions = ConcurrentHashMap.newKeySet();
    final AtomicInteger sessionsOpened = new AtomicInteger();
    private final ScheduledExecutorService io = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sim-io");
        t.setDaemon(true);
        return t;
    });

    SimulatedTransport(int destinationTtl, Set<TransportCapability> capabilities) {
        this.destinationTtl = destinationTtl;
        this.capabilities = capabilities;
        for (int ttl = 1; ttl < 256; ttl++) {
            routers.put(ttl, address(10, ttl));
        }
    }

    SimulatedTransport(int destinationTtl) {
        this(destinationTtl, Set.of(TransportCapability.ICMP, TransportCapability.UDP, TransportCapability.IPV4));
    }

    static InetAddress address(int a, int b) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) 198, 18, (byte) a, (byte) b});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static final InetAddress DESTINATION = address(99, 1);

    @Override
    public String name() {
        return "simulated";
    }

    @Override
    public Set<TransportCapability> capabilities() {
        return capabilities;
    }

    @Override
    public ProbeSession openSession(SessionSpec spec, ResponseListener listener) {
        Sim s = new Sim(spec, listener);
        openSessions.add(s);
        sessionsOpened.incrementAndGet();
        return s;
    }

    @Override
    public void close() {
        io.shutdownNow();
    }

    final class Sim implements ProbeSession {
        final SessionSpec spec;
        final ResponseListener listener;
        final Map<Integer, Integer> arrivalsPerTtl = new ConcurrentHashMap<>();
        volatile boolean closed;

        Sim(SessionSpec spec, ResponseListener listener) {
            this.spec = spec;
            this.listener = listener;
        }

        @Override
        public int maxSequence() {
            return maxSequence;
        }

        @Override
        public long send(int sequence, int ttl) throws SendFailedException {
            long now = System.nanoTime();
            if (failSendsNoRoute) {
                throw new SendFailedException("sendmsg: ENETUNREACH (Network is unreachable)", true);
            }
            sends.add(new long[] {now, ttl, sequence});
            int attempt = arrivalsPerTtl.merge(ttl, 1, Integer::sum) - 1;
            if (lost.getOrDefault(ttl, Set.of()).contains(attempt)) {
                return now;
            }
            boolean atDestination = ttl >= destinationTtl;
            boolean unreachable = unreachableAt > 0 && ttl >= unreachableAt;
            if (!atDestination && !unreachable && silent.contains(ttl)) {
                return now;
            }
            int hop = unreachable ? unreachableAt : Math.min(ttl, destinationTtl);
            long rtt = rttNanosPerHop * hop;
            ProbeResponse r;
            if (unreachable) {
                r = new ProbeResponse(sequence, ResponseKind.DESTINATION_UNREACHABLE, 3, 0, routers.get(unreachableAt), now + rtt);
            } else if (atDestination) {
                r = spec.protocol() == ProbeProtocol.ICMP
                        ? new ProbeResponse(sequence, ResponseKind.ECHO_REPLY, 0, 0, spec.destination(), now + rtt)
                        : new ProbeResponse(sequence, ResponseKind.DESTINATION_UNREACHABLE, 3, 3, spec.destination(), now + rtt);
            } else {
                r = new ProbeResponse(sequence, ResponseKind.TIME_EXCEEDED, 11, 0, routers.get(ttl), now + rtt);
            }
            List<ProbeResponse> out = new ArrayList<>();
            out.add(r);
            if (duplicateEverything) {
                out.add(r);
            }
            if (bogusSequences) {
                out.add(new ProbeResponse(60000 + sequence, r.kind(), r.icmpType(), r.icmpCode(), r.responder(), r.receivedNanos()));
            }
            io.schedule(() -> {
                if (closed) {
                    return;
                }
                if (atDestination) {
                    destinationAnswerTimes.add(System.nanoTime());
                }
                out.forEach(listener::onResponse);
            }, rtt, TimeUnit.NANOSECONDS);
            return now;
        }

        /** Answers due by now are scheduled before this task, so they are delivered first. */
        @Override
        public void afterPendingAnswers(Runnable action) {
            try {
                io.execute(action);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                action.run();
            }
        }

        @Override
        public void close() {
            closed = true;
            openSessions.remove(this);
        }
    }
}
