package io.pathprobe.core.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.PathTracer;
import io.pathprobe.core.internal.sim.NamedTransport;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCapability;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sender threads ({@link SendLanes}) on a real engine loop, with a transport that answers every probe from
 * inside {@code send()}, on the sending thread, before {@code send()} returns: each answer reaches the engine
 * before the lane's report of its send can, the sharpest form of the race the runtime must hold answers for.
 */
class SenderThreadsTest {
    private static final int HOPS = 6;

    /** Answers at once: routers 198.18.0.1..5 for TTL 1-5, the destination from TTL 6 on. */
    static final class InstantTransport extends NamedTransport {
        final Set<InstantSession> sessions = ConcurrentHashMap.newKeySet();
        final AtomicInteger overlaps = new AtomicInteger();
        final AtomicInteger sends = new AtomicInteger();
        /** A TTL whose sends throw an Error (0: none). */
        volatile int errorAtTtl;

        InstantTransport() {
            super("instant", EnumSet.of(TransportCapability.ICMP, TransportCapability.UDP, TransportCapability.IPV4,
                    TransportCapability.FLOW_FIXED));
        }

        @Override
        public ProbeSession openSession(SessionSpec spec, ResponseListener listener) {
            InstantSession s = new InstantSession(this, spec.destination(), listener);
            sessions.add(s);
            return s;
        }

        @Override
        public void close() {}
    }

    static final class InstantSession implements ProbeSession {
        private final InstantTransport transport;
        private final InetAddress destination;
        private final ResponseListener listener;
        private final AtomicBoolean inUse = new AtomicBoolean();
        final Set<String> sendThreads = ConcurrentHashMap.newKeySet();
        final List<String> order = new CopyOnWriteArrayList<>();
        volatile boolean closed;

        InstantSession(InstantTransport transport, InetAddress destination, ResponseListener listener) {
            this.transport = transport;
            this.destination = destination;
            this.listener = listener;
        }

        @Override
        public int maxSequence() {
            return 65_535;
        }

        @Override
        public long send(ProbeSpec probe) {
            if (!inUse.compareAndSet(false, true)) {
                transport.overlaps.incrementAndGet();
            }
            try {
                if (closed) {
                    throw new IllegalStateException("session is closed");
                }
                if (probe.ttl() == transport.errorAtTtl) {
                    throw new AssertionError("a transport's bug at TTL " + probe.ttl());
                }
                sendThreads.add(Thread.currentThread().getName());
                order.add("send");
                transport.sends.incrementAndGet();
                long sent = System.nanoTime();
                InetAddress from = probe.ttl() >= HOPS ? destination : router(probe.ttl());
                ResponseKind kind = probe.ttl() >= HOPS ? ResponseKind.ECHO_REPLY : ResponseKind.TIME_EXCEEDED;
                listener.onResponse(new ProbeResponse(probe.sequence(), kind, kind == ResponseKind.ECHO_REPLY ? 0 : 11,
                        0, from, Math.max(System.nanoTime(), sent + 1)));
                return sent;
            } finally {
                inUse.set(false);
            }
        }

        @Override
        public void close() {
            if (!inUse.compareAndSet(false, true)) {
                transport.overlaps.incrementAndGet();
            }
            order.add("close");
            closed = true;
            inUse.set(false);
        }

        static InetAddress router(int ttl) {
            try {
                return InetAddress.getByAddress(new byte[] {(byte) 198, 18, 0, (byte) ttl});
            } catch (UnknownHostException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static TraceRequest request(int i) {
        return TraceRequest.builder("198.19." + (i / 200) + "." + (i % 200 + 1)).protocol(
                io.pathprobe.probe.ProbeProtocol.ICMP).maxTtl(12).probesPerTtl(3)
                .probeTimeout(Duration.ofSeconds(20)).build();
    }

    /** Sender threads alive now that were not before the test (another tracer of this JVM may have some). */
    private final Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());

    private List<String> liveSenderThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).filter(t -> !before.contains(t))
                .map(Thread::getName).filter(n -> n.startsWith("pathprobe-send-")).toList();
    }

