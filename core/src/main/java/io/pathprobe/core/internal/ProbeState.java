package io.pathprobe.core.internal;

import io.pathprobe.ProbeResult;
import io.pathprobe.ProbeStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Mutable state of one probe; engine thread only. */
final class ProbeState {
    final int ttl;
    final int attempt;
    final int sequence;
    /** Null until sent. */
    @Nullable ProbeStatus status;
    long sentTransportNanos;
    long sentTick;
    /** The wait that applied when the probe was given up (for revising a late-read answer). */
    long waitApplied;
    @Nullable InetAddress responder;
    long rttNanos = -1;
    /** Engine tick at which the answer was processed: orders "last RTT". */
    long answeredTick;
    int icmpType = -1;
    int icmpCode = -1;
    boolean destination;
    @Nullable String failure;

    ProbeState(int ttl, int attempt, int sequence) {
        this.ttl = ttl;
        this.attempt = attempt;
        this.sequence = sequence;
    }

    boolean sent() {
        return status != null;
    }

    boolean pending() {
        return status == ProbeStatus.PENDING;
    }

    boolean completed() {
        return status != null && status != ProbeStatus.PENDING;
    }

    boolean answered() {
        return status == ProbeStatus.REPLY || status == ProbeStatus.UNREACHABLE;
    }

    ProbeResult toResult() {
        ProbeStatus s = status == null ? ProbeStatus.PENDING : status;
        return new ProbeResult(
                ttl,
                attempt,
                s,
                Optional.ofNullable(responder),
                rttNanos >= 0 ? Optional.of(Duration.ofNanos(rttNanos)) : Optional.empty(),
                icmpType,
                icmpCode,
                destination,
                Optional.ofNullable(failure));
    }
}
