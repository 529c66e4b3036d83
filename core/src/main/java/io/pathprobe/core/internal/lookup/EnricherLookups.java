package io.pathprobe.core.internal.lookup;

import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.EnrichmentStatistics;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.PublicAddress;
import io.pathprobe.core.internal.enrich.Enricher;
import io.pathprobe.core.internal.enrich.EnrichmentCache;
import io.pathprobe.core.internal.enrich.LookupOutcome;
import io.pathprobe.core.internal.runtime.Ticker;
import io.pathprobe.internal.EnrichmentSettings;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * {@link HostLookups} backed by the {@link Enricher} (dnsjava, Caffeine, STUN): its results as public {@link Lookup}s.
 */
public final class EnricherLookups implements HostLookups {
    private final Enricher enricher;
    private final Duration timeout;
    private final boolean stun;
    private final boolean asn;

    private EnricherLookups(Enricher enricher, Duration timeout, boolean stun, boolean asn) {
        this.enricher = enricher;
        this.timeout = timeout;
        this.stun = stun;
        this.asn = asn;
    }

    /** The tracer's lookups for its settings: its DNS server (or the system's), STUN server, AS resolver, timeout. */
    public static EnricherLookups create(EnrichmentSettings s, Ticker ticker, Executor executor) {
        return create(s, ticker, executor, null);
    }

    /**
     * The same, with the DNS and STUN exchanges on the tracer's Netty I/O group ({@code loops}; else loops of its own).
     */
    public static EnricherLookups create(EnrichmentSettings s, Ticker ticker, Executor executor,
            io.pathprobe.core.internal.io.@org.jspecify.annotations.Nullable NettyLoops loops) {
        Enricher.Config c = Enricher.Config.defaults().withDnsTimeout(s.lookupTimeout(), 0)
                .withAsnResolver(s.asnResolver());
        c = c.withLimits(c.limits().withFailureTtl(s.failureTtl()));
        if (s.dnsServer() != null) {
            c = c.withDnsServer(s.dnsServer());
        }
        if (s.stunServer() != null) {
            java.net.InetSocketAddress stunServer = s.stunServer();
            if (stunServer.isUnresolved()) {
                // a name given by the caller (e.g. PUBLIC_STUN_SERVER): resolved now, as the caller asked
                stunServer = new java.net.InetSocketAddress(stunServer.getHostString(), stunServer.getPort());
            }
            if (!stunServer.isUnresolved()) {
                Duration rto = s.lookupTimeout().dividedBy(8);
                c = c.withStun(List.of(stunServer), rto.isZero() ? Duration.ofMillis(1) : rto, s.lookupTimeout());
            }
        }
        return new EnricherLookups(loops == null ? Enricher.create(c, ticker, executor)
                : Enricher.create(c, ticker, executor, loops),
                s.lookupTimeout(), s.stunServer() != null, s.asnLookups());
    }

    static <T, U> Lookup<U> convert(LookupOutcome<T> l, Function<T, U> f) {
        if (l instanceof LookupOutcome.Found<T> found) {
            return Lookup.found(f.apply(found.value()));
        }
        if (l instanceof LookupOutcome.Failed<T> failed) {
            // logged once per key and failure TTL, where it failed (Enricher), not per hop that asks
            return Lookup.failed(failed.reason());
        }
        if (l instanceof LookupOutcome.Offline<T>) {
            return Lookup.off();
        }
        return Lookup.notFound();
    }

    private static <T, U> CompletableFuture<Lookup<U>> adapt(
            CompletableFuture<LookupOutcome<T>> f, Function<T, U> map) {
        return f.handle((l, e) -> e != null ? Lookup.<U>failed(String.valueOf(e.getMessage())) : convert(l, map));
    }

    @Override
    public CompletableFuture<Lookup<String>> hostname(InetAddress address) {
        return adapt(enricher.hostname(address), Function.identity());
    }

    @Override
    public CompletableFuture<Lookup<AsnInfo>> asn(InetAddress address) {
        if (!asn) {
            return CompletableFuture.completedFuture(Lookup.off()); // not asked for: nothing goes to a third party
        }
        return adapt(enricher.asn(address), Function.identity());
    }

    @Override
    public CompletableFuture<Lookup<PublicAddress>> publicAddress(boolean ipv6) {
        if (!stun) {
            return CompletableFuture.completedFuture(Lookup.off());
        }
        return adapt(enricher.publicAddress(ipv6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET),
                p -> new PublicAddress(p.address(), p.mapped().getPort(), p.server(), p.local().getAddress(),
                        p.behindNat()));
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public boolean enabled() {
        return !enricher.config().offline();
    }

    @Override
    public EnrichmentStatistics statistics() {
        Enricher.Stats s = enricher.stats();
        EnrichmentStatistics sum = EnrichmentStatistics.NONE;
        for (EnrichmentCache.Stats c : List.of(s.hostnames(), s.asns(), s.asNames(), s.publicAddresses())) {
            sum = sum.plus(new EnrichmentStatistics(c.hits(), c.misses(), c.loads(), c.failures(), c.evictions(), 0));
        }
        return sum.plus(new EnrichmentStatistics(0, 0, 0, 0, 0, s.dnsQueries()));
    }

    @Override
    public void close() {
        enricher.close();
    }

    @Override
    public String toString() {
        return "EnricherLookups{" + enricher.config().dnsServers() + "}";
    }
}
