package io.pathprobe.trace;

import io.pathprobe.PathTracer;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.enrich.PublicAddress;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.ping.PingResult;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.MaskStatement;
import io.pathprobe.probe.ProbeCost;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.util.Checks;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
/**
 * The result of one trace.
 *
 * @param target the target as the caller named it
 * @param destination the address that was traced; empty only when the trace ended (cancelled, out of
 *     time) before its target resolved
 * @param protocol the probe protocol that was used
 * @param transport the name of the transport that sent the probes; empty ("") if none was chosen yet
 * @param status how the trace ended
 * @param hops one entry per TTL from the first TTL up to the destination (or the last TTL probed), ordered by TTL
 * @param startedAt wall-clock time the trace started
 * @param duration how long the trace took, from its first probe to its end (name resolution and
 *     opening the transport excluded)
 * @param unmatchedReplies answers the transport delivered for this trace that matched no
 *     outstanding probe (a duplicate, an answer after its probe was given up, a sequence that was
 *     never sent); dropped, never attributed to a hop. What the transport itself drops (malformed,
 *     unrelated) is in its counters ({@link PathTracer#transports()})
 * @param protocolNote why this protocol was used when the request let the tracer choose and its
 *     first choice could not be used, e.g. "ICMP not usable: linux-icmp-dgram: net.ipv4.ping_group_range
 *     is '1 0'…"; empty when the first choice (or the only one) was used; also says when Paris flow
 *     control was asked for by default but the transport could not hold the flow, and why a TCP trace asked to
 *     run inside a connection ({@link TcpMode#IN_CONNECTION}) used SYN probes
 * @param flowMode how the probes chose their flow ({@link FlowMode#CLASSIC} when the transport
 *     could not do Paris)
 * @param flows how many flows the probes were spread over (1 unless {@link TraceRequest#flows()})
 * @param context what enrichment learned about the ends of the path: this host's public address (by
 *     STUN), its AS, the destination's AS ({@link PathContext#OFF} without enrichment)
 * @param request the request that was traced, as {@link MultipathResult#request()} and
 *     {@link PingResult#request()} carry theirs
 * @param tcpMode how the TCP probes travelled ({@link TcpMode#IN_CONNECTION}, or {@link TcpMode#SYN}: asked for,
 *     or the fallback when the connection could not be used, {@link #protocolNote()} saying why); empty for
 *     ICMP and UDP traces
 * @param tcpConfirmations TCP probes a UDP trace sent to ask its destination what its UDP probes could not tell; 0
 *     for every other trace
 * @param masking what of the trace is hidden ({@link io.pathprobe.evidence.Masking#apply(TraceResult)}: privacy
 *     masking; its hidden hops are {@link Hop#masked()}, this host's addresses {@link PublicAddress#masked()}), as the
 *     statement every masked output carries; {@link MaskStatement#NONE} for a trace as measured
 */
