package io.pathprobe.cli;

import io.pathprobe.enrich.EnrichMode;
import io.pathprobe.PathTracerBuilder;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The enrichment options of trace, ping and multipath: {@code --dns-server}, {@code --stun-server},
 * {@code -A}, {@code --no-enrich}. Host names are looked up by default; AS numbers only with {@code -A}
 * (as traceroute -A and mtr -z): they ask a third party (Team Cymru) about every hop's address.
 */
final class EnrichOptions {
    @Option(names = "--dns-server", paramLabel = "ADDR[:PORT]",
            description =
                    "DNS server for host names (PTR) and, with -A, AS numbers (Team Cymru TXT), e.g. 192.0.2.53 or "
                    + "[2001:db8::53]:5353 (default: the system's resolver).")
    @Nullable String dnsServer;

    @Option(names = "--stun-server", paramLabel = "ADDR[:PORT]",
            description = "STUN server that tells this host its public address (default: none is asked; port 3478).")
    @Nullable String stunServer;

    @Option(names = {"-A", "--as-lookups"}, description = "Look up each hop's AS number in Team Cymru's public "
            + "IP-to-ASN DNS zone (every hop's address goes to Team Cymru), as traceroute -A and mtr -z do.")
    boolean asLookups;

    @Option(names = "--no-enrich", description = "No host names, AS numbers, segments nor public address: "
            + "no DNS or STUN query is sent.")
    boolean noEnrich;

    @Option(names = "--lookup-timeout", paramLabel = "DURATION", converter = PathProbeCli.DurationConverter.class,
            description = "Longest one lookup may take, and the longest the result waits for lookups (default 2s).")
    @Nullable Duration lookupTimeout;

    /**
     * {@code -n} of trace and mtr (traceroute's and mtr's): addresses only. Alone it is {@code --no-enrich} (no DNS
     * query at all); with {@code -A} or {@code --stun-server} those lookups run (the library looks names up with
     * them) and the text output shows no names.
     */
    boolean numeric;

    /** Whether {@code -n} turns every lookup off: nothing but names would have been looked up. */
    private boolean off() {
        return noEnrich || numeric && !asLookups && stunServer == null;
    }

    /** Sets the tracer's enrichment; a malformed server address fails here (exit 2). */
    void apply(PathTracerBuilder b) {
        if (!noEnrich && off()) {
            b.offline(); // -n alone: a --dns-server would serve names only, and none are wanted
            return;
        }
        if (noEnrich) {
            if (dnsServer != null || stunServer != null || asLookups) {
                throw new IllegalArgumentException("--no-enrich excludes --dns-server, --stun-server and -A");
            }
            b.offline();
            return;
        }
        if (dnsServer != null) {
            b.dnsServer(dnsServer);
        }
        if (stunServer != null) {
            b.stunServer(stunServer);
        }
        if (lookupTimeout != null) {
            b.lookupTimeout(lookupTimeout);
        }
        if (asLookups) {
            b.teamCymruAsnLookups();
        }
    }

    /** Whether AS numbers are looked up (-A): only then has the table an AS column. */
    boolean asLookups() {
        return asLookups && !noEnrich;
    }

    boolean enabled() {
        return !off();
    }

    /** Whether the text output names hosts: not with {@code -n} nor {@code --no-enrich}. */
    boolean namesShown() {
        return !off() && !numeric;
    }

    EnrichMode mode() {
        return off() ? EnrichMode.OFF : EnrichMode.AWAIT;
    }
}
