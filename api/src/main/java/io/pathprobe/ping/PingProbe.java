package io.pathprobe.ping;

import io.pathprobe.probe.IcmpMessage;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.util.Checks;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
/**
 * One probe of a ping target and what became of it.
 *
 * @param sequence the probe's number in its target's send order, from 0; never wraps (on the wire it
 *     carries {@code sequence} modulo the transport's range, e.g. 65536 for ICMP echo)
 * @param sentAt when it was sent, from the start of the ping (the engine's clock)
 * @param status {@link ProbeStatus#REPLY} (the destination answered in time), {@link ProbeStatus#TIMEOUT}
 *     (no answer within the timeout, or only a late one: {@link #late()}), {@link ProbeStatus#UNREACHABLE} (an ICMP
 *     error answered), {@link ProbeStatus#RATE_LIMITED} (a UDP probe unanswered while the destination may have
 *     refused its Port Unreachable under its ICMP rate limit: neither received nor lost),
 *     {@link ProbeStatus#SEND_FAILED}, {@link ProbeStatus#PENDING} (in snapshots)
 * @param rtt the round-trip time of a reply (kernel timestamps where the transport has them); for a late
 *     probe (a {@code TIMEOUT} answered after its timeout: {@link #late()}), the late answer's time; for
 *     a duplicate reported to a listener, that answer's time; else empty
 * @param responder who answered, if anyone did
 * @param icmp the ICMP message that answered, if any (empty for TCP, DNS and HTTP answers)
 * @param replyTtl the TTL of the answer's IP header as it arrived, where the transport sees it
 * @param replyBytes the size of the answer, where the transport sees it: for an ICMP answer the
 *     ICMP message, header and data (an echo reply to a request of N data bytes is N + 8 bytes: what
 *     iputils ping prints as "64 bytes from"); for a TCP answer the segment length
 * @param mtu the MTU a router's Fragmentation Needed (Packet Too Big) reported for its next link, where the transport
 *     read it; for a send the system refused as too big, the path MTU it knows; else empty
 * @param failure why the system refused to send it, for {@link ProbeStatus#SEND_FAILED} ("sendmsg: EMSGSIZE
 *     (Message too long), beyond the path MTU 1400"); else empty
 */