public record TraceResult(
        String target,
        Optional<InetAddress> destination,
        ProbeProtocol protocol,
        String transport,
        TraceStatus status,
        List<Hop> hops,
        Instant startedAt,
        Duration duration,
        int unmatchedReplies,
        Optional<String> protocolNote,
        FlowMode flowMode,
        int flows,
        PathContext context,
        TraceRequest request,
        Optional<TcpMode> tcpMode,
        int tcpConfirmations,
        MaskStatement masking) {

    /**
     * Checks the components (see the record's description) and copies {@code hops}.
     *
     * @param target the target as the caller named it
     * @param destination the address that was traced; empty only when the trace ended (cancelled, out of
     *     time) before its target resolved
     * @param protocol the probe protocol that was used
     * @param transport the name of the transport that sent the probes; empty ("") if none was chosen yet
     * @param status how the trace ended
     * @param hops one entry per TTL from the first TTL up to the destination (or the last TTL probed),
     *     ordered by TTL
     * @param startedAt wall-clock time the trace started
     * @param duration how long the trace took, from its first probe to its end (name resolution and opening
     *     the transport excluded)
     * @param unmatchedReplies answers the transport delivered for this trace that matched no outstanding
     *     probe (a duplicate, an answer after its probe was given up, a sequence that was never sent);
     *     dropped, never attributed to a hop. What the transport itself drops (malformed, unrelated) is in
     *     its counters ({@link PathTracer#transports()})
     * @param protocolNote why this protocol was used when the request let the tracer choose and its first
     *     choice could not be used, e.g. "ICMP not usable: linux-icmp-dgram: net.ipv4.ping_group_range is '1
     *     0'…"; empty when the first choice (or the only one) was used; also says when Paris flow control was
     *     asked for by default but the transport could not hold the flow, and why a TCP trace asked to run
     *     inside a connection ({@link TcpMode#IN_CONNECTION}) used SYN probes
     * @param flowMode how the probes chose their flow ({@link FlowMode#CLASSIC} when the transport could not
     *     do Paris)
     * @param flows how many flows the probes were spread over (1 unless {@link TraceRequest#flows()})
     * @param context what enrichment learned about the ends of the path: this host's public address (by
     *     STUN), its AS, the destination's AS ({@link PathContext#OFF} without enrichment)
     * @param request the request that was traced, as {@link MultipathResult#request()} and
     *     {@link PingResult#request()} carry theirs
     * @param tcpMode how the TCP probes travelled ({@link TcpMode#IN_CONNECTION}, or {@link TcpMode#SYN}: asked
     *     for, or the fallback when the connection could not be used, {@link #protocolNote()} saying why); empty
     *     for ICMP and UDP traces
     * @param tcpConfirmations TCP probes a UDP trace sent to ask its destination what its UDP probes could not tell
     *     (only with {@link TraceRequest#tcpConfirmation()}; {@link #protocolNote()} says why and what they showed);
     *     part of no hop. 0 for every other trace
     * @param masking what of the trace is hidden, as the statement masked outputs carry (the masking's addresses are
     *     not kept: they would show what is hidden); {@link MaskStatement#NONE} for a trace as measured
     * @throws NullPointerException if a component other than {@code unmatchedReplies}, {@code flows} and
     *     {@code tcpConfirmations} is null, or {@code hops} holds null
     * @throws IllegalArgumentException if {@code flows} is below 1, {@code tcpMode} is present for a protocol
     *     other than TCP, or {@code tcpConfirmations} is negative
     */
    public TraceResult {
        Checks.nonNull("target", target, "destination", destination, "protocol", protocol, "transport", transport,
                "status", status, "startedAt", startedAt, "duration", duration, "protocolNote", protocolNote,
                "flowMode", flowMode);
        hops = List.copyOf(hops);
        if (flows < 1) {
            throw new IllegalArgumentException("flows must be at least 1, was " + flows);
        }
        Checks.nonNull("context", context, "request", request, "tcpMode", tcpMode);
        if (tcpMode.isPresent() && protocol != ProbeProtocol.TCP) {
            throw new IllegalArgumentException("tcpMode " + tcpMode.get() + " for " + protocol + " probes");
        }
        if (tcpConfirmations < 0) {
            throw new IllegalArgumentException("tcpConfirmations " + tcpConfirmations + " must not be negative");
        }
    }

    /**
     * A trace as measured (not masked).
     *
     * @param target the host name or address as given
     * @param destination the resolved destination address (empty if resolution failed)
     * @param protocol the probe protocol used
     * @param transport the transport that sent the probes
     * @param status how the trace ended
     * @param hops the hops, by TTL
     * @param startedAt when the trace began
     * @param duration how long the trace took
     * @param unmatchedReplies replies that matched no outstanding probe
     * @param protocolNote why this protocol was used, when the first choice could not be
     * @param flowMode how the probes chose their flow
     * @param flows how many flows the probes were spread over
     * @param context what enrichment learned about the ends of the path
     * @param request the request that was traced
     * @param tcpMode how the TCP probes travelled; empty for ICMP and UDP traces
     * @param tcpConfirmations TCP probes a UDP trace sent to ask its destination; 0 for every other trace
     */
    public TraceResult(String target, Optional<InetAddress> destination, ProbeProtocol protocol, String transport,
            TraceStatus status, List<Hop> hops, Instant startedAt, Duration duration, int unmatchedReplies,
            Optional<String> protocolNote, FlowMode flowMode, int flows, PathContext context, TraceRequest request,
            Optional<TcpMode> tcpMode, int tcpConfirmations) {
        this(target, destination, protocol, transport, status, hops, startedAt, duration, unmatchedReplies,
                protocolNote, flowMode, flows, context, request, tcpMode, tcpConfirmations, MaskStatement.NONE);
    }

    /**
     * A result that sent no probe of another protocol ({@link #tcpConfirmations()} 0): the record's form before
     * {@code tcpConfirmations} was added.
     *
     * @param target the target as the caller named it
     * @param destination the address that was traced
     * @param protocol the probe protocol that was used
     * @param transport the name of the transport that sent the probes
     * @param status how the trace ended
     * @param hops one entry per TTL, ordered by TTL
     * @param startedAt wall-clock time the trace started
     * @param duration how long the trace took
     * @param unmatchedReplies answers that matched no outstanding probe
     * @param protocolNote why this protocol (or flow mode, or TCP mode) was used, when it was not the first choice
     * @param flowMode how the probes chose their flow
     * @param flows how many flows the probes were spread over
     * @param context what enrichment learned about the ends of the path
     * @param request the request that was traced
     * @param tcpMode how the TCP probes travelled; empty for ICMP and UDP traces
     */
    public TraceResult(String target, Optional<InetAddress> destination, ProbeProtocol protocol, String transport,
            TraceStatus status, List<Hop> hops, Instant startedAt, Duration duration, int unmatchedReplies,
            Optional<String> protocolNote, FlowMode flowMode, int flows, PathContext context, TraceRequest request,
            Optional<TcpMode> tcpMode) {
        this(target, destination, protocol, transport, status, hops, startedAt, duration, unmatchedReplies,
                protocolNote, flowMode, flows, context, request, tcpMode, 0);
    }

    /**
     * A result whose TCP probes, if any, were SYNs ({@link #tcpMode()}: {@link TcpMode#SYN} for TCP, empty
     * otherwise): the record's form before {@code tcpMode} was added.
     *
     * @param target the target as the caller named it
     * @param destination the address that was traced; empty only when the trace ended (cancelled, out of
     *     time) before its target resolved
     * @param protocol the probe protocol that was used
     * @param transport the name of the transport that sent the probes; empty ("") if none was chosen yet
     * @param status how the trace ended
     * @param hops one entry per TTL from the first TTL up to the destination (or the last TTL probed),
     *     ordered by TTL
     * @param startedAt wall-clock time the trace started
     * @param duration how long the trace took, from its first probe to its end (name resolution and opening
     *     the transport excluded)
     * @param unmatchedReplies answers the transport delivered for this trace that matched no outstanding
     *     probe; dropped, never attributed to a hop
     * @param protocolNote why this protocol (or flow mode, or TCP mode) was used, when it was not the first
     *     choice; empty otherwise
     * @param flowMode how the probes chose their flow
     * @param flows how many flows the probes were spread over
     * @param context what enrichment learned about the ends of the path ({@link PathContext#OFF} without
     *     enrichment)
     * @param request the request that was traced
     */
    public TraceResult(String target, Optional<InetAddress> destination, ProbeProtocol protocol, String transport,
            TraceStatus status, List<Hop> hops, Instant startedAt, Duration duration, int unmatchedReplies,
            Optional<String> protocolNote, FlowMode flowMode, int flows, PathContext context, TraceRequest request) {
        this(target, destination, protocol, transport, status, hops, startedAt, duration, unmatchedReplies,
                protocolNote, flowMode, flows, context, request,
                protocol == ProbeProtocol.TCP ? Optional.of(TcpMode.SYN) : Optional.empty());
    }

    /**
     * A result whose request is {@code TraceRequest.of(target)} (the request not at hand).
     *
     * @param target the target as the caller named it
     * @param destination the address that was traced; empty only when the trace ended (cancelled, out of
     *     time) before its target resolved
     * @param protocol the probe protocol that was used
     * @param transport the name of the transport that sent the probes; empty ("") if none was chosen yet
     * @param status how the trace ended
     * @param hops one entry per TTL from the first TTL up to the destination (or the last TTL probed),
     *     ordered by TTL
     * @param startedAt wall-clock time the trace started
     * @param duration how long the trace took, from its first probe to its end (name resolution and opening
     *     the transport excluded)
     * @param unmatchedReplies answers the transport delivered for this trace that matched no outstanding
     *     probe (a duplicate, an answer after its probe was given up, a sequence that was never sent);
     *     dropped, never attributed to a hop. What the transport itself drops (malformed, unrelated) is in
     *     its counters ({@link PathTracer#transports()})
     * @param protocolNote why this protocol was used when the request let the tracer choose and its first
     *     choice could not be used, e.g. "ICMP not usable: linux-icmp-dgram: net.ipv4.ping_group_range is '1
     *     0'…"; empty when the first choice (or the only one) was used; also says when Paris flow control was
     *     asked for by default but the transport could not hold the flow
     * @param flowMode how the probes chose their flow ({@link FlowMode#CLASSIC} when the transport could not
     *     do Paris)
     * @param flows how many flows the probes were spread over (1 unless {@link TraceRequest#flows()})
     * @param context what enrichment learned about the ends of the path: this host's public address (by
     *     STUN), its AS, the destination's AS ({@link PathContext#OFF} without enrichment)
     */
    public TraceResult(String target, Optional<InetAddress> destination, ProbeProtocol protocol, String transport,
            TraceStatus status, List<Hop> hops, Instant startedAt, Duration duration, int unmatchedReplies,
            Optional<String> protocolNote, FlowMode flowMode, int flows, PathContext context) {
        this(target, destination, protocol, transport, status, hops, startedAt, duration, unmatchedReplies,
                protocolNote, flowMode, flows, context, TraceRequest.of(target));
    }

    /**
     * A result without enrichment ({@link PathContext#OFF}).
     *
     * @param target the target as the caller named it
     * @param destination the address that was traced; empty only when the trace ended (cancelled, out of
     *     time) before its target resolved
     * @param protocol the probe protocol that was used
     * @param transport the name of the transport that sent the probes; empty ("") if none was chosen yet
     * @param status how the trace ended
     * @param hops one entry per TTL from the first TTL up to the destination (or the last TTL probed),
     *     ordered by TTL
     * @param startedAt wall-clock time the trace started
     * @param duration how long the trace took, from its first probe to its end (name resolution and opening
     *     the transport excluded)
     * @param unmatchedReplies answers the transport delivered for this trace that matched no outstanding
     *     probe (a duplicate, an answer after its probe was given up, a sequence that was never sent);
     *     dropped, never attributed to a hop. What the transport itself drops (malformed, unrelated) is in
     *     its counters ({@link PathTracer#transports()})
     * @param protocolNote why this protocol was used when the request let the tracer choose and its first
     *     choice could not be used, e.g. "ICMP not usable: linux-icmp-dgram: net.ipv4.ping_group_range is '1
     *     0'…"; empty when the first choice (or the only one) was used; also says when Paris flow control was
     *     asked for by default but the transport could not hold the flow
     * @param flowMode how the probes chose their flow ({@link FlowMode#CLASSIC} when the transport could not
     *     do Paris)
     * @param flows how many flows the probes were spread over (1 unless {@link TraceRequest#flows()})
     */
    public TraceResult(String target, Optional<InetAddress> destination, ProbeProtocol protocol, String transport,
            TraceStatus status, List<Hop> hops, Instant startedAt, Duration duration, int unmatchedReplies,
            Optional<String> protocolNote, FlowMode flowMode, int flows) {
        this(target, destination, protocol, transport, status, hops, startedAt, duration, unmatchedReplies,
                protocolNote, flowMode, flows, PathContext.OFF);
    }

    /**
     * {@return this result with other (enriched) hops and context}
     *
     * @param hops the hops, in place of this result's
     * @param context what enrichment learned about the ends of the path, in place of this result's
     */
    public TraceResult withEnrichment(List<Hop> hops, PathContext context) {
        return new TraceResult(target, destination, protocol, transport, status, hops, startedAt, duration,
                unmatchedReplies, protocolNote, flowMode, flows, context, request, tcpMode, tcpConfirmations, masking);
    }

    /** {@return this host's public address as the STUN server saw it, if it was found} */
    public Optional<PublicAddress> publicAddress() {
        return context.publicAddress().value();
    }

    /**
     * A result of one Paris flow.
     *
     * @param target the target as the caller named it
     * @param destination the address that was traced; empty only when the trace ended (cancelled, out of
     *     time) before its target resolved
     * @param protocol the probe protocol that was used
     * @param transport the name of the transport that sent the probes; empty ("") if none was chosen yet
     * @param status how the trace ended
     * @param hops one entry per TTL from the first TTL up to the destination (or the last TTL probed),
     *     ordered by TTL
     * @param startedAt wall-clock time the trace started
     * @param duration how long the trace took, from its first probe to its end (name resolution and opening
     *     the transport excluded)
     * @param unmatchedReplies answers the transport delivered for this trace that matched no outstanding
     *     probe (a duplicate, an answer after its probe was given up, a sequence that was never sent);
     *     dropped, never attributed to a hop. What the transport itself drops (malformed, unrelated) is in
     *     its counters ({@link PathTracer#transports()})
     * @param protocolNote why this protocol was used when the request let the tracer choose and its first
     *     choice could not be used, e.g. "ICMP not usable: linux-icmp-dgram: net.ipv4.ping_group_range is '1
     *     0'…"; empty when the first choice (or the only one) was used; also says when Paris flow control was
     *     asked for by default but the transport could not hold the flow
     */
    public TraceResult(String target, Optional<InetAddress> destination, ProbeProtocol protocol, String transport,
            TraceStatus status, List<Hop> hops, Instant startedAt, Duration duration, int unmatchedReplies,
            Optional<String> protocolNote) {
        this(target, destination, protocol, transport, status, hops, startedAt, duration, unmatchedReplies,
                protocolNote, FlowMode.PARIS, 1);
    }

    /** {@return the hops at which the probes showed a NAT translation ({@link Hop#nat()}), in TTL order} */
    public List<Hop> natHops() {
        return hops.stream().filter(Hop::nat).toList();
    }

    /**
     * {@return each change the routers saw in the probes' headers, at the first hop that showed it, in TTL order}
     * Empty on a clean path, and when the transport cannot read quotes ({@code TransportCapability.QUOTED_HEADER}).
     * Each field once: its change as the first probe that showed it saw it.
     */
    public List<FirstChange> headerChanges() {
        List<FirstChange> first = new java.util.ArrayList<>(0);
        java.util.Set<io.pathprobe.probe.HeaderField> seen =
                java.util.EnumSet.noneOf(io.pathprobe.probe.HeaderField.class);
        for (Hop h : hops) {
            for (io.pathprobe.probe.HeaderChange c : h.headerChanges()) {
                if (seen.add(c.field())) {
                    Optional<InetAddress> at = h.probes().stream()
                            .filter(p -> p.headerChanges().stream().anyMatch(x -> x.field() == c.field()))
                            .map(ProbeResult::responder).flatMap(Optional::stream).findFirst();
                    first.add(new FirstChange(c, h.ttl(), at));
                }
            }
        }
        return first;
    }

    /** {@return whether the destination answered at some TTL (then {@link #destinationHop()} is that hop)} */
    public boolean destinationReached() {
        return destinationHop().isPresent();
    }

    /**
     * {@return the hop at which the destination answered, if it did: its loss is the end-to-end loss} A UDP
     * trace whose probes at the destination's TTL all went unanswered while one sent beyond reached it places
     * the destination by the TTL that answer quoted (the probe's TTL on arrival): that TTL is the last hop,
     * silent, and is the destination's hop, its probes lost ({@link #protocolNote()} says so).
     */
    public Optional<Hop> destinationHop() {
        for (Hop h : hops) {
            if (h.isDestination()) {
                return Optional.of(h);
            }
        }
        return status == TraceStatus.DESTINATION_REACHED && !hops.isEmpty()
                ? Optional.of(hops.get(hops.size() - 1)) : Optional.empty();
    }

    /**
     * {@return the address the destination answered from, if it answered: the first answer by which the
     * trace recognised the destination (by its type: echo reply, port unreachable to a UDP probe,
     * SYN-ACK or RST), which is the traced {@link #destination()} unless the destination answered a
     * UDP probe from an address of its own (a port unreachable counts from any address, its quote
     * naming the traced address; see {@link ProbeResult#fromDestination()})} The destination hop's
     * {@link Hop#responders()} lists every address that answered there.
     */
    public Optional<InetAddress> destinationAnsweredFrom() {
        return hops.stream().flatMap(h -> h.probes().stream()).filter(p -> p.answered() && p.fromDestination())
                .map(ProbeResult::responder).flatMap(Optional::stream).findFirst();
    }

    /**
     * {@return the hop at the given TTL, if it was probed}
     *
     * @param ttl the TTL
     */
    public Optional<Hop> hop(int ttl) {
        return hops.stream().filter(h -> h.ttl() == ttl).findFirst();
    }

    /**
     * {@return why probes could not be sent, for a trace that ended {@link TraceStatus#NO_ROUTE} or
     * {@link TraceStatus#SEND_FAILED}: the last send failure (e.g. "sendmsg: EADDRNOTAVAIL (Cannot
     * assign requested address)"); empty for any other status}
     */
    public Optional<String> sendFailure() {
        if (status != TraceStatus.NO_ROUTE && status != TraceStatus.SEND_FAILED) {
            return Optional.empty();
        }
        return hops.stream().flatMap(h -> h.probes().stream())
                .filter(p -> p.status() == ProbeStatus.SEND_FAILED && p.failure().isPresent())
                .map(p -> p.failure().get()).reduce((first, second) -> second);
    }

    /**
     * {@return what the trace cost each router ({@link ProbeCost}): its hops' probes ({@link Hop#cost()}), TTL by
     * TTL} Probes its hops do not list are not in it: those sent beyond the destination's TTL before it answered
     * (they asked the destination, not a router) and those of the {@link #tcpConfirmations()} TCP probes its
     * hops do not hold (all but one the destination answered).
     */
    public ProbeCost cost() {
        return ProbeCost.sum(hops, Hop::cost);
    }

    /** As traceroute prints it: a header line, then one line per hop. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append("trace to ").append(target);
        destination.map(AddressText::of).filter(a -> !a.equals(target))
                .ifPresent(a -> b.append(" (").append(a).append(')'));
        b.append(", ").append(protocol).append(tcpMode.filter(m -> m == TcpMode.IN_CONNECTION).isPresent()
                ? " in a connection" : "").append(" via ").append(transport).append(": ").append(status)
                .append(String.format(Locale.ROOT, " in %.1f ms", duration.toNanos() / 1e6));
        protocolNote.ifPresent(n -> b.append(" (").append(n).append(')'));
        publicAddress().ifPresent(p -> b.append(", public address ").append(p.addressText())
                .append(p.behindNat() ? " (behind NAT)" : ""));
        int shown = hops.size();
        while (shown > 0 && waiting(hops.get(shown - 1))) {
            shown--; // a stopped trace's TTLs still waiting when it stopped: one line, not one a TTL
        }
        if (masking.active()) {
            b.append('\n').append(masking);
        }
        for (Hop h : hops.subList(0, shown)) {
            b.append('\n').append(h);
        }
        if (shown < hops.size()) {
            b.append('\n').append(stillWaiting(hops.subList(shown, hops.size())));
        }
        for (FirstChange c : headerChanges()) {
            if (c.change().field() != io.pathprobe.probe.HeaderField.TRANSPORT_CHECKSUM
                    || natHops().stream().noneMatch(h -> h.ttl() == c.ttl())) {
                b.append("\nchanged on the way: ").append(c);
            }
        }
        return b.toString();
    }

    /** Whether every probe of a hop was still waiting when the trace stopped (abandoned): nothing was decided there. */
    static boolean waiting(Hop h) {
        return !h.probes().isEmpty() && h.probes().stream().allMatch(p -> p.status() == ProbeStatus.ABANDONED);
    }

    /** {@code "(TTLs 4-30 still waiting when the trace stopped)"}. */
    static String stillWaiting(List<Hop> waiting) {
        int first = waiting.get(0).ttl();
        int last = waiting.get(waiting.size() - 1).ttl();
        return "(" + (first == last ? "TTL " + first : "TTLs " + first + "-" + last)
                + " still waiting when the trace stopped)";
    }
}
