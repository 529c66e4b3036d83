package io.pathprobe.core.internal.lookup;

import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.EnrichmentStatistics;
import io.pathprobe.enrich.Exchange;
import io.pathprobe.enrich.GeoLocation;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.PublicAddress;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A tracer's lookups, shared by its measurements (caches, one lookup in flight per key). Every future
 * completes normally, with a {@link Lookup} (problems are data: FAILED), within the lookup timeout,
 * never on the engine thread; a method may be called from any thread but the engine's and must not
 * block.
 */
public interface HostLookups extends AutoCloseable {
    /** The host name of {@code address} by reverse DNS. */
    CompletableFuture<Lookup<String>> hostname(InetAddress address);

    /** The AS of {@code address}. */
    CompletableFuture<Lookup<AsnInfo>> asn(InetAddress address);

    /** Where {@code address} is by the tracer's GeoIP databases; OFF without one. */
    default CompletableFuture<Lookup<GeoLocation>> location(InetAddress address) {
        return CompletableFuture.completedFuture(Lookup.off());
    }

    /** The Internet exchange whose peering LAN holds {@code address}, by the PeeringDB dumps; OFF without one. */
    default CompletableFuture<Lookup<Exchange>> exchange(InetAddress address) {
        return CompletableFuture.completedFuture(Lookup.off());
    }

    /** This host's public address for the family, by STUN; OFF when no STUN server is configured. */
    CompletableFuture<Lookup<PublicAddress>> publicAddress(boolean ipv6);

    /** How long one lookup may take. */
    Duration timeout();

    /**
     * What an AWAIT result waits beyond {@link #timeout()}: a lookup that runs into its own timeout
     * (a STUN server that never answers, DNS timeouts) fails a little after it, on its I/O thread and
     * the executor; without this margin it raced the wait and was reported PENDING instead of FAILED
     * with its reason.
     */
    Duration AWAIT_GRACE = Duration.ofMillis(100);

    /** The longest an AWAIT result waits for lookups after probing: the timeout and {@link #AWAIT_GRACE}. */
    default Duration awaitLimit() {
        return timeout().isZero() ? Duration.ZERO : timeout().plus(AWAIT_GRACE);
    }

    /** Whether lookups are made at all (false: offline). */
    boolean enabled();

    EnrichmentStatistics statistics();

    /** Releases sockets and threads; lookups still running end FAILED. Idempotent. */
    @Override
    void close();

    /** No lookups: every one is OFF. */
    HostLookups OFF = new HostLookups() {
        @Override
        public CompletableFuture<Lookup<String>> hostname(InetAddress address) {
            return CompletableFuture.completedFuture(Lookup.off());
        }

        @Override
        public CompletableFuture<Lookup<AsnInfo>> asn(InetAddress address) {
            return CompletableFuture.completedFuture(Lookup.off());
        }

        @Override
        public CompletableFuture<Lookup<PublicAddress>> publicAddress(boolean ipv6) {
            return CompletableFuture.completedFuture(Lookup.off());
        }

        @Override
        public Duration timeout() {
            return Duration.ZERO;
        }

        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public EnrichmentStatistics statistics() {
            return EnrichmentStatistics.NONE;
        }

        @Override
        public void close() {}

        @Override
        public String toString() {
            return "HostLookups.OFF";
        }
    };
}
