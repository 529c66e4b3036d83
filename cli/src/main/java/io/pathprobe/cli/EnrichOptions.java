package io.pathprobe.cli;

import io.pathprobe.EnrichMode;
import io.pathprobe.PathTracerBuilder;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The enrichment options of trace, ping and multipath: {@code --dns-server}, {@code --stun-server}, {@code --no-enrich}. */
final class EnrichOptions {
    @Option(names = "--dns-server", paramLabel = "ADDR[:PORT]",
            description = "DNS server for host names (PTR) and AS numbers (Team Cymru TXT), e.g. 192.0.2.53 or "
                    + "[2001:db8::53]:5353 (default: the system's resolver).")
    @Nullable String dnsServer;

    @Option(names = "--stun-server", paramLabel = "ADDR[:PORT]",
            description = "STUN server that tells this host its public address (default: none is asked; port 3478).")
    @Nullable String stunServer;

    @Option(names = "--no-enrich", description = "No host names, AS numbers, segments nor public address: "
            + "no DNS or STUN query is sent.")
    boolean noEnrich;

    @Option(names = "--lookup-timeout", paramLabel = "DURATION", converter = PathProbeCli.DurationConverter.class,
            description = "Longest one lookup may take, and the longest the result waits for lookups (default 2s).")
    @Nullable Duration lookupTimeout;

    /** Sets the tracer's enrichment; a malformed server address fails here (exit 2). */
    void apply(PathTracerBuilder b) {
        if (noEnrich) {
            if (dnsServer != null || stunServer != null) {
                throw new IllegalArgumentException("--no-enrich excludes --dns-server and --stun-server");
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
    }

    boolean enabled() {
        return !noEnrich;
    }

    EnrichMode mode() {
        return noEnrich ? EnrichMode.OFF : EnrichMode.AWAIT;
    }
}
