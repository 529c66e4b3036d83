package io.pathprobe.evidence.internal;

import io.pathprobe.PathTracer;
import io.pathprobe.core.internal.sim.RealTimeTracers;
import io.pathprobe.core.internal.sim.Scenario;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Base of the tests that record on a simulated path, on real threads, into a folder of their own, then replay. */
abstract class SimulatedRecording {
    @TempDir
    Path dir;

    private final RealTimeTracers sim = new RealTimeTracers();

    @AfterEach
    void close() throws Exception {
        sim.close();
    }

    /** {@return a tracer over {@code path} (no pacing) that records into {@code file}} */
    PathTracer recording(Scenario path, Path file) {
        return PathTracer.builder().offline().transport(sim.transport(path)).packetsPerSecond(0)
                .record(file).build();
    }
}
