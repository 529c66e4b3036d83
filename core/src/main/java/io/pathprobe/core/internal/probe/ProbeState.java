package io.pathprobe.core.internal.probe;

import io.pathprobe.IcmpMessage;
import io.pathprobe.MplsLabel;
import io.pathprobe.ProbeResult;
import io.pathprobe.ProbeStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * Mutable state of one probe; confined to the engine loop. Status moves once from unsent (null) to
 * {@link ProbeStatus#PENDING} (or straight to SEND_FAILED) and once from PENDING to a terminal status
 * ({@link #complete}); only a late-read answer may revise TIMEOUT to an answer afterwards.
 */
public final class ProbeState {
    public final int ttl;
    public final int attempt;
    /** Position in its {@link ProbeTable}. */
    public final int index;
    /** Null until sent. */
    public @Nullable ProbeStatus status;
    /** The sequence number it was sent with, -1 before. */
    public int sequence = -1;
    /** Engine tick when it was sent. */
    public long sentTick;
    /** The transport's send time (the clock of answers' receive times). */
    public long sentTransportNanos;
    /** The wait that applied when it was given up (to revise an answer that was read late). */
    public long waitApplied;
    public @Nullable InetAddress responder;
    public long rttNanos = -1;
    /** Engine tick when the answer was taken: orders "last RTT". */
    public long answeredTick;
    public int icmpType = -1;
    public int icmpCode = -1;
    public boolean destination;
    public int replyTtl = -1;
    public List<MplsLabel> mplsLabels = List.of();
    public @Nullable String failure;
    /** Abandoned beyond the end of the path, and its answer came anyway (once). */
    public boolean answeredBeyondPath;
    /** The flow it carries; -1 when the transport chooses per probe (classic). */
    public int flow = -1;
    /** Dublin's NAT ID of its answer (quoted minus sent checksum), -1 when unknown. */
    public int natId = -1;
    /** Timed out while a probe of its round at a later TTL was answered (set when hops are built). */
    public boolean lostBackward;

    public ProbeState(int ttl, int attempt, int index) {
        this.ttl = ttl;
        this.attempt = attempt;
        this.index = index;
    }

    public boolean sent() {
        return status != null;
    }

    public boolean pending() {
        return status == ProbeStatus.PENDING;
    }

    /** Sent and in a terminal status. */
    public boolean completed() {
        return status != null && status != ProbeStatus.PENDING;
    }

    public boolean answered() {
        return status == ProbeStatus.REPLY || status == ProbeStatus.UNREACHABLE;
    }

    /**
     * The one transition out of PENDING.
     *
     * @return false (and no change) if the probe was not pending
     */
    public boolean complete(ProbeStatus terminal) {
        if (status != ProbeStatus.PENDING || terminal == ProbeStatus.PENDING) {
            return false;
        }
        status = terminal;
        return true;
    }

    /** The probe as a result; {@code ipv6} tells the ICMP numbering. */
    public ProbeResult toResult(boolean ipv6) {
        ProbeStatus s = status == null ? ProbeStatus.PENDING : status;
        boolean answer = s == ProbeStatus.REPLY || s == ProbeStatus.UNREACHABLE;
        return new ProbeResult(
                ttl,
                attempt,
                s,
                answer ? Optional.ofNullable(responder) : Optional.empty(),
                answer && rttNanos >= 0 ? Optional.of(Duration.ofNanos(rttNanos)) : Optional.empty(),
                answer && icmpType >= 0 ? Optional.of(new IcmpMessage(icmpType, icmpCode, ipv6)) : Optional.empty(),
                answer && destination,
                Optional.ofNullable(failure),
                answer && replyTtl >= 0 ? OptionalInt.of(replyTtl) : OptionalInt.empty(),
                answer ? mplsLabels : List.of(),
                flow >= 0 ? OptionalInt.of(flow) : OptionalInt.empty(),
                answer && natId >= 0 ? OptionalInt.of(natId) : OptionalInt.empty());
    }
}
