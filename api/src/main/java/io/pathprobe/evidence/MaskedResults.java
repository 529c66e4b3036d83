package io.pathprobe.evidence;

import io.pathprobe.compare.CompareResult;
import io.pathprobe.compare.CompareRow;
import io.pathprobe.compare.Divergence;
import io.pathprobe.compare.ProtocolEnd;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.enrich.PublicAddress;
import io.pathprobe.enrich.Responder;
import io.pathprobe.monitor.MonitorEvent;
import io.pathprobe.monitor.MonitorHop;
import io.pathprobe.monitor.MonitorPath;
import io.pathprobe.monitor.MonitorResponder;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.monitor.MonitorRound;
import io.pathprobe.mtu.MtuHop;
import io.pathprobe.mtu.MtuResult;
import io.pathprobe.multipath.Diamond;
import io.pathprobe.multipath.MultipathLink;
import io.pathprobe.multipath.MultipathNode;
import io.pathprobe.multipath.MultipathPath;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.multipath.PathHop;
import io.pathprobe.ping.PingError;
import io.pathprobe.ping.PingProbe;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.probe.HeaderChange;
import io.pathprobe.probe.HeaderField;
import io.pathprobe.probe.InterfaceInfo;
import io.pathprobe.probe.NodeId;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.FirstChange;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceResult;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a {@link Masking} hides in a given result: each {@code learn} method returns the masking with, as its
 * {@link Masking#addresses()}, every address that answered at a hidden TTL and, when the source is hidden, this
 * host's own addresses the result carries (the local and public address of the enrichment context, the source
 * address a NAT rewrote). The destination the result traced is never added: the user named it. Each {@code apply}
 * method is the transform {@link Masking#apply(TraceResult)} and its overloads name: it learns, then returns the
 * result with what is hidden replaced by the masked state.
 */
final class MaskedResults {
    private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+(%[^\\s]+)?");

    private MaskedResults() {}

    /**
     * {@return {@code m}, hiding also what {@code r} shows at its hidden TTLs and of this host}
     *
     * @param m the masking asked for
     * @param r a trace
     */
    static Masking learn(Masking m, TraceResult r) {
        return learned(m, r.destination(), hidden -> {
            for (Hop h : r.hops()) {
                hop(m, h.ttl(), Stream.concat(h.responders().stream().map(Responder::address),
                        h.probes().stream().map(ProbeResult::responder).flatMap(Optional::stream)),
                        h.headerChanges(), hidden);
            }
            for (FirstChange c : r.headerChanges()) {
                hop(m, c.ttl(), c.responder().stream(), List.of(), hidden);
            }
            context(m, r.context(), hidden);
        });
    }

    /**
     * {@return {@code m}, hiding also the addresses {@code collect} adds to the list it is given, but the destination
     * (the user named it); {@code m} itself, and nothing collected, when it hides nothing}
     *
     * @param m the masking asked for
     * @param destination the destination the result traced, if known
     * @param collect adds what a result shows at hidden TTLs and of this host
     */
    private static Masking learned(Masking m, Optional<InetAddress> destination,
            Consumer<List<InetAddress>> collect) {
        if (!m.active()) {
            return m;
        }
        List<InetAddress> hidden = new ArrayList<>();
        collect.accept(hidden);
        destination.ifPresent(d -> hidden.removeIf(d::equals));
        return m.hiding(hidden);
    }

    /**
     * {@return the trace with what {@code asked} hides replaced by the masked state: each hop at a hidden TTL, and
     * each hop a hidden address answered at, {@link Hop#asMasked() masked}; this host's public and local address
     * {@link PublicAddress#asMasked() masked} when the source is hidden; every hidden address written in a note,
     * a failure or a header change written {@code masked}; the statement as {@link TraceResult#masking()}} With
     * nothing hidden, {@code r} itself.
     *
     * @param asked the masking asked for
     * @param r a trace
     */
    static TraceResult apply(Masking asked, TraceResult r) {
        if (!asked.active()) {
            return r;
        }
        Masking m = learn(asked, r);
        List<Hop> hops = r.hops().stream().map(h -> apply(m, h)).toList();
        return new TraceResult(r.target(), r.destination(), r.protocol(), r.transport(), r.status(), hops,
                r.startedAt(), r.duration(), r.unmatchedReplies(), r.protocolNote().map(m::redact), r.flowMode(),
                r.flows(), apply(m, r.context()), r.request(), r.tcpMode(), r.tcpConfirmations(), m.statement());
    }

    /**
     * {@return the hop {@link Hop#asMasked() masked} when its TTL is hidden or a hidden address answered there (one
     * masked state: its other responders are hidden with it, never shown beside a hidden one), else the hop; either
     * way with the hidden addresses written in its probes' failures and header changes written {@code masked}}
     *
     * @param m the masking, with the addresses learnt from the result ({@link #learn})
     * @param h a trace hop
     */
    static Hop apply(Masking m, Hop h) {
        boolean hidden = m.hides(h.ttl()) || h.responders().stream().anyMatch(x -> m.hides(x.address()))
                || h.probes().stream().anyMatch(p -> p.responder().filter(m::hides).isPresent());
        Hop redacted = m.addresses().isEmpty() ? h : new Hop(h.ttl(), h.probes().stream().map(p -> redact(p, m))
                .toList(), h.responders(), h.statistics(), h.nat(), h.segment(), h.masked());
        return hidden && !h.masked() ? redacted.asMasked() : redacted;
    }

    /**
     * {@return the path MTU discovery with each hop at a hidden TTL, or where a hidden address answered,
     * {@link MtuHop#asMasked() masked}, the black hole's hop masked when hidden, and the statement}
     *
     * @param asked the masking asked for
     * @param r a path MTU discovery
     */
    static MtuResult apply(Masking asked, MtuResult r) {
        if (!asked.active()) {
            return r;
        }
        Masking m = learn(asked, r);
        List<MtuHop> hops = r.hops().stream().map(h -> m.hides(h.ttl()) || h.address().filter(m::hides).isPresent()
                || h.tooBigFrom().filter(m::hides).isPresent() ? h.asMasked() : h).toList();
        return new MtuResult(r.target(), r.destination(), r.transport(), r.status(), r.firstLinkMtu(), hops,
                r.pathMtu(), r.blackHole().map(b -> b.after().filter(m::hides).isPresent() ? b.asMasked() : b),
                r.probesSent(), r.startedAt(), r.elapsed(), m.statement());
    }

    /**
     * {@return the ping with the hidden addresses (the routers that answered for a target, {@link #learn}) gone: a
     * probe or an error naming one names none, a message or note quoting one writes {@code masked}; the statement}
     *
     * @param asked the masking asked for
     * @param r a ping
     */
    static PingResult apply(Masking asked, PingResult r) {
        if (!asked.active()) {
            return r;
        }
        Masking m = learn(asked, r);
        List<PingTargetResult> targets = r.targets().stream().map(t -> new PingTargetResult(t.index(), t.target(),
                t.address(), t.kind(), t.transport(), t.kindNote().map(m::redact), t.error().map(e -> new PingError(
                        e.type(), m.redact(e.message()), e.icmp(), m.shown(e.responder()))), t.statistics(),
                t.recent().stream().map(p -> new PingProbe(p.sequence(), p.sentAt(), p.status(), p.rtt(),
                        m.shown(p.responder()), p.icmp(), p.replyTtl(), p.replyBytes(), p.mtu(),
                        p.failure().map(m::redact))).toList(), t.hostname(), t.asn(), t.location(), t.exchange()))
                .toList();
        return new PingResult(targets, r.status(), r.startedAt(), r.duration(), r.request(), m.statement());
    }

    /**
     * {@return the context with this host's public and local address masked when {@code m} hides the source}
     *
     * @param m the masking
     * @param c what enrichment learnt of the path's ends
     */
    static PathContext apply(Masking m, PathContext c) {
        Optional<PublicAddress> p = c.publicAddress().value();
        return m.source() && p.isPresent() && !p.get().masked()
                ? new PathContext(Lookup.found(p.get().asMasked()), c.localAsn(), c.destinationAsn()) : c;
    }

    /**
     * A probe with the hidden addresses written in its failure and header changes written {@code masked}, and left
     * out of its interface and node objects.
     */
    private static ProbeResult redact(ProbeResult p, Masking m) {
        return new ProbeResult(p.ttl(), p.attempt(), p.status(), p.responder(), p.rtt(), p.icmp(),
                p.fromDestination(), p.failure().map(m::redact), p.replyTtl(), p.mplsLabels(), p.flow(), p.natId(),
                p.quotedTrafficClass(), p.headerChanges().stream()
                        .map(c -> new HeaderChange(c.field(), m.redact(c.sent()), m.redact(c.seen()))).toList(),
                p.interfaces().stream().map(i -> new InterfaceInfo(i.role(), i.ifIndex(), m.shown(i.address()),
                        i.name(), i.mtu())).toList(),
                p.nodeId().map(n -> new NodeId(m.shown(n.address()), n.name())));
    }

    /**
     * {@return the comparison with each protocol's trace masked ({@link #apply(Masking, TraceResult)}) by what any
     * of them shows at the hidden TTLs, each row's hops masked alike, and the addresses of hidden hops gone from the
     * divergences and ends (which then say {@code masked})} With nothing hidden, {@code r} itself.
     *
     * @param asked the masking asked for
     * @param r a comparison of protocols
     */
    static CompareResult apply(Masking asked, CompareResult r) {
        if (!asked.active()) {
            return r;
        }
        Masking m = learn(asked, r);
        List<CompareRow> rows = r.rows().stream().map(row -> {
            Map<ProbeProtocol, Hop> hops = new EnumMap<>(ProbeProtocol.class);
            row.hops().forEach((p, h) -> hops.put(p, apply(m, h)));
            return new CompareRow(row.ttl(), hops);
        }).toList();
        List<Divergence> divergences = r.divergences().stream().map(d -> new Divergence(d.protocols(), d.from(),
                d.lastCommonTtl(), m.shown(d.lastCommonAddress()), d.partTtl(), m.shown(d.partAddress()),
                m.shown(d.fromPartAddress()), d.meetTtl(), d.fromMeetTtl(), m.shown(d.meetAddress()))).toList();
        List<ProtocolEnd> ends = r.ends().stream().map(e -> new ProtocolEnd(e.protocol(), e.lastTtl(),
                m.shown(e.lastAddress()), e.reachedDestination(), e.stops())).toList();
        return new CompareResult(r.traces().stream().map(t -> apply(m, t)).toList(), rows, divergences, ends,
                r.status(), r.startedAt(), r.duration(), r.probesSent(), r.request());
    }

    /**
     * {@return {@code m}, hiding also what every trace of {@code r} shows at its hidden TTLs and of this host}
     *
     * @param m the masking asked for
     * @param r a comparison of protocols
     */
    static Masking learn(Masking m, CompareResult r) {
        Masking all = m;
        for (TraceResult t : r.traces()) {
            all = learn(all, t);
        }
        return all;
    }

    /**
     * {@return the discovery with each node at a hidden TTL, or with a hidden address,
     * {@link MultipathNode#asMasked masked}, the links, diamonds, paths and unexplored nodes naming the masked nodes,
     * this host's public address masked when the source is hidden, the notes redacted, and the statement}
     *
     * @param asked the masking asked for
     * @param r a multipath discovery
     */
    static MultipathResult apply(Masking asked, MultipathResult r) {
        if (!asked.active()) {
            return r;
        }
        Masking m = learn(asked, r);
        java.util.function.UnaryOperator<MultipathNode> mask = n -> {
            List<HeaderChange> changes = n.headerChanges().stream()
                    .map(c -> new HeaderChange(c.field(), m.redact(c.sent()), m.redact(c.seen()))).toList();
            return hidden(m, n.ttl(), n.address()) ? n.asMasked(changes)
                    : n.withQuotes(n.quotedTrafficClass(), changes);
        };
        List<MultipathLink> links = r.links().stream().map(l -> {
            int from = ordinal(m, r, l.ttl(), l.from());
            int to = ordinal(m, r, l.ttl() + 1, l.to());
            return new MultipathLink(l.ttl(), from > 0 ? Optional.empty() : l.from(), to > 0 ? Optional.empty()
                    : l.to(), l.flows(), from, to);
        }).toList();
        List<Diamond> diamonds = r.diamonds().stream().map(d -> new Diamond(mask.apply(d.divergence()),
                d.convergence().map(mask), d.widths(), d.meshed(), d.loadBalancing())).toList();
        List<MultipathPath> paths = r.paths().stream().map(p -> new MultipathPath(p.hops().stream()
                .map(h -> hidden(m, h.ttl(), h.address()) ? new PathHop(h.ttl(), Optional.empty(), h.statistics(),
                        true) : h).toList(), p.flows(), p.statistics(), p.lossBasis())).toList();
        return new MultipathResult(r.request(), r.destination(), r.transport(), r.protocol(), r.status(),
                r.startedAt(), r.duration(), r.nodes().stream().map(mask).toList(), links, diamonds, paths, r.probes(),
                r.discoveryProbes(), r.confidence(), r.globalConfidence(), r.destinationReached(),
                r.unexplored().stream().map(mask).toList(),
                r.notes().stream().map(m::redact).toList(), apply(m, r.context()), r.tcpConfirmations(),
                m.statement());
    }

    /** Whether a multipath node or path hop at {@code ttl} answered from {@code address} is hidden. */
    private static boolean hidden(Masking m, int ttl, Optional<InetAddress> address) {
        return m.hides(ttl) || address.filter(m::hides).isPresent();
    }

    /** 0 when the node at {@code ttl} with {@code address} is shown, else which of the masked nodes there, from 1. */
    private static int ordinal(Masking m, MultipathResult r, int ttl, Optional<InetAddress> address) {
        int n = 0;
        for (MultipathNode x : r.nodesAt(ttl)) {
            boolean hidden = hidden(m, ttl, x.address());
            n += hidden ? 1 : 0;
            if (x.address().equals(address)) {
                return hidden ? n : 0;
            }
        }
        return 0;
    }

    /**
     * {@return {@code m}, hiding also the nodes at hidden TTLs of {@code r} and this host's addresses}
     *
     * @param m the masking asked for
     * @param r a multipath discovery
     */
    static Masking learn(Masking m, MultipathResult r) {
        return learned(m, Optional.of(r.destination()), hidden -> {
            for (MultipathNode n : r.nodes()) {
                hop(m, n.ttl(), n.address().stream(), n.headerChanges(), hidden);
            }
            for (MultipathLink l : r.links()) {
                hop(m, l.ttl(), l.from().stream(), List.of(), hidden);
            }
            context(m, r.context(), hidden);
        });
    }

    /**
     * {@return the monitor's result with each hop at a hidden TTL, or where a hidden address answered,
     * {@link MonitorHop#asMasked() masked}, its path and last round masked alike, and the statement}
     *
     * @param asked the masking asked for
     * @param r a monitor's result (mtr)
     */
    static MonitorResult apply(Masking asked, MonitorResult r) {
        if (!asked.active()) {
            return r;
        }
        Masking m = learn(asked, r);
        List<MonitorHop> hops = r.hops().stream().map(h -> m.hides(h.ttl())
                || h.responders().stream().anyMatch(x -> m.hides(x.address())) ? h.asMasked() : h).toList();
        return new MonitorResult(r.target(), r.destination(), r.protocol(), r.transport(), r.status(), r.rounds(),
                r.startedAt(), r.duration(), hops, r.endToEnd(), r.minHopCount(), r.avgHopCount(), r.maxHopCount(),
                apply(m, r.path(), r.destination()), r.pathChanges(), r.lastRound().map(x -> apply(m, x)), r.request(),
                m.statement());
    }

    /**
     * {@return the round with its trace masked ({@link #apply(Masking, TraceResult)}), its path and events masked,
     * by what it shows at the hidden TTLs}
     *
     * @param asked the masking asked for (and what earlier rounds showed)
     * @param r one round of a monitor
     */
    static MonitorRound apply(Masking asked, MonitorRound r) {
        if (!asked.active()) {
            return r;
        }
        Masking m = learn(asked, r);
        Optional<InetAddress> to = r.trace().destination();
        return new MonitorRound(r.number(), apply(m, r.trace()), apply(m, r.path(), to), r.events().stream()
                .map(e -> apply(m, e, to)).toList());
    }

    /**
     * {@return the path with each TTL whose responders are hidden (at a hidden TTL, unless the destination alone
     * answered there, or a hidden address) masked; a silent TTL stays silent}
     */
    private static MonitorPath apply(Masking m, MonitorPath p, Optional<InetAddress> destination) {
        List<Set<InetAddress>> hops = new ArrayList<>();
        Set<Integer> masked = new HashSet<>(p.masked());
        for (int i = 0; i < p.hops().size(); i++) {
            Set<InetAddress> at = p.hops().get(i);
            boolean hidden = !at.isEmpty() && (m.hides(p.firstTtl() + i) && !destination.map(Set::of).equals(
                    Optional.of(at)) || at.stream().anyMatch(m::hides));
            hops.add(hidden ? Set.of() : at);
            if (hidden) {
                masked.add(p.firstTtl() + i);
            }
        }
        return new MonitorPath(p.firstTtl(), hops, p.destinationReached(), masked);
    }

    /**
     * {@return the event with what {@code m} hides masked: a hop change at a hidden TTL (or naming a hidden address),
     * the paths of a path change, the first hop of a header change} Other events name no address.
     *
     * @param m the masking, with what the monitor showed so far at the hidden TTLs
     * @param e an event
     * @param destination the monitor's destination, if known (never hidden in a path)
     */
    static MonitorEvent apply(Masking m, MonitorEvent e, Optional<InetAddress> destination) {
        if (!m.active()) {
            return e;
        } else if (e instanceof MonitorEvent.HopChanged h && (m.hides(h.ttl())
                || h.before().stream().anyMatch(m::hides) || h.after().stream().anyMatch(m::hides))) {
            return new MonitorEvent.HopChanged(h.round(), h.ttl(), Set.of(), Set.of(), true);
        } else if (e instanceof MonitorEvent.PathChanged p) {
            return new MonitorEvent.PathChanged(p.round(), apply(m, p.before(), destination), apply(m, p.after(),
                    destination));
        } else if (e instanceof MonitorEvent.HeaderChanged x) {
            FirstChange c = x.change();
            HeaderChange redacted = new HeaderChange(c.change().field(), m.redact(c.change().sent()),
                    m.redact(c.change().seen()));
            return new MonitorEvent.HeaderChanged(x.round(), new FirstChange(redacted, c.ttl(), m.hides(c.ttl())
                    ? Optional.empty() : m.shown(c.responder())), x.appeared());
        }
        return e;
    }

    /**
     * {@return {@code m}, hiding also the responders at hidden TTLs of {@code r} and of its last path}
     *
     * @param m the masking asked for
     * @param r a monitor's result (mtr)
     */
    static Masking learn(Masking m, MonitorResult r) {
        return learned(m, r.destination(), hidden -> {
            for (MonitorHop h : r.hops()) {
                hop(m, h.ttl(), h.responders().stream().map(MonitorResponder::address), List.of(), hidden);
            }
            for (int ttl = 1; ttl <= m.hops(); ttl++) {
                hidden.addAll(r.path().at(ttl));
            }
        });
    }

    /**
     * {@return {@code m}, hiding also what a monitor round's trace, path and hop changes show at hidden TTLs}
     *
     * @param m the masking asked for
     * @param r one round of a monitor
     */
    static Masking learn(Masking m, MonitorRound r) {
        return learn(learned(m, r.trace().destination(), hidden -> {
            for (int ttl = 1; ttl <= m.hops(); ttl++) {
                hidden.addAll(r.path().at(ttl));
            }
            r.events().forEach(e -> learn(m, e, hidden));
        }), r.trace());
    }

    /** The addresses a hop change at a hidden TTL names: the old responder, which the round no longer shows. */
    static void learn(Masking m, MonitorEvent e, List<InetAddress> hidden) {
        if (e instanceof MonitorEvent.HopChanged h && m.hides(h.ttl())) {
            hidden.addAll(h.before());
            hidden.addAll(h.after());
        }
    }

    /**
     * {@return {@code m}, hiding also the addresses at hidden TTLs of a path MTU discovery}
     *
     * @param m the masking asked for
     * @param r a path MTU discovery
     */
    static Masking learn(Masking m, MtuResult r) {
        return learned(m, r.destination(), hidden -> {
            for (MtuHop h : r.hops()) {
                hop(m, h.ttl(), Stream.concat(h.address().stream(), h.tooBigFrom().stream()), List.of(), hidden);
            }
            r.blackHole().filter(b -> m.hides(b.ttl() - 1)).flatMap(b -> b.after()).ifPresent(hidden::add);
        });
    }

    /**
     * {@return {@code m}, hiding also every router that answered a target's probes (an unreachable: a ping's targets
     * are the user's, the routers on the way are not)}
     *
     * @param m the masking asked for
     * @param r a ping
     */
    static Masking learn(Masking m, PingResult r) {
        return learned(m, Optional.empty(), routers -> {
            for (PingTargetResult t : r.targets()) {
                t.recent().stream().map(PingProbe::responder).flatMap(Optional::stream)
                        .filter(a -> !t.address().map(a::equals).orElse(false)).forEach(routers::add);
                t.error().flatMap(PingError::responder).filter(a -> !t.address().map(a::equals).orElse(false))
                        .ifPresent(routers::add);
            }
        });
    }

    /**
     * What one hop (a node, a link's start, a first change) adds: the addresses that answered at it when its TTL is
     * hidden; when the source is hidden, the addresses of this host a NAT rewrote in what the hop quoted.
     */
    private static void hop(Masking m, int ttl, Stream<InetAddress> answered, List<HeaderChange> changes,
            List<InetAddress> hidden) {
        if (m.hides(ttl)) {
            answered.forEach(hidden::add);
        }
        if (m.source()) {
            changes.forEach(c -> source(c, hidden));
        }
    }

    private static void context(Masking m, PathContext c, List<InetAddress> hidden) {
        if (m.source()) {
            Optional<PublicAddress> p = c.publicAddress().value();
            p.ifPresent(x -> {
                hidden.add(x.address());
                hidden.add(x.localAddress());
            });
        }
    }

    /** A NAT's rewritten source: sent is this host's address, seen the NAT's public one. */
    private static void source(HeaderChange c, List<InetAddress> hidden) {
        if (c.field() == HeaderField.SOURCE_ADDRESS) {
            literal(c.sent()).ifPresent(hidden::add);
            literal(c.seen()).ifPresent(hidden::add);
        }
    }

    /** An address written as a literal (never a name: nothing is looked up). */
    static Optional<InetAddress> literal(String text) {
        boolean form = text.contains(":") || text.chars().filter(ch -> ch == '.').count() == 3;
        if (!LITERAL.matcher(text).matches() || !form) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
