package io.pathprobe.trace;

import io.pathprobe.PathTracer;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Exchange;
import io.pathprobe.enrich.GeoLocation;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.enrich.Responder;
import io.pathprobe.enrich.Segment;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.HeaderChange;
import io.pathprobe.probe.HeaderField;
import io.pathprobe.probe.ProbeCost;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.probe.TrafficClass;
import io.pathprobe.util.Text;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
/**
 * One TTL of a trace.
 *
 * @param ttl the hop number (IP TTL of its probes)
 * @param probes every probe sent at this TTL, by attempt
 * @param responders every address that answered at this TTL, most answers first
 * @param statistics counters and RTT statistics, with the loss split into forward and backward
 * @param nat whether the probes were translated by a NAT since the previous answering hop (Dublin
 *     traceroute's rule: this hop's {@link #natId()} differs from the previous answering hop's, or
 *     from 0 for the first answering hop). The translating device is the previous answering hop, or
 *     one of the silent hops between it and this one. Only transports that see the quoted checksum can tell (raw
 *     sockets; ICMP ping sockets); otherwise {@link #natId()} is empty and this is false
 * @param segment where the hop is seen from this host (LAN, ISP, TRANSIT, DESTINATION), derived from
 *     the addresses, AS numbers and {@link PathContext} of the trace; a silent hop between two hops of
 *     the same segment is in that segment; {@link Segment#UNKNOWN} without enrichment or evidence
 * @param masked whether the hop is hidden ({@link io.pathprobe.evidence.Masking#apply(TraceResult)}: privacy
 *     masking): then it has no responders, its probes name none and quote no address, and it prints
 *     {@code masked} where a hop prints its responder; its RTTs, counts and loss stay
 */
