package io.pathprobe.bufferbloat;

/** draft-ietf-ippm-responsiveness-09's categories of round trips per minute. */
public enum RpmCategory {
    /** Below 300 RPM (more than 200 ms per round trip). */
    POOR,
    /** 300 to 1000 RPM (60 to 200 ms). */
    FAIR,
    /** 1000 to 6000 RPM (10 to 60 ms). */
    GOOD,
    /** Above 6000 RPM (less than 10 ms). */
    EXCELLENT;

    /**
     * {@return the category of an RPM value}
     *
     * @param rpm round trips per minute
     */
    public static RpmCategory of(double rpm) {
        return rpm < 300 ? POOR : rpm < 1000 ? FAIR : rpm <= 6000 ? GOOD : EXCELLENT;
    }
}
