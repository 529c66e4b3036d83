package io.pathprobe.core.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.PathTracer;
import io.pathprobe.core.internal.sim.NamedTransport;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCapability;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine hands a session the probes of a run due in one loop turn as one {@link ProbeSession#sendBatch} (at most
 * {@value SendBatch#MAX}), on the engine loop and on sender threads; every probe goes once, through a batch, and a
 * probe the batch refuses is that probe's outcome ({@link ProbeStatus#SEND_FAILED}), the others' answers unchanged.
 * The transport answers from inside the send, the sharpest race for the answers the runtime must hold.
 */
class SendBatchTest {
    private static final int HOPS = 6;

    /** Answers each probe at once (routers 198.18.0.1..5, then the destination); refuses TTL {@link #refuseTtl}. */
    static final class BatchTransport extends NamedTransport {
        final List<Integer> batches = new CopyOnWriteArrayList<>();
        final AtomicInteger sends = new AtomicInteger();
        final AtomicInteger outsideBatches = new AtomicInteger();
        volatile int refuseTtl;

        BatchTransport() {
            super("batch", EnumSet.of(TransportCapability.ICMP, TransportCapability.IPV4,
                    TransportCapability.FLOW_FIXED));
        }

        @Override
        public ProbeSession openSession(SessionSpec spec, ResponseListener listener) {
            return new ProbeSession() {
                private boolean inBatch;

                @Override
                public int maxSequence() {
                    return 65_535;
                }

                @Override
                public int sendBatch(List<ProbeSpec> probes, long[] sentNanos, SendFailedException[] failures) {
                    inBatch = true;
                    try {
                        int handled = ProbeSession.super.sendBatch(probes, sentNanos, failures);
                        batches.add(handled);
                        return handled;
                    } finally {
                        inBatch = false;
                    }
                }

                @Override
                public long send(ProbeSpec probe) throws SendFailedException {
                    if (!inBatch) {
                        outsideBatches.incrementAndGet();
                    }
                    if (probe.ttl() == refuseTtl) {
                        throw new SendFailedException("sendmsg: ENOBUFS (No buffer space available)", false);
                    }
                    sends.incrementAndGet();
                    long sent = System.nanoTime();
                    boolean last = probe.ttl() >= HOPS;
                    ResponseKind kind = last ? ResponseKind.ECHO_REPLY : ResponseKind.TIME_EXCEEDED;
                    java.net.InetAddress from = last ? spec.destination()
                            : SenderThreadsTest.InstantSession.router(probe.ttl());
                    listener.onResponse(new ProbeResponse(probe.sequence(), kind, last ? 0 : 11, 0, from, sent + 1));
                    return sent;
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public void close() {}
    }

    private static TraceRequest request(int i) {
        return TraceRequest.builder("198.19." + (i / 200) + "." + (i % 200 + 1)).protocol(ProbeProtocol.ICMP)
                .maxTtl(12).probesPerTtl(3).probeTimeout(Duration.ofSeconds(20)).build();
    }

    private static List<TraceResult> run(BatchTransport transport, int senderThreads, int traces) throws Exception {
        try (PathTracer tracer = PathTracer.builder().transport(transport).offline().packetsPerSecond(0)
                .senderThreads(senderThreads).build()) {
            List<CompletableFuture<TraceResult>> all = new ArrayList<>();
            for (int i = 0; i < traces; i++) {
                all.add(tracer.traceAsync(request(i)));
            }
            List<TraceResult> results = new ArrayList<>();
            for (CompletableFuture<TraceResult> f : all) {
                results.add(f.get(30, TimeUnit.SECONDS));
            }
            return results;
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aRunsProbesOfOneTurnGoAsOneBatchOnTheLoopAndOnSenderThreads() throws Exception {
        for (int threads : new int[] {0, 2}) {
            BatchTransport transport = new BatchTransport();
            for (TraceResult r : run(transport, threads, threads == 0 ? 1 : 40)) {
                assertThat(r.destinationReached()).as("%s", r).isTrue();
                assertThat(r.hops()).as("%s", r).hasSize(HOPS);
                for (Hop h : r.hops()) {
                    assertThat(h.probes()).as("%s", r).hasSize(3)
                            .allSatisfy(p -> assertThat(p.status()).isEqualTo(ProbeStatus.REPLY));
                }
            }
            assertThat(transport.outsideBatches.get()).as("every send through a batch").isZero();
            assertThat(transport.batches.stream().mapToInt(Integer::intValue).sum()).as("each probe once")
                    .isEqualTo(transport.sends.get());
            assertThat(transport.batches).as("bounded").allSatisfy(n -> assertThat(n).isBetween(1, SendBatch.MAX));
            assertThat(transport.batches).as("the probes a turn makes due leave together").anySatisfy(
                    n -> assertThat(n).isGreaterThan(1));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aProbeTheBatchRefusesIsThatProbesOutcomeAndTheOthersAreAnswered() throws Exception {
        for (int threads : new int[] {0, 2}) {
            BatchTransport transport = new BatchTransport();
            transport.refuseTtl = 3;
            for (TraceResult r : run(transport, threads, threads == 0 ? 1 : 20)) {
                assertThat(r.destinationReached()).as("%s", r).isTrue();
                for (Hop h : r.hops()) {
                    for (ProbeResult p : h.probes()) {
                        assertThat(p.status()).as("%s", r)
                                .isEqualTo(h.ttl() == 3 ? ProbeStatus.SEND_FAILED : ProbeStatus.REPLY);
                    }
                }
            }
        }
    }
}
