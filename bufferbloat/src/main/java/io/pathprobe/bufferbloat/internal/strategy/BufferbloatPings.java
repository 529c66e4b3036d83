package io.pathprobe.bufferbloat.internal.strategy;

import io.pathprobe.Measurement;
import io.pathprobe.bufferbloat.LatencySample;
import io.pathprobe.core.internal.bufferbloat.spi.BufferbloatProvider.Tracing;
import io.pathprobe.core.internal.runtime.Scheduler;
import io.pathprobe.core.internal.runtime.Ticker;
import io.pathprobe.enrich.EnrichMode;
import io.pathprobe.ping.PingListener;
import io.pathprobe.ping.PingProbe;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.trace.TraceRequest;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
/**
 * The pings of a bufferbloat test, on the tracer's own engine like any ping: of the server, and of the
 * first hop when asked for (found by a one-hop trace). Started on the set-up pool (starting a ping may
 * open a transport); their answers and notes go to a {@link Sink}; the list of running pings is kept on
 * the engine loop, and {@link #cancel()} (on the loop) stops them.
 */
final class BufferbloatPings {
    /** Where answers and notes go, from any thread. */
    interface Sink {
        /** A ping sent at {@code sentAt} (engine ticks) answered in {@code ms}. */
        void ping(LatencySample.Kind kind, long sentAt, double ms);

        void note(String note);

        /** Whether the test has ended (thread-safe): a ping started after it is cancelled at once. */
        boolean ended();
    }

    private final Tracing tracing;
    private final Executor setup;
    private final Scheduler loop;
    private final Ticker ticker;
    private final boolean firstHop;
    private final Sink sink;
    private final List<Measurement<PingRequest, PingResult>> running = new ArrayList<>(); // engine loop

    BufferbloatPings(Tracing tracing, Executor setup, Scheduler loop, Ticker ticker, boolean firstHop,
            Sink sink) {
        this.tracing = tracing;
        this.setup = setup;
        this.loop = loop;
        this.ticker = ticker;
        this.firstHop = firstHop;
        this.sink = sink;
    }

    /** Pings {@code target} (and its first hop when asked for). */
    void start(InetAddress target) {
        setup.execute(() -> {
            start(target, LatencySample.Kind.PING);
            if (firstHop) {
                firstHop(target);
            }
        });
    }

    /** On the loop (or, the loop stopped, under the measurement's lock): every ping stops. */
    void cancel() {
        for (Measurement<PingRequest, PingResult> p : List.copyOf(running)) {
            p.cancel();
        }
        running.clear();
    }

    private void firstHop(InetAddress target) {
        TraceRequest tr = TraceRequest.builder(target).maxTtl(1).probesPerTtl(1).probeTimeout(Duration.ofMillis(500))
                .enrich(EnrichMode.OFF).build();
        tracing.traceAsync(tr).whenComplete((r, e) -> {
            if (e != null || r == null || r.hops().isEmpty()) {
                sink.note("first hop not found: no first-hop ping");
                return;
            }
            Optional<InetAddress> hop = r.hops().get(0).address();
            if (hop.isEmpty()) {
                sink.note("the first hop did not answer: no first-hop ping");
            } else if (hop.get().equals(target)) {
                sink.note("the server is the first hop: no separate first-hop ping");
            } else if (!sink.ended()) {
                start(hop.get(), LatencySample.Kind.PING_FIRST_HOP);
            }
        });
    }

    private void start(InetAddress target, LatencySample.Kind kind) {
        long base = ticker.read(); // the ping's probe times count from about here
        PingRequest pr = PingRequest.builder().target(target).untilCancelled().interval(BufferbloatRecord.PING_INTERVAL)
                .probeTimeout(Duration.ofSeconds(2)).enrich(EnrichMode.OFF).recentProbes(1)
                .listener(new PingListener() {
                    @Override
                    public void probeCompleted(int index, String t, PingProbe probe) {
                        if (probe.received() && probe.rtt().isPresent()) {
                            sink.ping(kind, base + probe.sentAt().toNanos(), probe.rtt().get().toNanos() / 1e6);
                        }
                    }
                }).build();
        Measurement<PingRequest, PingResult> p;
        try {
            p = tracing.start(pr);
        } catch (RuntimeException e) {
            sink.note((kind == LatencySample.Kind.PING ? "ping" : "first-hop ping")
                    + " unavailable: " + e.getMessage());
            return;
        }
        if (!loop.execute(() -> {
            if (sink.ended()) {
                p.cancel();
            } else {
                running.add(p);
            }
        })) {
            p.cancel();
        }
        p.result().whenComplete((r, e) -> {
            if (e == null && r != null && !r.targets().isEmpty() && r.targets().get(0).error().isPresent()) {
                sink.note(kind + " failed: " + r.targets().get(0).error().get().message());
            }
        });
    }
}
