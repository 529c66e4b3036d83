package io.pathprobe.mtu;

import io.pathprobe.PathTracer;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.MaskStatement;
import io.pathprobe.trace.TraceStatus;
import io.pathprobe.util.Checks;
import io.pathprobe.util.Text;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
/**
 * The path MTU at each hop ({@link PathTracer#measure PathTracer.measure(MtuRequest)}): the first link's MTU, every TTL
 * with the size that got through it, where a router reported a smaller MTU (Fragmentation Needed / Packet
 * Too Big: {@link #drops()}) and where large probes vanished without one ({@link #blackHole()}). Prints
 * as tracepath does.
 *
 * @param target the host name or literal address as given
 * @param destination the address probed, once resolved
 * @param transport the name of the transport used ("" before one was chosen)
 * @param status how it ended ({@link TraceStatus#DESTINATION_REACHED}, {@link TraceStatus#MAX_HOPS_EXCEEDED},
 *     {@link TraceStatus#UNREACHABLE}, ...), {@link TraceStatus#RUNNING} in a snapshot
 * @param firstLinkMtu the MTU of this host's link toward the destination, when a probe larger than it was
 *     refused at once (tracepath's {@code [LOCALHOST] pmtu}); empty when the first probe fit
 * @param hops the TTLs probed, in order
 * @param pathMtu the path MTU found: the size of the last probe that got through (to the destination once
 *     {@link #destinationReached()}); empty when nothing answered
 * @param blackHole the MTU black hole found, if any
 * @param probesSent the probes sent (refused ones not counted)
 * @param startedAt when the discovery started
 * @param elapsed how long it ran
 * @param masking what of it is hidden ({@link io.pathprobe.evidence.Masking#apply(MtuResult)}: its hidden hops
 *     {@link MtuHop#masked()}), as the statement masked outputs carry; {@link MaskStatement#NONE} as measured
 */
public record MtuResult(String target, Optional<InetAddress> destination, String transport, TraceStatus status,
        OptionalInt firstLinkMtu, List<MtuHop> hops, OptionalInt pathMtu, Optional<MtuBlackHole> blackHole,
        int probesSent, Instant startedAt, Duration elapsed, MaskStatement masking) {
    /**
     * Checks the components and copies {@code hops}.
     *
     * @param target the host name or literal address as given
     * @param destination the address probed, once resolved
     * @param transport the name of the transport used
     * @param status how it ended
     * @param firstLinkMtu the MTU of this host's link toward the destination, when learned
     * @param hops the TTLs probed, in order
     * @param pathMtu the path MTU found
     * @param blackHole the MTU black hole found, if any
     * @param probesSent the probes sent
     * @param startedAt when the discovery started
     * @param elapsed how long it ran
     * @param masking what of it is hidden, as a statement (its addresses are not kept)
     * @throws NullPointerException if a component is null
     */
    public MtuResult {
        Checks.nonNull("target", target, "destination", destination, "transport", transport, "status", status,
                "firstLinkMtu", firstLinkMtu, "pathMtu", pathMtu, "blackHole", blackHole, "startedAt", startedAt,
                "elapsed", elapsed);
        hops = List.copyOf(hops);
    }

    /** {@return whether the destination answered} */
    public boolean destinationReached() {
        return status == TraceStatus.DESTINATION_REACHED;
    }

    /** {@return the hops where a router reported a smaller MTU (Fragmentation Needed / Packet Too Big), in order} */
    public List<MtuHop> drops() {
        return hops.stream().filter(h -> h.tooBig().isPresent()).toList();
    }

    /**
     * tracepath's output: the first link, each hop (with the Packet Too Big lines), the black hole, then
     * {@code Resume: pmtu 1280 hops 5} (or {@code Too many hops: pmtu 1280}).
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append("pmtu to ").append(target);
        destination.filter(d -> !AddressText.of(d).equals(target))
                .ifPresent(d -> b.append(" (").append(AddressText.of(d))
                .append(')'));
        b.append(transport.isEmpty() ? "" : " via " + transport).append(", ").append(status)
                .append(String.format(Locale.ROOT, ", %d probes, %s%n", probesSent, Text.ms(elapsed))); // as the RTTs
        if (masking.active()) {
            b.append(masking).append(System.lineSeparator());
        }
        firstLinkMtu.ifPresent(m -> b.append(String.format(Locale.ROOT, "%2d?: %-29s pmtu %d%n",
                hops.isEmpty() ? 1 : hops.get(0).ttl(), "[LOCALHOST]", m)));
        for (MtuHop h : hops) {
            b.append(h).append(System.lineSeparator());
        }
        blackHole.ifPresent(h -> b.append("     ").append(h).append(System.lineSeparator()));
        String mtu = pathMtu.isPresent() ? "pmtu " + pathMtu.getAsInt() : "pmtu unknown";
        if (destinationReached()) {
            b.append("     Resume: ").append(mtu)
                    .append(hops.isEmpty() ? "" : " hops " + hops.get(hops.size() - 1).ttl());
        } else {
            b.append("     ").append(status == TraceStatus.MAX_HOPS_EXCEEDED ? "Too many hops" : status).append(": ")
                    .append(mtu);
        }
        return b.toString();
    }
}
