package io.pathprobe.compare;

import io.pathprobe.PathTracer;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.MaskStatement;
import io.pathprobe.probe.ProbeCost;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.TrafficClass;
import io.pathprobe.trace.FirstChange;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.TraceAllStatus;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.util.Checks;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The result of {@link PathTracer#measure measure(CompareRequest)}: each protocol's Paris trace of the target, the hops
 * side by side, where the protocols' paths part and meet again, and how far each protocol got. Made by
 * {@link #of}, which derives the rows, divergences and ends from the traces.
 *
 * @param traces each protocol's trace, in the order of {@link CompareRequest#protocols()}
 * @param rows one row per TTL that any trace has, ordered by TTL
 * @param divergences where protocols part and meet again, ordered by the TTL of the parting
 * @param ends how far each protocol got, in the order of {@link CompareRequest#protocols()}
 * @param status how the call ended
 * @param startedAt wall-clock time the call started
 * @param duration how long it took, set-up included
 * @param probesSent probes sent for all the protocols together (send failures excluded)
 * @param request the request
 */
public record CompareResult(List<TraceResult> traces, List<CompareRow> rows, List<Divergence> divergences,
        List<ProtocolEnd> ends, TraceAllStatus status, Instant startedAt, Duration duration, long probesSent,
        CompareRequest request) {

    /**
     * Checks the components (see the record's description) and copies the lists.
     *
     * @param traces each protocol's trace, in the order of {@link CompareRequest#protocols()}
     * @param rows one row per TTL that any trace has, ordered by TTL
     * @param divergences where protocols part and meet again
     * @param ends how far each protocol got
     * @param status how the call ended
     * @param startedAt wall-clock time the call started
     * @param duration how long it took, set-up included
     * @param probesSent probes sent for all the protocols together
     * @param request the request
     * @throws NullPointerException if a component other than {@code probesSent} is null
     * @throws IllegalArgumentException if {@code probesSent} is negative, or there is not one trace and one end per
     *     protocol of the request
     */
    public CompareResult {
        traces = List.copyOf(traces);
        rows = List.copyOf(rows);
        divergences = List.copyOf(divergences);
        ends = List.copyOf(ends);
        Checks.nonNull("status", status, "startedAt", startedAt, "duration", duration, "request", request);
        if (probesSent < 0) {
            throw new IllegalArgumentException("probesSent must not be negative, was " + probesSent);
        }
        int n = request.protocols().size();
        if (traces.size() != n || ends.size() != n) {
            throw new IllegalArgumentException("one trace and one end per protocol of " + request.protocols()
                    + " is needed, were " + traces.size() + " and " + ends.size());
        }
    }

    /**
     * {@return the result for these traces: the rows, divergences and ends derived from them, the probes counted}
     *
     * @param request the request
     * @param traces each protocol's trace, in the order of {@link CompareRequest#protocols()}
     * @param status how the call ended
     * @param startedAt wall-clock time the call started
     * @param duration how long it took
     * @throws IllegalArgumentException if there is not one trace per protocol
     */
    public static CompareResult of(CompareRequest request, List<TraceResult> traces, TraceAllStatus status,
            Instant startedAt, Duration duration) {
        List<ProbeProtocol> ps = request.protocols();
        if (traces.size() != ps.size()) {
            throw new IllegalArgumentException("one trace per protocol of " + ps + " is needed, were " + traces.size());
        }
        long sent = 0;
        for (TraceResult t : traces) {
            for (Hop h : t.hops()) {
                sent += h.statistics().sent();
            }
        }
        return new CompareResult(traces, CompareAnalysis.rows(ps, traces),
                new CompareAnalysis(ps, traces).divergences(), CompareAnalysis.ends(ps, traces), status, startedAt,
                duration, sent, request);
    }

    /**
     * {@return a protocol's trace}
     *
     * @param protocol the protocol
     * @throws IllegalArgumentException if it was not compared
     */
    public TraceResult trace(ProbeProtocol protocol) {
        return traces.get(index(protocol));
    }

    /**
     * {@return what the comparison cost each router: its protocols' traces' {@link TraceResult#cost()} added up (one
     * protocol's: {@code trace(protocol).cost()})}
     */
    public ProbeCost cost() {
        return ProbeCost.sum(traces, TraceResult::cost);
    }

    /**
     * {@return how far a protocol got}
     *
     * @param protocol the protocol
     * @throws IllegalArgumentException if it was not compared
     */
    public ProtocolEnd end(ProbeProtocol protocol) {
        return ends.get(index(protocol));
    }

    /**
     * {@return the hop after which a protocol stops while another reaches the destination (0: nothing answered it);
     * empty if it does not stop} "TCP/443 stops after hop 4" is {@code stopsAfter(TCP)} = 4.
     *
     * @param protocol the protocol
     * @throws IllegalArgumentException if it was not compared
     */
    public OptionalInt stopsAfter(ProbeProtocol protocol) {
        return end(protocol).stopsAfter();
    }

    /**
     * {@return the divergences a protocol takes part in (as one that parts, or one parted from)}
     *
     * @param protocol the protocol
     */
    public List<Divergence> divergences(ProbeProtocol protocol) {
        return divergences.stream().filter(d -> d.protocols().contains(protocol) || d.from().contains(protocol))
                .toList();
    }

    /**
     * {@return what the routers saw changed in a protocol's probes, each field at the first hop that showed it: that
     * protocol's {@link TraceResult#headerChanges()}} Empty on a clean path, and when the protocol's transport
     * cannot read quotes: see {@link #lastQuotedTtl} for which it is.
     *
     * @param protocol the protocol
     * @throws IllegalArgumentException if it was not compared
     */
    public List<FirstChange> headerChanges(ProbeProtocol protocol) {
        return trace(protocol).headerChanges();
    }

    /**
     * {@return the highest TTL at which a router's quote of a protocol's probes was read (what shows header changes);
     * empty when none was: its transport cannot read quotes, or nothing quoted the probes} A protocol "keeps" a
     * field another protocol had changed from hop n only if this is at least n; otherwise it was not seen.
     *
     * @param protocol the protocol
     * @throws IllegalArgumentException if it was not compared
     */
    public OptionalInt lastQuotedTtl(ProbeProtocol protocol) {
        return CompareHeaders.lastQuotedTtl(trace(protocol));
    }

    /**
     * {@return what the network did to each protocol's packets, one sentence per header field that changed for some
     * protocol, in header order} Which protocols had it changed, how and from which hop, which kept it (their
     * quotes from that hop on show it as sent) and which were not seen (no quote from that hop on shows it: a
     * transport that cannot read quotes, or knows no sent header to compare with, or a trace that ended before):
     * "TCP/443: DSCP 46 -> 0 from hop 3 (198.18.0.9); ICMP and UDP keep DSCP 46", "every protocol: ECN ECT(0) ->
     * Not-ECT from hop 5 (198.18.0.17)", "UDP: DSCP 46 -> 0 from hop 3 (198.18.0.9); ICMP keeps DSCP 46; TCP/443 not
     * seen (no quote from hop 3 on shows it)". Fields only TCP carries (MSS, options) name TCP alone. A field
     * whose value differs per probe (a checksum, the TTL) is written "checksum changed from hop 9" where several
     * protocols had it changed at one hop. Empty when no quote showed a change.
     */
    public List<String> headerFindings() {
        return CompareHeaders.findings(request, traces);
    }

    /**
     * {@return whether every protocol probed took the same path (no divergence) and none stops short of the others} A
     * protocol that was {@linkplain #notProbed() not probed} takes no part.
     */
    public boolean samePath() {
        return divergences.isEmpty() && ends.stream().noneMatch(ProtocolEnd::stops);
    }

    /**
     * {@return the protocols this host could not probe with, in the request's order: no usable transport for the
     * protocol (an unprivileged process without an ICMP socket), no route, no source address; their traces say why
     * ({@link TraceResult#protocolNote()}, {@link TraceResult#sendFailure()}), and nothing is concluded of their
     * path: they neither stop nor part}
     */
    public List<ProbeProtocol> notProbed() {
        List<ProbeProtocol> out = new ArrayList<>();
        for (int i = 0; i < traces.size(); i++) {
            if (CompareAnalysis.notProbed(traces.get(i))) {
                out.add(request.protocols().get(i));
            }
        }
        return out;
    }

    /**
     * {@return what of the comparison is hidden: its traces' {@link TraceResult#masking()}
     * ({@link io.pathprobe.evidence.Masking#apply(CompareResult)}); each hidden hop is {@link Hop#masked()}, and an
     * address that answered at one is absent from the divergences and ends, which say {@code masked} there}
     */
    public MaskStatement masking() {
        return traces.get(0).masking();
    }

    /** Whether one of {@code protocols}' hops at {@code ttl} is hidden. */
    private boolean masked(List<ProbeProtocol> protocols, int ttl) {
        return protocols.stream().anyMatch(p -> masked(trace(p), ttl));
    }

    private static boolean masked(TraceResult t, int ttl) {
        return t.hops().stream().anyMatch(h -> h.ttl() == ttl && h.masked());
    }

    /** {@code " (address)"} of what answered {@code t} at {@code ttl}, {@code " (masked)"} if that hop is hidden. */
    static String where(Optional<InetAddress> address, TraceResult t, int ttl) {
        return masked(t, ttl) ? " (" + MaskStatement.MASKED + ")"
                : address.map(a -> " (" + AddressText.of(a) + ")").orElse("");
    }

    private int index(ProbeProtocol protocol) {
        int i = request.protocols().indexOf(protocol);
        if (i < 0) {
            throw new IllegalArgumentException(protocol + " was not compared: " + request.protocols());
        }
        return i;
    }

    /**
     * {@return the findings as sentences: each divergence ("TCP/443 parts from ICMP, UDP after hop 2
     * (198.18.0.6) ... and meets them again at hop 4 (198.18.0.14)"), each protocol that stops ("TCP/443 stops
     * after hop 4 (198.18.0.14); ICMP, UDP reach the destination"), each protocol that was not probed and why ("ICMP
     * not probed: no usable transport for ICMP probes ..."), or that the protocols probed all take one path; then
     * what the network did to the packets ({@link #headerFindings()})}
     */
    public List<String> findings() {
        List<String> out = new ArrayList<>();
        for (Divergence d : divergences) {
            out.add(d.sentence(d.protocols().stream().map(request::label).toList(),
                    d.from().stream().map(request::label).toList(), ttl -> masked(d.protocols(), ttl),
                    ttl -> masked(d.from(), ttl)));
        }
        List<ProbeProtocol> unprobed = notProbed();
        for (ProbeProtocol p : unprobed) {
            TraceResult t = trace(p);
            out.add(request.label(p) + " not probed: " + t.protocolNote().or(t::sendFailure)
                    .orElse(t.status() == io.pathprobe.trace.TraceStatus.NO_ROUTE ? "no route from this host"
                            : "no probe could be sent from this host"));
        }
        List<String> reached = ends.stream().filter(ProtocolEnd::reachedDestination)
                .map(e -> request.label(e.protocol())).toList();
        for (ProtocolEnd e : ends) {
            if (e.stops()) {
                String where = e.lastTtl().isEmpty() ? " gets no answer at all"
                        : " stops after hop " + e.lastTtl().getAsInt()
                                + where(e.lastAddress(), trace(e.protocol()), e.lastTtl().getAsInt());
                out.add(request.label(e.protocol()) + where + "; " + String.join(", ", reached)
                        + (reached.size() > 1 ? " reach" : " reaches") + " the destination");
            }
        }
        if (out.size() == unprobed.size() && unprobed.size() < request.protocols().size()) {
            List<String> all = request.protocols().stream().filter(p -> !unprobed.contains(p)).map(request::label)
                    .toList();
            if (all.size() == 1) { // nothing to compare it with
                out.add(all.get(0) + (reached.isEmpty() ? " does not reach" : " reaches") + " the destination");
            } else {
                out.add(String.join(", ", all) + " take the same path"
                        + (reached.size() == all.size() ? " to the destination" : "") + silentWhereOthersAnswered()
                        + (reached.size() == all.size() ? ""
                                : reached.isEmpty() ? "; none reaches the destination"
                                        : "; " + String.join(", ", reached) + " reach the destination"));
            }
        }
        out.addAll(headerFindings());
        return out;
    }

    /**
     * {@return {@code " wherever they answered (silent: UDP at hops 2, 4; TCP/443 at hop 1)"}: the TTLs where a
     * protocol's hop was silent while another protocol's answered, where "the same path" is not seen but assumed;
     * empty when there is none}
     */
    private String silentWhereOthersAnswered() {
        List<String> parts = new ArrayList<>();
        for (ProbeProtocol p : request.protocols()) {
            List<String> ttls = rows.stream()
                    .filter(r -> r.hop(p).filter(Hop::silent).isPresent() && request.protocols().stream()
                            .anyMatch(o -> !r.responders(o).isEmpty()))
                    .map(r -> Integer.toString(r.ttl())).toList();
            if (!ttls.isEmpty()) {
                parts.add(request.label(p) + " at hop" + (ttls.size() > 1 ? "s " : " ") + String.join(", ", ttls));
            }
        }
        return parts.isEmpty() ? ""
                : " wherever they answered (silent: " + String.join("; ", parts) + ")";
    }

    /**
     * As the field's tools print a comparison: a header, one line per TTL with a column per protocol (the
     * address that answered most, {@code +n} for more, {@code !} where the destination answered, {@code *} for a
     * silent hop, {@code * (rate-limited)} for one whose misses were all a limiter's refusals, blank past a trace's
     * end; the header names the marking when the probes carried one:
     * {@code ", marked DSCP 46 (EF) ECT(0)"}), then the {@link #findings()} (what the network did to the packets
     * among them), then a summary line.
     */
    @Override
    public String toString() {
        List<ProbeProtocol> ps = request.protocols();
        List<String> header = new ArrayList<>(List.of("ttl"));
        ps.forEach(p -> header.add(request.label(p)));
        List<List<String>> lines = new ArrayList<>();
        lines.add(header);
        for (CompareRow r : rows) {
            List<String> cells = new ArrayList<>(List.of(Integer.toString(r.ttl())));
            for (ProbeProtocol p : ps) {
                Optional<Hop> h = r.hop(p);
                cells.add(h.map(CompareRow::cell).orElse(lines.size() == 1 && notProbed().contains(p)
                        ? "not probed" : ""));
            }
            lines.add(cells);
        }
        int[] widths = new int[header.size()];
        for (List<String> l : lines) {
            for (int i = 0; i < l.size(); i++) {
                widths[i] = Math.max(widths[i], l.get(i).length());
            }
        }
        StringBuilder b = new StringBuilder(masking().active() ? masking() + "\n" : "").append("compare ")
                .append(request.target());
        trace(ps.get(0)).destination().ifPresent(a -> b.append(" (").append(AddressText.of(a)).append(')'));
        if (!request.trafficClass().equals(TrafficClass.DEFAULT)) {
            b.append(", marked ").append(request.trafficClass());
        }
        b.append('\n');
        for (List<String> l : lines) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%" + widths[0] + "s", l.get(0)));
            for (int i = 1; i < l.size(); i++) {
                line.append("  ").append(String.format(Locale.ROOT, "%-" + widths[i] + "s", l.get(i)));
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        b.append('\n');
        findings().forEach(f -> b.append(f).append('\n'));
        return b.append(String.format(Locale.ROOT, "%d probes sent, %s in %.1f ms", probesSent, status,
                duration.toNanos() / 1e6)).toString();
    }
}
