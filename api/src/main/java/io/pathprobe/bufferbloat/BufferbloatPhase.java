package io.pathprobe.bufferbloat;

/** The phases of a bufferbloat test, in order. */
public enum BufferbloatPhase {
    /** Latency with no load. */
    IDLE,
    /** Download load: ramping up and measuring. */
    DOWNLOAD,
    /** Upload load. */
    UPLOAD,
    /** Download and upload at once. */
    CONCURRENT,
    /** Done. */
    DONE
}
