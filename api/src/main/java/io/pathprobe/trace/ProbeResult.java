package io.pathprobe.trace;

import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.HeaderChange;
import io.pathprobe.probe.IcmpMessage;
import io.pathprobe.probe.InterfaceInfo;
import io.pathprobe.probe.MplsLabel;
import io.pathprobe.probe.NodeId;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.probe.TrafficClass;
import io.pathprobe.util.Checks;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
/**
 * The outcome of one probe.
 *
 * @param ttl the probe's IP TTL (hop number)
 * @param attempt the probe's index within its hop, from 0
 * @param status what became of the probe
 * @param responder who answered (a router, or the destination); empty when nothing answered
 * @param rtt round-trip time, from kernel timestamps where the transport has them; empty when there was no answer
 * @param icmp the ICMP message that answered; empty when nothing answered, or for a TCP answer
 * @param fromDestination whether the traced destination itself answered: an echo reply, a port
 *     unreachable to a UDP probe, a SYN-ACK or RST to a TCP probe, or any other unreachable sent
 *     from the traced address. A port unreachable counts whatever address it came from (its quote
 *     names the traced address and the probe: a host or NAT answering from an address of its own;
 *     {@code responder} says which); echo replies and TCP answers quote nothing, and the built-in
 *     transports take them only from the traced address. A Time Exceeded never is, even from the
 *     traced address
 * @param failure why the probe could not be sent, for {@link ProbeStatus#SEND_FAILED}
 * @param replyTtl the TTL of the answer as it arrived, where the transport can see it (a hint of how
 *     far away the responder is, and of asymmetric paths)
 * @param mplsLabels the MPLS label stack the router quoted (RFC 4950), outermost first; usually empty
 * @param flow the flow the probe carried (0 for a Paris trace of one flow; 0 to n−1 over
 *     {@link TraceRequest#flows()} flows); empty for a classic trace, whose flow changes per probe
 * @param natId Dublin traceroute's "NAT ID" of the answer: the transport checksum the router quoted
 *     minus the one the probe was sent with, modulo 2^16 (0: the probe arrived as it was sent); empty
 *     when the transport cannot see both (see {@link Hop#nat()})
 * @param quotedTrafficClass the DSCP and ECN the router received the probe with, from its ICMP quote; empty
 *     when nothing quoted the probe or the transport cannot read quotes
 * @param headerChanges what the router received differently from what was sent ({@link HeaderChange#between}):
 *     DSCP, ECN, a TTL reset, addresses, ports, checksum, MSS or options; empty when nothing changed or the
 *     transport cannot read quotes ({@code TransportCapability.QUOTED_HEADER})
 * @param interfaces the RFC 5837 Interface Information objects the router appended to its ICMP error, in its
 *     order; usually empty
 * @param nodeId the Node Identification object the router appended (draft-ietf-intarea-extended-icmp-nodeid);
 *     usually empty
 */
