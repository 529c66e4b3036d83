package io.pathprobe.core.internal.lookup;

import io.pathprobe.core.internal.enrich.Enricher;
import io.pathprobe.core.internal.enrich.EnrichmentCache;
import io.pathprobe.core.internal.enrich.LocalData;
import io.pathprobe.core.internal.enrich.LookupOutcome;
import io.pathprobe.core.internal.runtime.Ticker;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.EnrichmentStatistics;
import io.pathprobe.enrich.Exchange;
import io.pathprobe.enrich.GeoLocation;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.PublicAddress;
import io.pathprobe.internal.EnrichmentSettings;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * {@link HostLookups} backed by the {@link Enricher} (dnsjava, Caffeine, STUN): its results as public {@link Lookup}s.
 */
public final class EnricherLookups implements HostLookups {
    private final Enricher enricher;
    private final Duration timeout;
    private final boolean stun;
    private final boolean asn;
    private final @Nullable LocalData local;
    private final @Nullable EnrichmentCache<InetAddress, GeoLocation> locations;
    private final @Nullable EnrichmentCache<InetAddress, Exchange> exchanges;
    private final @Nullable EnrichmentCache<InetAddress, AsnInfo> localAsns;

    private EnricherLookups(Enricher enricher, Duration timeout, boolean stun, boolean asn, @Nullable LocalData local,
            Ticker ticker, Executor executor) {
        this.enricher = enricher;
        this.timeout = timeout;
        this.stun = stun;
        this.asn = asn;
        this.local = local == null || local.isEmpty() ? null : local;
        EnrichmentCache.Limits limits = enricher.config().limits();
        LocalData l = this.local;
        // the same Caffeine bounds as the network lookups; the loaders read memory and complete at once
        this.locations = l == null || !l.hasGeo() ? null
                : new EnrichmentCache<>(l::location, limits, ticker, executor);
        this.exchanges = l == null || !l.hasExchanges() ? null
                : new EnrichmentCache<>(l::exchange, limits, ticker, executor);
        this.localAsns = l == null || !l.hasAsn() ? null : new EnrichmentCache<>(l::asn, limits, ticker, executor);
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
        return create(s, ticker, executor, loops, LocalData.open(s));
    }

    /**
     * The same, with the local files already opened ({@link LocalData#open}, before the tracer starts threads,
     * so that a file that cannot be used fails the build with nothing to stop); closed with these lookups.
     */
    public static EnricherLookups create(EnrichmentSettings s, Ticker ticker, Executor executor,
            io.pathprobe.core.internal.io.@org.jspecify.annotations.Nullable NettyLoops loops, LocalData local) {
        Enricher.Config c = Enricher.Config.defaults().withDnsTimeout(s.lookupTimeout(), 0)
                .withAsnResolver(s.asnResolver()).withOffline(s.offline());
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
                s.lookupTimeout(), s.stunServer() != null, s.asnLookups(), local, ticker, executor);
    }

    /** Whether a lookup may leave this host: a DNS server with a route, or a STUN server ({@link Enricher#mayAsk}). */
    public boolean mayAsk() {
        return enricher.mayAsk();
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

    /**
     * The AS: the user's resolver or Team Cymru where configured (they take precedence), else a GeoIP database
     * with AS numbers (asks no one), else OFF.
     */
    @Override
    public CompletableFuture<Lookup<AsnInfo>> asn(InetAddress address) {
        if (!asn) {
            EnrichmentCache<InetAddress, AsnInfo> c = localAsns;
            if (c != null) {
                return local(c, address);
            }
            return CompletableFuture.completedFuture(Lookup.off()); // not asked for: nothing goes to a third party
        }
        return adapt(enricher.asn(address), Function.identity());
    }

    @Override
    public CompletableFuture<Lookup<GeoLocation>> location(InetAddress address) {
        EnrichmentCache<InetAddress, GeoLocation> c = locations;
        return c == null ? CompletableFuture.completedFuture(Lookup.off()) : local(c, address);
    }

    @Override
    public CompletableFuture<Lookup<Exchange>> exchange(InetAddress address) {
        EnrichmentCache<InetAddress, Exchange> c = exchanges;
        return c == null ? CompletableFuture.completedFuture(Lookup.off()) : local(c, address);
    }

    private static <T> CompletableFuture<Lookup<T>> local(EnrichmentCache<InetAddress, T> cache, InetAddress a) {
        return cache.get(a).handle((t, e) -> e != null ? Lookup.<T>failed(String.valueOf(e.getMessage()))
                : t.value().map(Lookup::found).orElseGet(Lookup::notFound));
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
        return !enricher.config().offline() || local != null;
    }

    @Override
    public EnrichmentStatistics statistics() {
        Enricher.Stats s = enricher.stats();
        EnrichmentStatistics sum = EnrichmentStatistics.NONE;
        List<EnrichmentCache.Stats> all = new java.util.ArrayList<>(List.of(s.hostnames(), s.asns(), s.asNames(),
                s.publicAddresses()));
        for (EnrichmentCache<?, ?> c : java.util.Arrays.asList(locations, exchanges, localAsns)) {
            if (c != null) {
                all.add(c.stats());
            }
        }
        for (EnrichmentCache.Stats c : all) {
            sum = sum.plus(new EnrichmentStatistics(c.hits(), c.misses(), c.loads(), c.failures(), c.evictions(), 0));
        }
        return sum.plus(new EnrichmentStatistics(0, 0, 0, 0, 0, s.dnsQueries()));
    }

    @Override
    public void close() {
        enricher.close();
        LocalData l = local;
        if (l != null) {
            l.close();
        }
    }

    @Override
    public String toString() {
        return "EnricherLookups{" + enricher.config().dnsServers() + "}";
    }
}
