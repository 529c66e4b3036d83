package io.pathprobe.ping;

import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Exchange;
import io.pathprobe.enrich.GeoLocation;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.LookupStatus;
import io.pathprobe.probe.ProbeCost;
import io.pathprobe.util.Checks;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
/**
 * What one target of a ping found.
 *
 * @param index the target's place in {@link PingRequest#targets()}, from 0
 * @param target the target as given
 * @param address the address probed; empty when it did not resolve
 * @param kind the kind of probe sent (for the automatic choice, the one chosen: ICMP, else UDP)
 * @param transport the transport that sent them ("" when none was chosen)
 * @param kindNote why the automatic choice did not use its first kind, if it did not, in one line naming what would
 *     let it be used; {@code fell back to UDP: ...} for a UDP ping it fell back to (whose answers are the destination's
 *     Port Unreachables, which it rate-limits: see {@link PingStatistics#rateLimited()} and
 *     {@link PingStatistics#mayBeRefused()})
 * @param error what went wrong for this target, if anything: an unknown name or missing transport (then
 *     nothing was sent), or the last ICMP error or send failure (then the statistics count it)
 * @param statistics its counters and RTT statistics
 * @param recent the most recent probes with their outcome, in send order: at most
 *     {@link PingRequest#recentProbes()} (memory stays bounded however long the ping runs)
 * @param hostname the address's host name by reverse DNS ({@link LookupStatus#OFF} without enrichment)
 * @param asn the address's AS ({@link LookupStatus#OFF} without enrichment)
 * @param location where the address is by the tracer's GeoIP databases ({@link LookupStatus#OFF} without one)
 * @param exchange the Internet exchange whose peering LAN holds the address, by the tracer's PeeringDB dump
 *     ({@link LookupStatus#OFF} without one)
 */
