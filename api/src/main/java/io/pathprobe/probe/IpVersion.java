package io.pathprobe.probe;

/** Which IP version a trace uses: for a name, which addresses it may resolve to. */
public enum IpVersion {
    /** Either: a literal as given; a name's first IPv4 address, else its first IPv6 address (default). */
    ANY,
    /** IPv4 only ({@code -4}): an IPv6 literal is an error. */
    IPV4,
    /** IPv6 only ({@code -6}): an IPv4 literal is an error. */
    IPV6
}
