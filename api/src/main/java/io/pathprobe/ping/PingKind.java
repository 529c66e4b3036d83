package io.pathprobe.ping;

/** What a ping sends. May grow. */
public enum PingKind {
    /** ICMP (ICMPv6) echo request; the echo reply is the answer. */
    ICMP,
    /** A UDP datagram to a closed port; the destination's port unreachable is the answer. */
    UDP,
    /** A TCP SYN (connect); the destination's SYN-ACK or RST is the answer. No data is sent. */
    TCP,
    /** One DNS query to a server (the target); its response, whatever the rcode, is the answer. */
    DNS,
    /** One HTTP(S) request; the first byte of the response is the answer (time to first byte). */
    HTTP;

    /** {@return whether this kind is an application probe (DNS, HTTP) rather than a packet of the transports} */
    public boolean application() {
        return this == DNS || this == HTTP;
    }
}
