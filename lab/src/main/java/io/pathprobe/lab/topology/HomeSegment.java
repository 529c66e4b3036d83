package io.pathprobe.lab.topology;

/**
 * Where a hop of the home lab is, seen from its host; the same names as {@code io.pathprobe.enrich.Segment}
 * (the lab module does not depend on the API), so tests compare them by {@link #name()}.
 */
public enum HomeSegment {
    /** Private (RFC 1918), link-local or unique-local addresses before the ISP. */
    LAN,
    /** CGNAT space (100.64/10) or the AS of the host's public address (AS 64500). */
    ISP,
    /** Between the ISP and the destination's AS (AS 64501). */
    TRANSIT,
    /** The destination's AS (AS 64510). */
    DESTINATION,
    /** A silent hop between hops of different segments. */
    UNKNOWN
}
