package io.pathprobe.core.internal.sim;

import io.pathprobe.PathTracer;
import io.pathprobe.PathTracerBuilder;
import io.pathprobe.core.internal.DefaultPathTracer;
import io.pathprobe.core.internal.runtime.EngineLoop;
import io.pathprobe.core.internal.runtime.Ticker;
import io.pathprobe.spi.ProbeTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Real tracers (engine loop, set-up pool, executor) over simulated networks on real time, for one
 * test: scenario transports on one {@link EngineLoop}, tracers built offline without a packet rate,
 * and whatever else is handed to {@link #closeAfter}. The test's {@code @AfterEach} calls
 * {@link #close()}: everything handed over is closed in order, then the engine loop is shut down.
 */
public final class RealTimeTracers implements AutoCloseable {
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final EngineLoop io = new EngineLoop();

    /** The engine loop the transports run on. */
    public EngineLoop io() {
        return io;
    }

    /** A transport playing {@code s} on the engine loop, on the system ticker. */
    public ScenarioTransport transport(Scenario s) {
        return new ScenarioTransport(s, io, Ticker.SYSTEM);
    }

    /** An offline tracer on {@code t} with no packet rate limit, closed after the test. */
    public DefaultPathTracer tracer(ProbeTransport t) {
        return tracer(PathTracer.builder().offline().transport(t).packetsPerSecond(0));
    }

    /** The tracer {@code b} builds, closed after the test. */
    public DefaultPathTracer tracer(PathTracerBuilder b) {
        DefaultPathTracer tracer = (DefaultPathTracer) b.build();
        toClose.add(tracer);
        return tracer;
    }

    /** Closes {@code c} after the test, in the order handed over. */
    public void closeAfter(AutoCloseable c) {
        toClose.add(c);
    }

    /** Waits up to 10 s for {@code condition}, looking every 2 ms. */
    public static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(2);
        }
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        io.shutdown();
    }
}
