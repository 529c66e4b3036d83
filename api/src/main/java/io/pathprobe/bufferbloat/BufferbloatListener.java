package io.pathprobe.bufferbloat;

/**
 * Streams a bufferbloat test for progress bars and live plots. Methods run on the tracer's executor,
 * never on a load or engine thread, in order; a slow listener delays no probe and no load. Every
 * method does nothing by default.
 */
public interface BufferbloatListener {
    /** A listener that does nothing. */
    BufferbloatListener NONE = new BufferbloatListener() {};

    /**
     * A phase started.
     *
     * @param phase the phase that started
     */
    default void phaseStarted(BufferbloatPhase phase) {}

    /**
     * About every interval: the current throughput, load connections and latency of the running phase.
     *
     * @param phase the running phase
     * @param elapsedNanos time since the test started
     * @param throughputBitsPerSecond the current goodput (0 in the idle phase)
     * @param flows load connections open
     * @param latencyMillis the latest latency estimate (ping), or NaN if none yet
     */
    default void progress(BufferbloatPhase phase, long elapsedNanos, double throughputBitsPerSecond, int flows,
            double latencyMillis) {}

    /**
     * A latency sample was taken.
     *
     * @param sample the sample
     */
    default void sample(LatencySample sample) {}

    /**
     * The test ended; the last call.
     *
     * @param result the test's result
     */
    default void completed(BufferbloatResult result) {}
}
