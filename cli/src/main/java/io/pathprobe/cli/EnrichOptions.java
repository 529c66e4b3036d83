package io.pathprobe.cli;

import io.pathprobe.EnrichmentDataException;
import io.pathprobe.PathTracer;
import io.pathprobe.PathTracerBuilder;
import io.pathprobe.enrich.EnrichMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The enrichment options of trace, ping, mtr and multipath: {@code -n}, {@code --dns-server}, {@code --stun-server},
 * {@code -A}, {@code --no-enrich}, {@code --geoip}, {@code --ixp}. Host names are looked up by default; AS numbers
 * only with {@code -A} (as traceroute -A and mtr -z): they ask a third party (Team Cymru) about every hop's address.
 * GeoIP databases and PeeringDB dumps are local files: they ask no one, and work with {@code --no-enrich} too.
 */
final class EnrichOptions {
    @Option(names = {"--geoip", "--geoip-mmdb-file"}, paramLabel = "FILE",
            description = "GeoIP database (mmdb: MaxMind GeoLite2/GeoIP2 City, Country or ASN, IPinfo) placing each "
                    + "hop (country, city); read locally, nothing is sent. Repeatable (e.g. a City and an ASN "
                    + "database); an ASN database gives the AS numbers when -A is not given.")
    List<Path> geoip = new ArrayList<>();

    @Option(names = {"--ixp", "--peeringdb"}, paramLabel = "FILE",
            description = "PeeringDB dump (JSON with ix, ixlan, ixpfx, netixlan, as CAIDA's archive keeps them) naming "
                    + "the Internet exchange of each hop on an IX peering LAN; read locally. Repeatable.")
    List<Path> ixp = new ArrayList<>();

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.@Nullable CommandSpec mixee;

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

    @ApiWord("lookupTimeout")
    @Option(names = "--lookup-timeout", paramLabel = "DURATION", converter = PathProbeCli.DurationConverter.class,
            description = "Longest one lookup may take, and the longest the result waits for lookups (default 2s).")
    @Nullable Duration lookupTimeout;

    /**
     * {@code -n} of every command that looks names up (traceroute's, mtr's, ping's): addresses only. Alone it is
     * {@code --no-enrich} (no DNS query at all); with {@code -A} or {@code --stun-server} those lookups run (the
     * library looks names up with them) and the text output shows no names.
     */
    @Option(names = "-n", description = "No host names: addresses only, as traceroute -n, mtr -n and ping -n (no PTR "
            + "query is sent unless -A asks for AS numbers; the names are then looked up all the same, and not "
            + "shown).")
    boolean numeric;

    /** Whether {@code -n} turns every lookup off: nothing but names would have been looked up. */
    private boolean off() {
        return noEnrich || numeric && !asLookups && stunServer == null;
    }

    /** Sets the tracer's enrichment; a malformed server address fails here (exit 2). */
    void apply(PathTracerBuilder b) {
        geoip.forEach(b::geoDatabase); // local files: with --no-enrich and -n too (they send nothing)
        ixp.forEach(b::peeringDbDump);
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

    /** Whether AS numbers are looked up (-A). */
    boolean asLookups() {
        return asLookups && !noEnrich;
    }

    /** Whether the table has an AS column: with -A, or a GeoIP database (which may have AS numbers). */
    boolean asColumn() {
        return asLookups() || !geoip.isEmpty();
    }

    /** Whether local files (GeoIP, PeeringDB) are read. */
    boolean localFiles() {
        return !geoip.isEmpty() || !ixp.isEmpty();
    }

    boolean enabled() {
        return !off() || localFiles();
    }

    /**
     * The tracer {@code first} builds; when one of the local files cannot be used ({@link EnrichmentDataException}:
     * missing, unreadable, corrupt, truncated), one line on stderr says which and why, and the tracer is built
     * again without it ({@code again}: the command's builder with these options): the measurement runs, its exit
     * status is not changed by the file.
     */
    PathTracer build(PathTracerBuilder first, Supplier<PathTracerBuilder> again) {
        PathTracer replaying = ReplayCommand.replaying();
        if (replaying != null) {
            return replaying; // the command runs again on a replay: its tracer replays the recording
        }
        PathTracerBuilder b = first;
        while (true) {
            try {
                return b.build();
            } catch (EnrichmentDataException e) {
                if (!geoip.remove(e.file()) && !ixp.remove(e.file())) {
                    throw e;
                }
                PathProbeCli.error(mixee, e.getMessage() + "; going on without it");
                b = again.get();
            }
        }
    }

    /** Whether the text output names hosts: not with {@code -n} nor {@code --no-enrich}. */
    boolean namesShown() {
        return !off() && !numeric;
    }

    EnrichMode mode() {
        return enabled() ? EnrichMode.AWAIT : EnrichMode.OFF;
    }
}