public record ProbeResult(
        int ttl,
        int attempt,
        ProbeStatus status,
        Optional<InetAddress> responder,
        Optional<Duration> rtt,
        Optional<IcmpMessage> icmp,
        boolean fromDestination,
        Optional<String> failure,
        OptionalInt replyTtl,
        List<MplsLabel> mplsLabels,
        OptionalInt flow,
        OptionalInt natId,
        Optional<TrafficClass> quotedTrafficClass,
        List<HeaderChange> headerChanges,
        List<InterfaceInfo> interfaces,
        Optional<NodeId> nodeId) {

    /**
     * Checks the components (see the record's description) and copies {@code mplsLabels}.
     *
     * @param ttl the probe's IP TTL (hop number)
     * @param attempt the probe's index within its hop, from 0
     * @param status what became of the probe
     * @param responder who answered (a router, or the destination); empty when nothing answered
     * @param rtt round-trip time, from kernel timestamps where the transport has them; empty when there was
     *     no answer
     * @param icmp the ICMP message that answered; empty when nothing answered, or for a TCP answer
     * @param fromDestination whether the traced destination itself answered: an echo reply, a port
     *     unreachable to a UDP probe, a SYN-ACK or RST to a TCP probe, or any other unreachable sent from the
     *     traced address. A port unreachable counts whatever address it came from (its quote names the traced
     *     address and the probe: a host or NAT answering from an address of its own; {@code responder} says
     *     which); echo replies and TCP answers quote nothing, and the built-in transports take them only from
     *     the traced address. A Time Exceeded never is, even from the traced address
     * @param failure why the probe could not be sent, for {@link ProbeStatus#SEND_FAILED}
     * @param replyTtl the TTL of the answer as it arrived, where the transport can see it (a hint of how far
     *     away the responder is, and of asymmetric paths)
     * @param mplsLabels the MPLS label stack the router quoted (RFC 4950), outermost first; usually empty
     * @param flow the flow the probe carried (0 for a Paris trace of one flow; 0 to n−1 over
     *     {@link TraceRequest#flows()} flows); empty for a classic trace, whose flow changes per probe
     * @param natId Dublin traceroute's "NAT ID" of the answer: the transport checksum the router quoted minus
     *     the one the probe was sent with, modulo 2^16 (0: the probe arrived as it was sent); empty when the
     *     transport cannot see both (see {@link Hop#nat()})
     * @param quotedTrafficClass the DSCP and ECN the router received the probe with, if its quote was read
     * @param headerChanges what the router received differently from what was sent
     * @param interfaces the RFC 5837 Interface Information objects the router appended, in its order
     * @param nodeId the Node Identification object the router appended
     * @throws NullPointerException if a component other than {@code ttl}, {@code attempt} and
     *     {@code fromDestination} is null, or {@code mplsLabels} or {@code headerChanges} holds null
     */
    public ProbeResult {
        // Checks.nonNull only when one is null: its arguments are an array, made for every probe of every result
        if (status == null || responder == null || rtt == null || icmp == null || failure == null || replyTtl == null
                || flow == null || natId == null || quotedTrafficClass == null || nodeId == null) {
            Checks.nonNull("status", status, "responder", responder, "rtt", rtt, "icmp", icmp, "failure", failure,
                    "replyTtl", replyTtl, "flow", flow, "natId", natId, "quotedTrafficClass", quotedTrafficClass,
                    "nodeId", nodeId);
        }
        mplsLabels = List.copyOf(mplsLabels);
        headerChanges = List.copyOf(headerChanges);
        interfaces = List.copyOf(interfaces);
    }

    /**
     * A probe result without flow and NAT evidence (classic flow, no NAT ID).
     *
     * @param ttl the probe's IP TTL (hop number)
     * @param attempt the probe's index within its hop, from 0
     * @param status what became of the probe
     * @param responder who answered (a router, or the destination); empty when nothing answered
     * @param rtt round-trip time, from kernel timestamps where the transport has them; empty when there was
     *     no answer
     * @param icmp the ICMP message that answered; empty when nothing answered, or for a TCP answer
     * @param fromDestination whether the traced destination itself answered: an echo reply, a port
     *     unreachable to a UDP probe, a SYN-ACK or RST to a TCP probe, or any other unreachable sent from the
     *     traced address. A port unreachable counts whatever address it came from (its quote names the traced
     *     address and the probe: a host or NAT answering from an address of its own; {@code responder} says
     *     which); echo replies and TCP answers quote nothing, and the built-in transports take them only from
     *     the traced address. A Time Exceeded never is, even from the traced address
     * @param failure why the probe could not be sent, for {@link ProbeStatus#SEND_FAILED}
     * @param replyTtl the TTL of the answer as it arrived, where the transport can see it (a hint of how far
     *     away the responder is, and of asymmetric paths)
     * @param mplsLabels the MPLS label stack the router quoted (RFC 4950), outermost first; usually empty
     */
    public ProbeResult(int ttl, int attempt, ProbeStatus status, Optional<InetAddress> responder,
            Optional<Duration> rtt, Optional<IcmpMessage> icmp, boolean fromDestination, Optional<String> failure,
            OptionalInt replyTtl, List<MplsLabel> mplsLabels) {
        this(ttl, attempt, status, responder, rtt, icmp, fromDestination, failure, replyTtl, mplsLabels,
                OptionalInt.empty(), OptionalInt.empty(), Optional.empty(), List.of(), List.of(), Optional.empty());
    }

    /**
     * {@return this probe as a masked hop has it: without its responder, without the address changes it quoted
     * (they would show this host's or a router's address) and without the router's interface and node objects
     * (they name it); its RTT, ICMP message and the rest kept}
     */
    public ProbeResult withoutAddresses() {
        return new ProbeResult(ttl, attempt, status, Optional.empty(), rtt, icmp, fromDestination, failure, replyTtl,
                mplsLabels, flow, natId, quotedTrafficClass, headerChanges.stream()
                        .filter(c -> c.field() != io.pathprobe.probe.HeaderField.SOURCE_ADDRESS
                                && c.field() != io.pathprobe.probe.HeaderField.DESTINATION_ADDRESS).toList(),
                List.of(), Optional.empty());
    }

    /**
     * {@return the router's interface and node objects as traceroute 2.1.4's {@code -e} prints a probe's extensions,
     * joined by {@code ;} in angle brackets: {@code <INC:31,"eth1",mtu=1500;NODE:2001:db8::1,"r1">}; empty when the
     * router sent none}
     */
    public String identityText() {
        if (interfaces.isEmpty() && nodeId.isEmpty()) {
            return "";
        }
        List<String> parts = new java.util.ArrayList<>(interfaces.size() + 1);
        interfaces.forEach(i -> parts.add(i.toString()));
        nodeId.ifPresent(n -> parts.add(n.toString()));
        return "<" + String.join(";", parts) + ">";
    }

    /** {@return whether an answer came back for this probe (a reply or an unreachable)} */
    public boolean answered() {
        return status == ProbeStatus.REPLY || status == ProbeStatus.UNREACHABLE;
    }

    /**
     * As traceroute prints a probe: {@code "198.18.0.10  0.024 ms"}, {@code "*"} for a timeout,
     * {@code "198.18.0.2  0.031 ms !H"} for an unreachable, {@code "?"} for a probe still pending,
     * {@code "-"} for an abandoned one and {@code "!send: <why>"} for a send failure.
     */
    @Override
    public String toString() {
        return answered()
                ? responder.map(AddressText::of).orElse("?") + "  " + outcomeText()
                : outcomeText();
    }

    /**
     * {@return what traceroute prints for the probe after the responder's address: the RTT and flag, or a glyph}
     */
    public String outcomeText() {
        return switch (status) {
            case TIMEOUT, RATE_LIMITED -> "*";
            case PENDING -> "?";
            case ABANDONED -> "-";
            case SEND_FAILED -> "!send: " + failure.orElse("failed");
            case REPLY, UNREACHABLE -> rtt.map(r -> String.format(Locale.ROOT, "%.3f ms", r.toNanos() / 1e6)).orElse("")
                    + icmp.map(IcmpMessage::tracerouteFlag).filter(f -> !f.isEmpty()).map(f -> " " + f).orElse("");
        };
    }
}
