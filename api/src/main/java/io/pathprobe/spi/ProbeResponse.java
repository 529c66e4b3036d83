package io.pathprobe.spi;

import java.net.InetAddress;
import java.util.Objects;

/**
 * An ICMP answer a transport tied to one of a session's probes.
 *
 * @param sequence the sequence number of the probe, recovered from the answer (for a Time Exceeded,
 *     from the quoted probe, using only fields within the first 8 bytes after the quoted IP header)
 * @param kind what answered
 * @param icmpType the ICMP type as received
 * @param icmpCode the ICMP code as received
 * @param responder the source of the ICMP message
 * @param receivedNanos when it was received, on the same clock as {@link ProbeSession#send}'s result
 */
public record ProbeResponse(
        int sequence, ResponseKind kind, int icmpType, int icmpCode, InetAddress responder, long receivedNanos) {
    public ProbeResponse {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(responder, "responder");
    }

    /** Whether this is a port unreachable (IPv4 3/3, IPv6 1/4): the UDP destination's answer. */
    public boolean portUnreachable() {
        return kind == ResponseKind.DESTINATION_UNREACHABLE
                && ((icmpType == 3 && icmpCode == 3) || (icmpType == 1 && icmpCode == 4));
    }
}
