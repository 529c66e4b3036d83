package io.pathprobe.enrich;

/** Where a hop is, seen from this host. */
public enum Segment {
    /** The local network: private (RFC 1918), link-local or unique-local addresses before the ISP. */
    LAN,
    /** This host's access provider: CGNAT space (100.64/10) or the AS of this host's public address. */
    ISP,
    /** Networks between the ISP and the destination's AS. */
    TRANSIT,
    /** The destination's AS. */
    DESTINATION,
    /** Not known: a silent hop between hops of different segments, or no AS information. */
    UNKNOWN
}