    /** Every hop answered, with a round trip from its own send time (within the probe timeout), destination reached. */
    private static void assertComplete(TraceResult r) {
        assertThat(r.destinationReached()).as("%s", r).isTrue();
        assertThat(r.hops()).as("%s", r).hasSize(HOPS);
        for (Hop h : r.hops()) {
            for (ProbeResult p : h.probes()) {
                assertThat(p.status()).as("%s", r).isEqualTo(ProbeStatus.REPLY);
                assertThat(p.rtt()).as("%s", r).isPresent();
                assertThat(p.rtt().get().isNegative()).as("%s", r).isFalse();
                // measured from this probe's own send time: an answer taken before the send time came back
                // would read as the transport clock's whole value (hours)
                assertThat(p.rtt().get()).as("%s", r).isLessThanOrEqualTo(Duration.ofSeconds(20));
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void concurrentTracesSpreadOverTheLanesAndEveryAnswerMeetsItsSendTime() throws Exception {
        InstantTransport transport = new InstantTransport();
        int traces = 60;
        try (PathTracer tracer = PathTracer.builder().transport(transport).offline().packetsPerSecond(0)
                .senderThreads(2).build()) {
            for (int round = 0; round < 3; round++) {
                List<CompletableFuture<TraceResult>> all = new ArrayList<>();
                for (int i = 0; i < traces; i++) {
                    all.add(tracer.traceAsync(request(i)));
                }
                for (CompletableFuture<TraceResult> f : all) {
                    assertComplete(f.get(30, TimeUnit.SECONDS));
                }
                assertThat(liveSenderThreads()).as("constant: at most the threads asked for").hasSizeLessThanOrEqualTo(2);
            }
        }
        assertThat(transport.overlaps.get()).as("a session used by two threads at once").isZero();
        Set<String> used = ConcurrentHashMap.newKeySet();
        for (InstantSession s : transport.sessions) {
            assertThat(s.sendThreads).as("one thread per session").hasSize(1);
            used.addAll(s.sendThreads);
            assertThat(s.closed).isTrue();
            assertThat(s.order.indexOf("close")).as("closed after its sends").isEqualTo(s.order.size() - 1);
        }
        assertThat(used).anyMatch(n -> n.startsWith("pathprobe-send-"));
        assertThat(used).anyMatch(n -> n.startsWith("pathprobe-engine-"));
        assertThat(liveSenderThreads()).as("stopped by close()").isEmpty();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aTraceAloneSendsOnTheEngineThreadAndZeroThreadsKeepEverySendThere() throws Exception {
        InstantTransport alone = new InstantTransport();
        try (PathTracer tracer = PathTracer.builder().transport(alone).offline().packetsPerSecond(0)
                .senderThreads(2).build()) {
            assertComplete(tracer.trace(request(0)));
            assertComplete(tracer.trace(request(1)));
        }
        for (InstantSession s : alone.sessions) {
            assertThat(s.sendThreads).allMatch(n -> n.startsWith("pathprobe-engine-"));
        }
        InstantTransport none = new InstantTransport();
        try (PathTracer tracer = PathTracer.builder().transport(none).offline().packetsPerSecond(0)
                .senderThreads(0).build()) {
            List<CompletableFuture<TraceResult>> all = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                all.add(tracer.traceAsync(request(i)));
            }
            for (CompletableFuture<TraceResult> f : all) {
                assertComplete(f.get(30, TimeUnit.SECONDS));
            }
        }
        for (InstantSession s : none.sessions) {
            assertThat(s.sendThreads).allMatch(n -> n.startsWith("pathprobe-engine-"));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void closingWhileTracesRunEndsThemAndLeavesNoSenderThreadNorOpenSession() throws Exception {
        InstantTransport transport = new InstantTransport();
        List<CompletableFuture<TraceResult>> all = new ArrayList<>();
        try (PathTracer tracer = PathTracer.builder().transport(transport).offline().packetsPerSecond(0)
                .senderThreads(3).build()) {
            for (int i = 0; i < 200; i++) {
                all.add(tracer.traceAsync(request(i)));
            }
        }
        for (CompletableFuture<TraceResult> f : all) {
            TraceResult r = f.get(30, TimeUnit.SECONDS); // completed or cancelled with what it had
            assertThat(r.hops()).isNotNull();
        }
        assertThat(transport.overlaps.get()).isZero();
        assertThat(transport.sessions).allMatch(s -> s.closed);
        assertThat(liveSenderThreads()).isEmpty();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anErrorInASendFailsItsMeasurementOnASenderThreadAsOnTheEngineThread() throws Exception {
        InstantTransport transport = new InstantTransport();
        transport.errorAtTtl = 3;
        List<CompletableFuture<TraceResult>> all = new ArrayList<>();
        try (PathTracer tracer = PathTracer.builder().transport(transport).offline().packetsPerSecond(0)
                .senderThreads(2).build()) {
            for (int i = 0; i < 30; i++) {
                all.add(tracer.traceAsync(request(i)));
            }
            for (CompletableFuture<TraceResult> f : all) {
                assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).hasRootCauseInstanceOf(AssertionError.class)
                        .hasStackTraceContaining("a transport's bug at TTL 3");
            }
        }
        assertThat(transport.sessions).allMatch(s -> s.closed);
        assertThat(liveSenderThreads()).isEmpty();
    }

    @Test
    void theBuilderChecksTheCount() {
        assertThatThrownBy(() -> PathTracer.builder().senderThreads(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("senderThreads");
        assertThatThrownBy(() -> PathTracer.builder().senderThreads(17))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..16");
        assertThatThrownBy(() -> PathTracer.builder().senderThreads(1).senderThreads(2))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already set");
    }
}
