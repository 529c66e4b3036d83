package io.pathprobe.monitor;

import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.MaskStatement;
import io.pathprobe.probe.ProbeCost;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.util.Checks;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
/**
 * What a monitor measured: mtr's table (one {@link MonitorHop} per TTL, with whole-run and window
 * statistics and every responder), the end-to-end figures, hop counts, the current path and how often
 * it changed. A snapshot while it runs; the final result once it ended (statistics over the rounds
 * completed: a round cut short by a cancel or the deadline is left out).
 *
 * @param target the target as given
 * @param destination the address monitored; empty only when the monitor ended before its target resolved
 * @param protocol the probe protocol
 * @param transport the name of the transport; empty ("") if none was chosen yet
 * @param status how it ended, or {@link MonitorStatus#RUNNING}
 * @param rounds the rounds completed
 * @param startedAt when the first round started (wall clock), or when the monitor was made if none did
 * @param duration from the first round's start to the end (or now)
 * @param hops one entry per TTL from the first TTL to the end of the path, in TTL order (before the destination
 *     ever answered: to the router that answered unreachable, else one TTL past the last that answered)
 * @param endToEnd the destination's own statistics: per round, its probes at the destination's TTL
 *     (answered by the destination, or lost)
 * @param minHopCount the fewest hops to the destination in a round that reached it (0 if none did)
 * @param avgHopCount the mean hop count over the rounds that reached the destination (0 if none did)
 * @param maxHopCount the most hops to the destination in a round that reached it (0 if none did); the hop counts
 *     are over the rounds that showed its distance (a router answered the TTL below its answer, or it answered no
 *     deeper than known); one met only past a silent TTL counts at the lowest TTL it ever answered at, as mtr places it
 * @param path the current path
 * @param pathChanges how many rounds changed the path ({@link MonitorEvent.PathChanged} events)
 * @param lastRound the last round completed, if any
 * @param request the request
 * @param masking what privacy masking hid ({@link io.pathprobe.evidence.Masking#apply(MonitorResult)}),
 *     {@link MaskStatement#NONE} for a result as measured
 */