public record PingProbe(long sequence, Duration sentAt, ProbeStatus status, Optional<Duration> rtt,
        Optional<InetAddress> responder, Optional<IcmpMessage> icmp, OptionalInt replyTtl, OptionalInt replyBytes,
        OptionalInt mtu, Optional<String> failure) {
    /**
     * Checks the components (see the record's description).
     *
     * @param sequence the probe's number in its target's send order, from 0; never wraps (on the wire it
     *     carries {@code sequence} modulo the transport's range, e.g. 65536 for ICMP echo)
     * @param sentAt when it was sent, from the start of the ping (the engine's clock)
     * @param status {@link ProbeStatus#REPLY} (the destination answered in time), {@link ProbeStatus#TIMEOUT}
     *     (no answer within the timeout, or only a late one: {@link #late()}),
     *     {@link ProbeStatus#UNREACHABLE} (an ICMP error answered), {@link ProbeStatus#RATE_LIMITED} (a UDP
     *     probe unanswered while the destination may have refused its Port Unreachable under its ICMP rate
     *     limit: neither received nor lost), {@link ProbeStatus#SEND_FAILED},
     *     {@link ProbeStatus#PENDING} (in snapshots)
     * @param rtt the round-trip time of a reply (kernel timestamps where the transport has them); for a late
     *     probe (a {@code TIMEOUT} answered after its timeout: {@link #late()}), the late answer's time; for
     *     a duplicate reported to a listener, that answer's time; else empty
     * @param responder who answered, if anyone did
     * @param icmp the ICMP message that answered, if any (empty for TCP, DNS and HTTP answers)
     * @param replyTtl the TTL of the answer's IP header as it arrived, where the transport sees it
     * @param replyBytes the size of the answer, where the transport sees it: for an ICMP answer the ICMP
     *     message, header and data (an echo reply to a request of N data bytes is N + 8 bytes: what iputils
     *     ping prints as "64 bytes from"); for a TCP answer the segment length
     * @param mtu the MTU a router's Fragmentation Needed (Packet Too Big) reported for its next link, where the
     *     transport read it; for a send the system refused as too big, the path MTU it knows; else empty
     * @param failure why the system refused to send it, for {@link ProbeStatus#SEND_FAILED}; else empty
     * @throws NullPointerException if a component other than {@code sequence} is null
     */
    public PingProbe {
        Checks.nonNull("sentAt", sentAt, "status", status, "rtt", rtt, "responder", responder, "icmp", icmp,
                "replyTtl", replyTtl, "replyBytes", replyBytes, "mtu", mtu, "failure", failure);
    }

    /**
     * A probe whose answer's size is not known ({@link #replyBytes()} empty).
     *
     * @param sequence the probe's number in its target's send order, from 0; never wraps (on the wire it
     *     carries {@code sequence} modulo the transport's range, e.g. 65536 for ICMP echo)
     * @param sentAt when it was sent, from the start of the ping (the engine's clock)
     * @param status {@link ProbeStatus#REPLY} (the destination answered in time), {@link ProbeStatus#TIMEOUT}
     *     (no answer within the timeout, or only a late one: {@link #late()}),
     *     {@link ProbeStatus#UNREACHABLE} (an ICMP error answered), {@link ProbeStatus#RATE_LIMITED} (a UDP
     *     probe unanswered while the destination may have refused its Port Unreachable under its ICMP rate
     *     limit: neither received nor lost), {@link ProbeStatus#SEND_FAILED},
     *     {@link ProbeStatus#PENDING} (in snapshots)
     * @param rtt the round-trip time of a reply (kernel timestamps where the transport has them); for a late
     *     probe (a {@code TIMEOUT} answered after its timeout: {@link #late()}), the late answer's time; for
     *     a duplicate reported to a listener, that answer's time; else empty
     * @param responder who answered, if anyone did
     * @param icmp the ICMP message that answered, if any (empty for TCP, DNS and HTTP answers)
     * @param replyTtl the TTL of the answer's IP header as it arrived, where the transport sees it
     */
    public PingProbe(long sequence, Duration sentAt, ProbeStatus status, Optional<Duration> rtt,
            Optional<InetAddress> responder, Optional<IcmpMessage> icmp, OptionalInt replyTtl) {
        this(sequence, sentAt, status, rtt, responder, icmp, replyTtl, OptionalInt.empty(), OptionalInt.empty(),
                Optional.empty());
    }

    /** {@return whether the destination answered it in time} */
    public boolean received() {
        return status == ProbeStatus.REPLY;
    }

    /**
     * {@return whether it was answered only after its timeout: lost ({@link ProbeStatus#TIMEOUT}, never
     * {@link #received()}), with the late answer's time in {@link #rtt()}} So are the probes of
     * {@link PingListener#late} and, once the late answer came, the probe among
     * {@link PingTargetResult#recent()} (its {@link PingListener#probeCompleted} said timeout unless
     * the late answer came before the engine had given the probe up).
     */
    public boolean late() {
        return status == ProbeStatus.TIMEOUT && rtt.isPresent();
    }

    @Override
    public String toString() {
        return "#" + sequence + " " + switch (status) {
            case REPLY -> rtt.map(r -> String.format(Locale.ROOT, "%.3f ms", r.toNanos() / 1e6)).orElse("reply");
            case TIMEOUT -> rtt.map(r -> String.format(Locale.ROOT, "late (%.3f ms)", r.toNanos() / 1e6))
                    .orElse("timeout");
            case UNREACHABLE -> icmp.map(IcmpMessage::description).orElse("unreachable")
                    + (mtu.isPresent() ? " (mtu = " + mtu.getAsInt() + ")" : "");
            case SEND_FAILED -> "send failed" + failure.map(f -> ": " + f).orElse("");
            case RATE_LIMITED -> "rate-limited";
            default -> status.name().toLowerCase(Locale.ROOT);
        };
    }
}
