package io.pathprobe.bufferbloat;

/** Which way a bufferbloat test loads the link. */
public enum LoadDirection {
    /** Download only. */
    DOWNLOAD,
    /** Upload only. */
    UPLOAD,
    /** Download, then upload: a loaded latency and a throughput per direction (the default). */
    SEQUENTIAL,
    /** Download and upload at once (Apple networkQuality's default): one loaded latency for both. */
    CONCURRENT
}