public record MonitorResult(String target, Optional<InetAddress> destination, ProbeProtocol protocol, String transport,
        MonitorStatus status, long rounds, Instant startedAt, Duration duration, List<MonitorHop> hops,
        MonitorStatistics endToEnd, int minHopCount, double avgHopCount, int maxHopCount, MonitorPath path,
        long pathChanges, Optional<MonitorRound> lastRound, MonitorRequest request, MaskStatement masking) {

    /**
     * Checks the components (see the record's description) and copies {@code hops}.
     *
     * @param target the target as given
     * @param destination the address monitored; empty only when the monitor ended before its target resolved
     * @param protocol the probe protocol
     * @param transport the name of the transport; empty ("") if none was chosen yet
     * @param status how it ended, or {@link MonitorStatus#RUNNING}
     * @param rounds the rounds completed
     * @param startedAt when the first round started (wall clock), or when the monitor was made if none did
     * @param duration from the first round's start to the end (or now)
     * @param hops one entry per TTL from the first TTL to the end of the path, in TTL order (before the
     *     destination ever answered: to the router that answered unreachable, else one TTL past the last that
     *     answered)
     * @param endToEnd the destination's own statistics: per round, its probes at the destination's TTL
     *     (answered by the destination, or lost)
     * @param minHopCount the fewest hops to the destination in a round that reached it (0 if none did)
     * @param avgHopCount the mean hop count over the rounds that reached the destination (0 if none did)
     * @param maxHopCount the most hops to the destination in a round that reached it (0 if none did)
     * @param path the current path
     * @param pathChanges how many rounds changed the path ({@link MonitorEvent.PathChanged} events)
     * @param lastRound the last round completed, if any
     * @param request the request
     * @param masking what privacy masking hid, {@link MaskStatement#NONE} for a result as measured
     * @throws NullPointerException if a component is null
     */
    public MonitorResult {
        Checks.nonNull("target", target, "destination", destination, "protocol", protocol, "transport", transport,
                "status", status, "startedAt", startedAt, "duration", duration, "endToEnd", endToEnd, "path", path,
                "lastRound", lastRound, "request", request, "masking", masking);
        hops = List.copyOf(hops);
    }

    /**
     * {@return the hop at {@code ttl}, if the table has it}
     *
     * @param ttl a TTL
     */
    public Optional<MonitorHop> hop(int ttl) {
        return hops.stream().filter(h -> h.ttl() == ttl).findFirst();
    }

    /**
     * {@return what the monitor cost each router over its whole run ({@link ProbeCost}), hop by hop: each responder
     * its replies, a hop's unanswered probes to the responder with the most replies there (or to no known router),
     * answers masking hid to no known router}
     */
    public ProbeCost cost() {
        ProbeCost.Tally t = ProbeCost.tally();
        for (MonitorHop h : hops) {
            Map<Optional<InetAddress>, Long> answers = new LinkedHashMap<>();
            long named = 0;
            for (MonitorResponder r : h.responders()) {
                answers.merge(Optional.of(r.address()), r.replies(), Long::sum);
                named += r.replies();
            }
            if (h.total().received() > named) {
                answers.put(Optional.empty(), h.total().received() - named);
            }
            t.hop(Math.max(h.total().sent(), Math.max(named, h.total().received())), answers);
        }
        return t.build();
    }

    /**
     * As {@code mtr --report} prints it: a start line (when, the target, protocol, rounds and status), a
     * header whose column titles stand above the values, one row per hop with its further responders, then
     * the end-to-end figures, hop counts and path changes.
     *
     * <pre>
     * Start: 2026-11-25T18:59:38+0100  198.19.0.1 (198.19.0.1) ICMP, 10 rounds, COMPLETED
     * HOST: lab-host                   Loss%   Snt   Last   Avg  Best  Wrst StDev
     *  1.|-- 198.18.0.2                 0.0%    10    0.1   0.1   0.1   0.2   0.0
     *  2.|-- 198.19.0.1                 0.0%    10    0.2   0.2   0.1   0.3   0.0
     * end to end:   0.0%    10    0.2   0.2   0.1   0.3   0.0  jitter 0.0, p50/p90/p99 0.2/0.3/0.3 ms
     * hops 2/2.0/2 (min/avg/max), 0 path changes
     * </pre>
     */
    /**
     * Where a row's {@code Loss%} value starts, less the name column: {@code "NN.|-- "}, the name, a space, 2 digits'
     * room.
     */
    private static final int HEADER_PAD = 9;

    /**
     * {@code Start:}'s time, as mtr writes it: local, to the second, with the offset
     * ({@code 2026-11-25T18:59:38+0100}).
     */
    private static final java.time.format.DateTimeFormatter START = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd'T'HH:mm:ssZ", Locale.ROOT).withZone(java.time.ZoneId.systemDefault());

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        // as mtr: the local time to the second with its offset, and this host's name over the rows
        b.append("Start: ").append(START.format(startedAt)).append("  ").append(target)
                .append(destination.map(a -> " (" + AddressText.of(a) + ")").orElse("")).append(' ').append(protocol)
                .append(", ").append(rounds).append(rounds == 1 ? " round, " : " rounds, ").append(status);
        if (masking.active()) {
            b.append(System.lineSeparator()).append(masking);
        }
        // as mtr: the header's column titles stand right above the rows' values, whatever the names' lengths
        String host = "HOST: " + (masking.active() ? MaskStatement.MASKED : io.pathprobe.util.LocalHost.name());
        int width = MonitorHop.NAME_WIDTH;
        for (MonitorHop h : hops) {
            width = Math.max(width, h.name().length());
        }
        width = Math.max(width, host.length() + 1 - HEADER_PAD);
        b.append(System.lineSeparator()).append(String.format(Locale.ROOT, "%-" + (width + HEADER_PAD) + "s", host))
                .append("Loss%   Snt   Last   Avg  Best  Wrst StDev");
        for (MonitorHop h : hops) {
            b.append(System.lineSeparator()).append(h.row(width));
        }
        b.append(System.lineSeparator()).append("end to end: ").append(endToEnd);
        b.append(System.lineSeparator()).append(maxHopCount == 0 ? "hops unknown (no round reached the destination)"
                : String.format(Locale.ROOT, "hops %d/%.1f/%d (min/avg/max)", minHopCount, avgHopCount, maxHopCount))
                .append(", ").append(pathChanges).append(pathChanges == 1 ? " path change" : " path changes");
        return b.toString();
    }

    /**
     * {@return this result with its hops decorated by enrichment (host names, AS numbers), everything else as
     * measured}
     *
     * @param enrichedHops the same hops, in the same order, with their responders' lookups filled in
     */
    public MonitorResult withEnrichment(List<MonitorHop> enrichedHops) {
        return new MonitorResult(target, destination, protocol, transport, status, rounds, startedAt, duration,
                enrichedHops, endToEnd, minHopCount, avgHopCount, maxHopCount, path, pathChanges, lastRound, request,
                masking);
    }
}
