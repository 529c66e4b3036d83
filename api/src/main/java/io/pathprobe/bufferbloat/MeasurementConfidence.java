package io.pathprobe.bufferbloat;

/** draft-ietf-ippm-responsiveness-09's confidence in a throughput or responsiveness figure. */
public enum MeasurementConfidence {
    /** Fewer than MAD (moving average distance) intervals ran. */
    LOW,
    /** At least MAD intervals ran, but the figure did not become stable. */
    MEDIUM,
    /** The figure became stable (standard deviation of the moving averages below SDT). */
    HIGH
}