public record Hop(int ttl, List<ProbeResult> probes, List<Responder> responders, HopStatistics statistics,
        boolean nat, Segment segment, boolean masked) {

    /**
     * Checks the components (see the record's description) and copies {@code probes} and {@code responders}.
     *
     * @param ttl the hop number (IP TTL of its probes)
     * @param probes every probe sent at this TTL, by attempt
     * @param responders every address that answered at this TTL, most answers first
     * @param statistics counters and RTT statistics, with the loss split into forward and backward
     * @param nat whether the probes were translated by a NAT since the previous answering hop (Dublin
     *     traceroute's rule: this hop's {@link #natId()} differs from the previous answering hop's, or from 0
     *     for the first answering hop). The translating device is the previous answering hop, or one of the
     *     silent hops between it and this one. Only transports that see the quoted checksum can tell (raw
     *     sockets; ICMP ping sockets); otherwise {@link #natId()} is empty and this is false
     * @param segment where the hop is seen from this host (LAN, ISP, TRANSIT, DESTINATION), derived from the
     *     addresses, AS numbers and {@link PathContext} of the trace; a silent hop between two hops of the
     *     same segment is in that segment; {@link Segment#UNKNOWN} without enrichment or evidence
     * @param masked whether the hop is hidden: no responders, no probe names one
     * @throws NullPointerException if a component other than {@code ttl}, {@code nat} and {@code masked} is null,
     *     or a list holds null
     * @throws IllegalArgumentException if a masked hop has a responder or a probe naming one
     */
    public Hop {
        probes = List.copyOf(probes);
        responders = List.copyOf(responders);
        Objects.requireNonNull(statistics, "statistics");
        Objects.requireNonNull(segment, "segment");
        if (masked && (!responders.isEmpty() || probes.stream().anyMatch(p -> p.responder().isPresent()))) {
            throw new IllegalArgumentException("a masked hop names no responder (TTL " + ttl + ")");
        }
    }

    /**
     * A hop as it was measured (not masked).
     *
     * @param ttl the hop number (IP TTL of its probes)
     * @param probes every probe sent at this TTL, by attempt
     * @param responders every address that answered at this TTL, most answers first
     * @param statistics counters and RTT statistics, with the loss split into forward and backward
     * @param nat whether the probes were translated by a NAT since the previous answering hop
     * @param segment where the hop is seen from this host
     */
    public Hop(int ttl, List<ProbeResult> probes, List<Responder> responders, HopStatistics statistics,
            boolean nat, Segment segment) {
        this(ttl, probes, responders, statistics, nat, segment, false);
    }

    /**
     * A hop without enrichment (segment {@link Segment#UNKNOWN}).
     *
     * @param ttl the hop number (IP TTL of its probes)
     * @param probes every probe sent at this TTL, by attempt
     * @param responders every address that answered at this TTL, most answers first
     * @param statistics counters and RTT statistics, with the loss split into forward and backward
     * @param nat whether the probes were translated by a NAT since the previous answering hop (Dublin
     *     traceroute's rule: this hop's {@link #natId()} differs from the previous answering hop's, or from 0
     *     for the first answering hop). The translating device is the previous answering hop, or one of the
     *     silent hops between it and this one. Only transports that see the quoted checksum can tell (raw
     *     sockets; ICMP ping sockets); otherwise {@link #natId()} is empty and this is false
     */
    public Hop(int ttl, List<ProbeResult> probes, List<Responder> responders, HopStatistics statistics,
            boolean nat) {
        this(ttl, probes, responders, statistics, nat, Segment.UNKNOWN);
    }

    /**
     * A hop without NAT evidence nor enrichment.
     *
     * @param ttl the hop number (IP TTL of its probes)
     * @param probes every probe sent at this TTL, by attempt
     * @param responders every address that answered at this TTL, most answers first
     * @param statistics counters and RTT statistics, with the loss split into forward and backward
     */
    public Hop(int ttl, List<ProbeResult> probes, List<Responder> responders, HopStatistics statistics) {
        this(ttl, probes, responders, statistics, false);
    }

    /**
     * {@return this hop with other responders (the same addresses, enriched) and segment}
     *
     * @param responders the responders, in place of this hop's
     * @param segment the segment, in place of this hop's
     */
    public Hop withEnrichment(List<Responder> responders, Segment segment) {
        return new Hop(ttl, probes, responders, statistics, nat, segment, masked);
    }

    /**
     * {@return this hop hidden: no responders, its probes without theirs and without the address changes they
     * quoted (which would show this host's or a router's address), its RTTs, counts and loss kept}
     */
    public Hop asMasked() {
        List<ProbeResult> hidden = probes.stream().map(ProbeResult::withoutAddresses).toList();
        return new Hop(ttl, hidden, List.of(), statistics, nat, segment, true);
    }

    /**
     * {@return the reverse lookup of the responder that answered most often ({@code responders().get(0)
     * .hostname()}); {@link Lookup#off()} for a hop nothing answered}
     */
    public Lookup<String> hostname() {
        return responders.isEmpty() ? Lookup.off() : responders.get(0).hostname();
    }

    /**
     * {@return the AS lookup of the responder that answered most often ({@code responders().get(0).asn()});
     * {@link Lookup#off()} for a hop nothing answered}
     */
    public Lookup<AsnInfo> asn() {
        return responders.isEmpty() ? Lookup.off() : responders.get(0).asn();
    }

    /**
     * {@return where the responder that answered most often is by the GeoIP databases
     * ({@code responders().get(0).location()}); {@link Lookup#off()} for a hop nothing answered}
     */
    public Lookup<GeoLocation> location() {
        return responders.isEmpty() ? Lookup.off() : responders.get(0).location();
    }

    /**
     * {@return the Internet exchange whose peering LAN holds the responder that answered most often
     * ({@code responders().get(0).exchange()}); {@link Lookup#off()} for a hop nothing answered}
     */
    public Lookup<Exchange> exchange() {
        return responders.isEmpty() ? Lookup.off() : responders.get(0).exchange();
    }

    /** {@return whether every lookup of this hop's responders has ended or was not asked (none PENDING)} */
    public boolean lookupsSettled() {
        return responders.stream().allMatch(Responder::lookupsSettled);
    }

    /**
     * {@return the NAT ID most of this hop's answers carried ({@link ProbeResult#natId()}); empty if none
     * carried one}
     */
    public OptionalInt natId() {
        Map<Integer, Integer> counts = new HashMap<>();
        int best = -1;
        int bestCount = 0;
        for (ProbeResult p : probes) {
            if (p.natId().isPresent()) {
                int id = p.natId().getAsInt();
                int c = counts.merge(id, 1, Integer::sum);
                if (c > bestCount) {
                    best = id;
                    bestCount = c;
                }
            }
        }
        return bestCount == 0 ? OptionalInt.empty() : OptionalInt.of(best);
    }

    /** {@return the address that answered most often at this TTL; empty when the hop was silent} */
    public Optional<InetAddress> address() {
        return responders.isEmpty() ? Optional.empty() : Optional.of(responders.get(0).address());
    }

    /**
     * {@return whether this hop was taken from the tracer's stop set rather than probed} Only
     * {@link PathTracer#measure traceAll} makes such hops: below the TTL at which a trace met a router another
     * trace of the tracer had already seen there (Doubletree), the path is the one that trace saw. Such a
     * hop has no {@link #probes()}, all-zero {@link #statistics()}, and as {@link #responders()} the router
     * known at this TTL (with 0 replies), or none where that trace saw none.
     */
    public boolean fromStopSet() {
        return probes.isEmpty();
    }

    /**
     * {@return what this TTL cost its routers ({@link ProbeCost}): each probe sent (send failures excluded) charged
     * to the responder that answered it, an unanswered one to the responder that answered most here, or to no known
     * router; none for a hop {@link #fromStopSet()}}
     */
    public ProbeCost cost() {
        long sent = 0;
        Map<Optional<InetAddress>, Long> answers = new LinkedHashMap<>();
        for (ProbeResult p : probes) {
            if (p.status() != ProbeStatus.SEND_FAILED) {
                sent++;
                if (p.answered()) {
                    answers.merge(p.responder(), 1L, Long::sum);
                }
            }
        }
        return sent == 0 ? ProbeCost.NONE : ProbeCost.tally().hop(sent, answers).build();
    }

    /** {@return whether no probe at this TTL was answered} */
    public boolean silent() {
        return masked ? probes.stream().noneMatch(ProbeResult::answered) : responders.isEmpty();
    }

    /** {@return whether the traced destination itself answered at this TTL} */
    public boolean isDestination() {
        for (ProbeResult p : probes) {
            if (p.fromDestination()) {
                return true;
            }
        }
        return false;
    }

    private String nameOf(InetAddress a) {
        String text = AddressText.of(a);
        for (Responder r : responders) {
            if (r.address().equals(a)) {
                return Text.responder(text, r.hostname().value(), Optional.empty(), r.location().value()
                        .map(GeoLocation::shortText), r.exchange().value().map(Exchange::shortText));
            }
        }
        return text;
    }

    /** {@return the RTTs of the answered probes, in attempt order} */
    public List<Duration> rtts() {
        return probes.stream().flatMap(p -> p.rtt().stream()).toList();
    }

    /**
     * As traceroute prints a hop: {@code " 3  198.18.0.10  0.024 ms  0.009 ms  *"}; a responder's
     * address is written before its first RTT and again whenever the responder changes, after its
     * host name when one was found ({@code "core1.isp.example (198.18.0.10)"}), then its location and
     * exchange where the GeoIP databases and the PeeringDB dump place it
     * ({@code "198.18.100.2 [DE Frankfurt] IX LAB-IX"}). When the
     * hop's probes carried several flows, each probe is preceded by its flow ({@code "#2"}); an
     * answering hop with losses ends with their split ({@code "(loss: 0 forward, 1 backward)"}; with the bound first
     * where some may have been refusals, {@link HopStatistics#missesText()}), one
     * whose responder was shown to refuse probes under its ICMP rate limit with {@code "(rate-limited: 2)"} (those
     * probes print {@code *}, as traceroute prints them, and are not losses; a hop that never answered prints
     * {@code * * *} alone), a
     * hop where the probes arrived translated with {@code "[NAT]"}, one whose routers received the probes changed
     * with the changes ({@code "[DSCP 46 -> 0, ECN ECT(0) -> Not-ECT]"}, {@link #headerChanges()}), else a marking
     * other than DSCP 0 Not-ECT as quoted ({@code "[DSCP 46 (EF) ECT(0)]"}). A hop {@link #fromStopSet() from the stop
     * set} prints its router and {@code "(stop set)"}: {@code " 3  198.18.0.10  (stop set)"}. A {@link #masked()}
     * hop prints {@code masked} in place of its responder, never {@code *} (which means silent):
     * {@code " 1  masked  0.412 ms  *  0.398 ms"}. A probe whose router identified its interface or itself (RFC 5837,
     * the Node Identification draft) is followed by {@link ProbeResult#identityText()}, as traceroute 2.1.4's
     * {@code -e} prints it, where it differs from the last one the hop printed:
     * {@code " 2  192.0.0.8  0.051 ms <INC:2,"veth-r2a";NODE:"r2">  0.044 ms"}.
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%2d", ttl));
        if (masked) {
            b.append("  ").append(io.pathprobe.probe.MaskStatement.MASKED);
        }
        if (fromStopSet()) {
            if (!masked) {
                b.append("  ").append(responders.isEmpty() ? "*" : nameOf(responders.get(0).address()));
            }
            return b.append("  (stop set)").toString();
        }
        boolean flows = probes.stream().map(ProbeResult::flow).filter(OptionalInt::isPresent).distinct().count() > 1;
        InetAddress previous = null;
        String identity = "";
        for (ProbeResult p : probes) {
            b.append("  ");
            if (flows && p.flow().isPresent()) {
                b.append('#').append(p.flow().getAsInt()).append(' ');
            }
            if (p.answered() && p.responder().isPresent() && !p.responder().get().equals(previous)) {
                previous = p.responder().get();
                b.append(nameOf(previous)).append("  ");
            }
            b.append(p.outcomeText());
            if (!p.identityText().isEmpty() && !p.identityText().equals(identity)) {
                identity = p.identityText();
                b.append(' ').append(identity);
            }
        }
        if (!silent()) { // a silent router: * * *, as traceroute prints it
            b.append(statistics.missesText());
        }
        if (nat) {
            b.append("  [NAT]");
        }
        String received = masked ? changesText() : receivedText();
        if (!received.isEmpty()) {
            b.append("  ").append(received);
        }
        return b.toString();
    }

    private String changesText() {
        List<HeaderChange> changes = headerChanges().stream()
                .filter(c -> !nat || c.field() != HeaderField.TRANSPORT_CHECKSUM).toList();
        return changes.isEmpty() ? "" : changes.toString();
    }

    /**
     * {@return what this hop's routers received of the probes, as a hop line ends with it: the changes from what was
     * sent ({@code "[DSCP 46 -> 0, ECN ECT(0) -> Not-ECT]"}, {@link #headerChanges()}; a NAT's checksum change left
     * to {@code [NAT]}), else a marking other than DSCP 0 Not-ECT as quoted ({@code "[DSCP 46 (EF) ECT(0)]"}); ""
     * when neither (nothing quoted, or the transport cannot read quotes)} Every layout of a hop ends with it.
     */
    public String receivedText() {
        String changes = changesText();
        if (!changes.isEmpty()) {
            return changes;
        }
        return quotedTrafficClass().filter(m -> !m.equals(TrafficClass.DEFAULT)).map(m -> "[" + m + "]").orElse("");
    }

    /**
     * {@return what the routers answering at this TTL received differently from what was sent, each field once
     * (as the first probe that showed it saw it: a checksum or an IP ID differs per probe), in header order}
     * Empty when nothing changed or the transport cannot read quotes. The first hop showing a change is the one
     * after the box that made it (the box itself quotes the probe as it arrived); {@link TraceResult#headerChanges()}
     * names it.
     */
    public List<HeaderChange> headerChanges() {
        HeaderChange[] byField = new HeaderChange[HeaderField.values().length];
        for (ProbeResult p : probes) {
            for (HeaderChange c : p.headerChanges()) {
                if (byField[c.field().ordinal()] == null) {
                    byField[c.field().ordinal()] = c;
                }
            }
        }
        List<HeaderChange> all = new ArrayList<>(0);
        for (HeaderChange c : byField) {
            if (c != null) {
                all.add(c);
            }
        }
        return all;
    }

    /** {@return the DSCP and ECN the last probe quoted at this TTL arrived with, if a quote was read} */
    public Optional<TrafficClass> quotedTrafficClass() {
        Optional<TrafficClass> last = Optional.empty();
        for (ProbeResult p : probes) {
            if (p.quotedTrafficClass().isPresent()) {
                last = p.quotedTrafficClass();
            }
        }
        return last;
    }
}
