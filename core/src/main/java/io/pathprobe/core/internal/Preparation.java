package io.pathprobe.core.internal;

import io.pathprobe.core.internal.io.NettyLoops;
import io.pathprobe.core.internal.runtime.TransportRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What {@code build()} does ahead of the first measurement: in a fresh JVM the first trace
 * used to spend about 400 ms loading the transport's native bindings (jnr-ffi, about 300 classes and a
 * generated stub) and Netty's epoll transport before its first probe, with one core busy and the other
 * idle. Set-up threads now do that while the caller's thread builds the rest of the tracer: one opens
 * the transport a default trace chooses ({@link TransportRegistry#prepare()}) and, when lookups are on,
 * another loads what the first lookup needs ({@link #lookups}: Netty's native transport, which only the
 * tracer's own Netty loops use, and the lookups' classes). A tracer without lookups loads no Netty at all
 * before its first trace: the Linux transports have an epoll loop of their own. Nothing here throws: what fails is
 * found again, and reported with its cause, by the measurement that needs it.
 */
final class Preparation {
    /** Bound on build()'s wait: a transport that takes longer finishes opening in the background. */
    static final long WAIT_MILLIS = 3_000;

    private Preparation() {}

    /** Starts the preparation on the set-up pool. */
    static List<Future<?>> start(TransportRegistry registry, ExecutorService setup) {
        try {
            return List.of(setup.submit(new Runnable() { // a class: a lambda is generated at first use
                @Override
                public void run() {
                    registry.prepare();
                }
            }));
        } catch (RejectedExecutionException e) {
            return List.of();
        }
    }

    /**
     * Adds to {@code preparing} the loading of what a first lookup needs (Netty's native transport, dnsjava's
     * message classes, a UDP channel's and buffers' classes), for a tracer whose lookups are on; nothing is sent.
     * Nothing is loaded when {@code mayAsk} (asked on the set-up thread) says no server can be reached: those
     * lookups fail before any exchange.
     */
    static List<Future<?>> lookups(List<Future<?>> preparing, NettyLoops loops, ExecutorService setup,
            java.util.function.BooleanSupplier mayAsk) {
        if (preparing.isEmpty()) {
            return preparing; // nothing is prepared for this tracer (or the pool refused): nor this
        }
        try {
            List<Future<?>> all = new ArrayList<>(preparing);
            all.add(setup.submit(() -> {
                if (!mayAsk.getAsBoolean()) {
                    return;
                }
                NettyLoops.loadNative();
                io.pathprobe.core.internal.enrich.DnsClient.loadClasses();
                loops.loadUdpClasses();
            }));
            return all;
        } catch (RejectedExecutionException e) {
            return preparing;
        }
    }

    /** Waits, at most {@link #WAIT_MILLIS} in all, for what {@link #start} and {@link #lookups} began. */
    static void await(List<Future<?>> preparing) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        for (Future<?> f : preparing) {
            try {
                f.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                // not an error: the measurement that needs it opens (or reports) it; wait for the others
            } catch (TimeoutException e) {
                return; // the rest goes on in the background
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