public record PingTargetResult(int index, String target, Optional<InetAddress> address, PingKind kind,
        String transport, Optional<String> kindNote, Optional<PingError> error, PingStatistics statistics,
        List<PingProbe> recent, Lookup<String> hostname, Lookup<AsnInfo> asn, Lookup<GeoLocation> location,
        Lookup<Exchange> exchange) {
    /**
     * Checks the components (see the record's description) and copies {@code recent}.
     *
     * @param index the target's place in {@link PingRequest#targets()}, from 0
     * @param target the target as given
     * @param address the address probed; empty when it did not resolve
     * @param kind the kind of probe sent (for the automatic choice, the one chosen: ICMP, else UDP)
     * @param transport the transport that sent them ("" when none was chosen)
     * @param kindNote why the automatic choice did not use its first kind, if it did not, in one line naming what
     *     would let it be used; {@code fell back to UDP: ...} for a UDP ping it fell back to
     * @param error what went wrong for this target, if anything: an unknown name or missing transport (then
     *     nothing was sent), or the last ICMP error or send failure (then the statistics count it)
     * @param statistics its counters and RTT statistics
     * @param recent the most recent probes with their outcome, in send order: at most
     *     {@link PingRequest#recentProbes()} (memory stays bounded however long the ping runs)
     * @param hostname the address's host name by reverse DNS ({@link LookupStatus#OFF} without enrichment)
     * @param asn the address's AS ({@link LookupStatus#OFF} without enrichment)
     * @param location where the address is by the tracer's GeoIP databases
     * @param exchange the Internet exchange whose peering LAN holds the address
     * @throws NullPointerException if a component other than {@code index} is null, or {@code recent} holds
     *     null
     */
    public PingTargetResult {
        Checks.nonNull("target", target, "address", address, "kind", kind, "transport", transport, "kindNote", kindNote,
                "error", error, "statistics", statistics, "hostname", hostname, "asn", asn, "location", location,
                "exchange", exchange);
        recent = List.copyOf(recent);
    }

    /**
     * A result without enrichment (both lookups {@link LookupStatus#OFF}).
     *
     * @param index the target's place in {@link PingRequest#targets()}, from 0
     * @param target the target as given
     * @param address the address probed; empty when it did not resolve
     * @param kind the kind of probe sent (for the automatic choice, the one chosen: ICMP, else UDP)
     * @param transport the transport that sent them ("" when none was chosen)
     * @param kindNote why the automatic choice did not use its first kind, if it did not, in one line naming what
     *     would let it be used; {@code fell back to UDP: ...} for a UDP ping it fell back to
     * @param error what went wrong for this target, if anything: an unknown name or missing transport (then
     *     nothing was sent), or the last ICMP error or send failure (then the statistics count it)
     * @param statistics its counters and RTT statistics
     * @param recent the most recent probes with their outcome, in send order: at most
     *     {@link PingRequest#recentProbes()} (memory stays bounded however long the ping runs)
     */
    public PingTargetResult(int index, String target, Optional<InetAddress> address, PingKind kind,
            String transport, Optional<String> kindNote, Optional<PingError> error, PingStatistics statistics,
            List<PingProbe> recent) {
        this(index, target, address, kind, transport, kindNote, error, statistics, recent, Lookup.off(), Lookup.off(),
                Lookup.off(), Lookup.off());
    }

    /**
     * {@return this result with these lookups (its location and exchange kept)}
     *
     * @param hostname the address's host name by reverse DNS
     * @param asn the address's AS
     */
    public PingTargetResult withLookups(Lookup<String> hostname, Lookup<AsnInfo> asn) {
        return new PingTargetResult(index, target, address, kind, transport, kindNote, error, statistics, recent,
                hostname, asn, location, exchange);
    }

    /**
     * {@return this result with these lookups}
     *
     * @param hostname the address's host name by reverse DNS
     * @param asn the address's AS
     * @param location where the address is by the GeoIP databases
     * @param exchange the Internet exchange whose peering LAN holds the address
     */
    public PingTargetResult withLookups(Lookup<String> hostname, Lookup<AsnInfo> asn, Lookup<GeoLocation> location,
            Lookup<Exchange> exchange) {
        return new PingTargetResult(index, target, address, kind, transport, kindNote, error, statistics, recent,
                hostname, asn, location, exchange);
    }

    /**
     * {@return what the ping cost this target ({@link ProbeCost}): every probe sent to it asked it to answer, and its
     * answers received; the target is the one "router" listed (no known router if it never resolved)}
     */
    public ProbeCost cost() {
        return ProbeCost.tally().target(address, statistics.sent(), statistics.received()).build();
    }

    /** {@return whether the destination answered at least one probe in time} */
    public boolean answered() {
        return statistics.received() > 0;
    }

    /**
     * As fping -c prints it: {@code "198.19.0.1 : xmt/rcv/%loss = 5/5/0%, min/avg/max = 0.03/0.04/0.05"}, where
     * xmt counts the decided probes (received or lost); {@code " [3 rate-limited, not loss]"} after the loss
     * when some probes were rate-limited; the last error last ({@code " [from 198.18.0.2: network unreachable]"}).
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(target).append(" : ");
        if (statistics.sent() == 0 && error.isPresent()) {
            return b.append(error.get().message()).toString();
        }
        long decided = statistics.received() + statistics.lost();
        b.append(String.format(Locale.ROOT, "xmt/rcv/%%loss = %d/%d/%d%%", decided, statistics.received(),
                Math.round(statistics.loss() * 100)));
        if (statistics.duplicates() > 0) {
            b.append(" [").append(statistics.duplicates()).append(" dup]");
        }
        if (statistics.rateLimited() > 0) {
            b.append(" [").append(statistics.rateLimited()).append(" rate-limited, not loss]");
        }
        if (statistics.mayBeRefused() > 0) {
            b.append(String.format(Locale.ROOT, " [loss %d-%d%%: %d may be refusals]",
                    Math.round(statistics.lossLow() * 100), Math.round(statistics.lossHigh() * 100),
                    statistics.mayBeRefused()));
        }
        statistics.rtt().ifPresent(r -> b.append(String.format(Locale.ROOT, ", min/avg/max = %.3f/%.3f/%.3f",
                r.min().toNanos() / 1e6, r.avg().toNanos() / 1e6, r.max().toNanos() / 1e6)));
        error.ifPresent(e -> b.append(" [").append(e.message()).append(']')); // as fping names an ICMP error
        return b.toString();
    }
}
