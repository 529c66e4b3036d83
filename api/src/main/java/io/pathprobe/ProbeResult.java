package io.pathprobe;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one probe.
 *
 * @param ttl the probe's IP TTL (hop number)
 * @param attempt the probe's index within its hop, from 0
 * @param status what became of the probe
 * @param responder who answered (a router, or the destination); empty on timeout, send failure or while pending
 * @param rtt round-trip time, from kernel timestamps where the transport has them; empty when there was no answer
 * @param icmpType ICMP type of the answer (11 time exceeded, 0/129 echo reply, 3/1 unreachable), or -1
 * @param icmpCode ICMP code of the answer, or -1
 * @param destination whether the responder is the traced destination (echo reply, or port unreachable for UDP)
 * @param failure why the probe could not be sent, for {@link ProbeStatus#SEND_FAILED}
 */
public record ProbeResult(
        int ttl,
        int attempt,
        ProbeStatus status,
        Optional<InetAddress> responder,
        Optional<Duration> rtt,
        int icmpType,
        int icmpCode,
        boolean destination,
        Optional<String> failure) {

    public ProbeResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(responder, "responder");
        Objects.requireNonNull(rtt, "rtt");
        Objects.requireNonNull(failure, "failure");
    }

    /** Whether an ICMP message came back for this probe (a reply or an unreachable). */
    public boolean answered() {
        return status == ProbeStatus.REPLY || status == ProbeStatus.UNREACHABLE;
    }
}
