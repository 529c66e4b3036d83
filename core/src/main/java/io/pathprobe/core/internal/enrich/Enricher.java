package io.pathprobe.core.internal.enrich;

import io.pathprobe.core.internal.io.NettyLoops;
import io.pathprobe.core.internal.runtime.Ticker;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.spi.AsnResolver;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Enrichment for one tracer: host names, AS numbers and the public address, cached, asynchronous,
 * never failing towards the caller (every outcome is a {@link LookupOutcome}).
 *
 * <p>Owns one {@link UdpExchanges} (on the tracer's Netty I/O group, {@link NettyLoops#io()}: no thread of
 * its own; created unless offline) and four
 * {@link EnrichmentCache}s (host names by address, AS answers by address, AS names by number, public
 * addresses by family). Futures complete on the tracer's executor; a user's {@link AsnResolver} is
 * called on that executor too, never on the caller's thread.
 *
 * <p>Offline: nothing is created or asked; every lookup is {@link LookupOutcome.Offline} at once.
 */
public final class Enricher implements AutoCloseable {
    /** How long a public address found by STUN is kept. */
    public static final Duration PUBLIC_ADDRESS_TTL = Duration.ofMinutes(5);

    /**
     * How to enrich.
     *
     * @param dnsServers the DNS servers; empty: the system's (dnsjava's {@code ResolverConfig})
     * @param dnsTimeout per DNS query attempt
     * @param dnsRetries DNS attempts after the first
     * @param offline no lookups at all
     * @param asnResolver a user's AS resolver; null: Team Cymru over {@code dnsServers} in {@code cymruZone}
     * @param cymruZone the Cymru zone ({@link CymruAsnResolver#DEFAULT_ZONE})
     * @param stunServers STUN servers (the first of the asked family is used); empty: no public address
     * @param stunRto the first STUN retransmission interval
     * @param stunTimeout a STUN transaction at most
     * @param limits the caches' bounds
     */
    public record Config(List<InetSocketAddress> dnsServers, Duration dnsTimeout, int dnsRetries, boolean offline,
            @Nullable AsnResolver asnResolver, String cymruZone, List<InetSocketAddress> stunServers, Duration stunRto,
            Duration stunTimeout, EnrichmentCache.Limits limits) {
        public Config {
            dnsServers = List.copyOf(dnsServers);
            stunServers = List.copyOf(stunServers);
            Objects.requireNonNull(dnsTimeout, "dnsTimeout");
            Objects.requireNonNull(cymruZone, "cymruZone");
            Objects.requireNonNull(stunRto, "stunRto");
            Objects.requireNonNull(stunTimeout, "stunTimeout");
            Objects.requireNonNull(limits, "limits");
            for (InetSocketAddress s : stunServers) {
                if (s.isUnresolved() || s.getPort() == 0) {
                    throw new IllegalArgumentException("a STUN server must be an address with a port: " + s);
                }
            }
            if (stunRto.isNegative() || stunRto.isZero() || stunTimeout.isNegative() || stunTimeout.isZero()) {
                throw new IllegalArgumentException("stunRto and stunTimeout must be positive");
            }
            if (!dnsServers.isEmpty()) {
                // validates addresses, ports, timeout, retries
                new DnsClient.Config(dnsServers, dnsTimeout, dnsRetries, DnsClient.Config.MAX_NEGATIVE_TTL,
                        DnsClient.Config.DEFAULT_NEGATIVE_TTL);
            }
        }

        /** The system's DNS servers, 2 s per attempt, 1 retry, Team Cymru, no STUN, default limits. */
        public static Config defaults() {
            return new Config(List.of(), Duration.ofSeconds(2), 1, false, null,
                    CymruAsnResolver.DEFAULT_ZONE, List.of(),
                    StunClient.DEFAULT_RTO, StunClient.DEFAULT_TIMEOUT, EnrichmentCache.Limits.DEFAULT);
        }

        public Config withDnsServer(InetSocketAddress server) {
            return new Config(List.of(server), dnsTimeout, dnsRetries, offline, asnResolver,
                    cymruZone, stunServers, stunRto,
                    stunTimeout, limits);
        }

        public Config withDnsTimeout(Duration timeout, int retries) {
            return new Config(dnsServers, timeout, retries, offline, asnResolver, cymruZone, stunServers, stunRto,
                    stunTimeout, limits);
        }

        public Config withOffline(boolean off) {
            return new Config(dnsServers, dnsTimeout, dnsRetries, off, asnResolver, cymruZone, stunServers, stunRto,
                    stunTimeout, limits);
        }

        public Config withAsnResolver(@Nullable AsnResolver resolver) {
            return new Config(dnsServers, dnsTimeout, dnsRetries, offline, resolver, cymruZone, stunServers, stunRto,
                    stunTimeout, limits);
        }

        public Config withCymruZone(String zone) {
            return new Config(dnsServers, dnsTimeout, dnsRetries, offline, asnResolver, zone, stunServers, stunRto,
                    stunTimeout, limits);
        }

        public Config withStun(List<InetSocketAddress> servers, Duration rto, Duration timeout) {
            return new Config(dnsServers, dnsTimeout, dnsRetries, offline, asnResolver,
                    cymruZone, servers, rto, timeout,
                    limits);
        }

        public Config withLimits(EnrichmentCache.Limits l) {
            return new Config(dnsServers, dnsTimeout, dnsRetries, offline, asnResolver, cymruZone, stunServers, stunRto,
                    stunTimeout, l);
        }
    }

    /**
     * Counters.
     *
     * @param hostnames the host-name cache
     * @param asns the AS cache (by address)
     * @param asNames the AS-name cache (by number; Team Cymru only)
     * @param publicAddresses the public-address cache (by family)
     * @param dnsQueries DNS query datagrams sent (retries and retransmissions included)
     * @param datagrams datagrams sent (DNS and STUN, retransmissions included)
     * @param openSockets sockets open now
     */
    public record Stats(EnrichmentCache.Stats hostnames, EnrichmentCache.Stats asns, EnrichmentCache.Stats asNames,
            EnrichmentCache.Stats publicAddresses, long dnsQueries, long datagrams, int openSockets) {}

    private static final EnrichmentCache.Stats NO_STATS = new EnrichmentCache.Stats(0, 0, 0, 0, 0, 0, 0);

    private final Config config;
    private final Executor executor;
    private final @Nullable UdpExchanges loop;
    private final @Nullable DnsClient dns;
    private final @Nullable String dnsUnavailable;
    private final @Nullable EnrichmentCache<InetAddress, String> hostnames;
    private final @Nullable EnrichmentCache<InetAddress, AsnInfo> asns;
    private final @Nullable EnrichmentCache<Long, CymruAsnResolver.AsName> asNames;
    private final @Nullable EnrichmentCache<StandardProtocolFamily, StunMapping> publicAddresses;

    private Enricher(Config config, Ticker ticker, Ticker network, Executor executor, @Nullable NettyLoops loops) {
        this.config = config;
        this.executor = executor;
        if (config.offline()) {
            loop = null;
            dns = null;
            dnsUnavailable = "offline";
            hostnames = null;
            asns = null;
            asNames = null;
            publicAddresses = null;
            return;
        }
        DnsClient.Config dc = null;
        String unavailable = null;
        try {
            dc = config.dnsServers().isEmpty() ? DnsClient.Config.system(config.dnsTimeout(), config.dnsRetries())
                    : new DnsClient.Config(config.dnsServers(), config.dnsTimeout(), config.dnsRetries(),
                            DnsClient.Config.MAX_NEGATIVE_TTL, DnsClient.Config.DEFAULT_NEGATIVE_TTL);
        } catch (RuntimeException e) {
            unavailable = "no DNS server: " + e.getMessage();
        }
        this.dnsUnavailable = unavailable;
        if (unavailable != null) {
            System.getLogger("io.pathprobe.enrichment").log(System.Logger.Level.INFO,
                    "enrichment: reverse DNS and AS lookups are off for this tracer (" + unavailable
                    + "); give one with PathTracerBuilder.dnsServer, or build it offline()");
        }
        this.loop = loops == null ? new UdpExchanges(executor, UdpExchanges.DEFAULT_MAX_SOCKETS, network)
                : new UdpExchanges(loops, executor, UdpExchanges.DEFAULT_MAX_SOCKETS, network);
        this.dns = dc == null ? null : new DnsClient(dc, loop);
        EnrichmentCache.Limits limits = config.limits();
        ReverseDns ptr = dns == null ? null : new ReverseDns(dns);
        this.hostnames = new EnrichmentCache<>(a -> ptr == null ? noDns() : ptr.lookup(a), limits, ticker, executor,
                reporter("host name", limits));
        AsnResolver user = config.asnResolver();
        if (user != null) {
            this.asNames = null;
            this.asns = new EnrichmentCache<>(a -> CompletableFuture.supplyAsync(() -> user.lookup(a), executor)
                    .thenCompose(f -> Objects.requireNonNull(f, "AsnResolver.lookup returned null"))
                    .thenApply(Enricher::timed), limits, ticker, executor, reporter("AS", limits));
        } else if (dns == null) {
            this.asNames = null;
            this.asns = new EnrichmentCache<>(a -> noDns(), limits, ticker, executor, reporter("AS", limits));
        } else {
            CymruAsnResolver direct = new CymruAsnResolver(dns, config.cymruZone());
            EnrichmentCache<Long, CymruAsnResolver.AsName> names =
                    new EnrichmentCache<>(direct::lookupName, limits, ticker, executor, reporter("AS name", limits));
            this.asNames = names;
            CymruAsnResolver cymru = new CymruAsnResolver(dns, config.cymruZone(), names::get);
            this.asns = new EnrichmentCache<>(a -> cymru.lookup(a).thenApply(Enricher::timed), limits, ticker, executor,
                    reporter("AS", limits));
        }
        StunClient stun = new StunClient(loop);
        EnrichmentCache.Limits stunLimits = new EnrichmentCache.Limits(4, Duration.ZERO, PUBLIC_ADDRESS_TTL,
                limits.maxNegativeTtl(), limits.failureTtl());
        this.publicAddresses = new EnrichmentCache<>(family -> {
            Optional<InetSocketAddress> server = config.stunServers().stream()
                    .filter(s -> (s.getAddress() instanceof Inet6Address) == (family == StandardProtocolFamily.INET6))
                    .findFirst();
            if (server.isEmpty()) {
                return CompletableFuture.completedFuture(Timed.notFound(PUBLIC_ADDRESS_TTL));
            }
            return stun.bind(server.get(), config.stunRto(), config.stunTimeout())
                    .thenApply(p -> Timed.found(p, PUBLIC_ADDRESS_TTL));
        }, stunLimits, ticker, executor, reporter("public address", stunLimits));
    }

    private static final System.Logger FAILURES = System.getLogger("io.pathprobe.enrichment");

    /**
     * Reports a failed lookup once, when it fails: the cache keeps the failure for the failure TTL, so
     * the same key is reported at most once per that period however many hops and traces ask.
     */
    private static <K> java.util.function.BiConsumer<K, Throwable> reporter(String what,
            EnrichmentCache.Limits limits) {
        return (key, failure) -> FAILURES.log(System.Logger.Level.DEBUG, () -> "enrichment: the " + what + " lookup of "
                + (key instanceof InetAddress a ? a.getHostAddress() : key) + " failed: " + failure.getMessage()
                + (limits.failureTtl().isZero() ? ""
                        : "; not asked again for " + limits.failureTtl().toSeconds() + " s"));
    }

    /**
     * An enricher for one tracer. Network timeouts run on {@link Ticker#SYSTEM} whatever {@code ticker}
     * is: a tracer's clock may be fake (a test of cache expiry) while its lookups go to real servers,
     * which answer or stay silent in real time.
     *
     * @param ticker the tracer's clock (cache expiry)
     * @param executor the tracer's executor: futures complete there, user resolvers run there
     */
    public static Enricher create(Config config, Ticker ticker, Executor executor) {
        return create(config, ticker, Ticker.SYSTEM, executor);
    }

    /**
     * An enricher for one tracer whose DNS and STUN exchanges run on the tracer's Netty I/O group
     * ({@code loops}, closed by the tracer after this), as {@link #create(Config, Ticker, Executor)}.
     */
    public static Enricher create(Config config, Ticker ticker, Executor executor, NettyLoops loops) {
        return new Enricher(Objects.requireNonNull(config, "config"), Objects.requireNonNull(ticker, "ticker"),
                Ticker.SYSTEM, Objects.requireNonNull(executor, "executor"), Objects.requireNonNull(loops, "loops"));
    }

    /**
     * An enricher whose network timeouts and retransmissions run on {@code network}: for tests on fake
     * time, which move it and then call {@code checkTimers()} on {@link #loop()}. Its exchanges run on
     * Netty loops of its own (one I/O thread), closed with it.
     */
    static Enricher create(Config config, Ticker ticker, Ticker network, Executor executor) {
        return new Enricher(Objects.requireNonNull(config, "config"), Objects.requireNonNull(ticker, "ticker"),
                Objects.requireNonNull(network, "network"), Objects.requireNonNull(executor, "executor"), null);
    }

    public Config config() {
        return config;
    }

    /** The host name of {@code address} (PTR, IPv4 or IPv6). */
    public CompletableFuture<LookupOutcome<String>> hostname(InetAddress address) {
        Objects.requireNonNull(address, "address");
        EnrichmentCache<InetAddress, String> c = hostnames;
        return c == null ? offline() : lookup(c.get(address));
    }

    /** The AS of {@code address} (Team Cymru or the configured resolver). */
    public CompletableFuture<LookupOutcome<AsnInfo>> asn(InetAddress address) {
        Objects.requireNonNull(address, "address");
        EnrichmentCache<InetAddress, AsnInfo> c = asns;
        return c == null ? offline() : lookup(c.get(address));
    }

    /**
     * This host's public address of {@code family} (INET or INET6) by STUN; NOT_FOUND when no STUN
     * server of that family is configured.
     */
    public CompletableFuture<LookupOutcome<StunMapping>> publicAddress(StandardProtocolFamily family) {
        Objects.requireNonNull(family, "family");
        if (family != StandardProtocolFamily.INET && family != StandardProtocolFamily.INET6) {
            return CompletableFuture.completedFuture(new LookupOutcome.Failed<>("not an IP family: " + family));
        }
        EnrichmentCache<StandardProtocolFamily, StunMapping> c = publicAddresses;
        return c == null ? offline() : lookup(c.get(family));
    }

    /**
     * Whether a lookup may leave this host: a DNS server that is not left out ({@link DnsClient#mayAsk}: the route
     * lookup of its first use is done here), or a STUN server. False offline.
     */
    public boolean mayAsk() {
        DnsClient d = dns;
        return loop != null && (!config.stunServers().isEmpty() || d != null && d.mayAsk());
    }

    /** The I/O loop (null when offline), for tests on fake network time. */
    @Nullable UdpExchanges loop() {
        return loop;
    }

    /** The counters now. */
    public Stats stats() {
        UdpExchanges l = loop;
        DnsClient d = dns;
        return new Stats(stats(hostnames), stats(asns), stats(asNames), stats(publicAddresses),
                d == null ? 0 : d.queriesSent(), l == null ? 0 : l.datagramsSent(), l == null ? 0 : l.openSockets());
    }

    /**
     * Fails the lookups in flight ("enrichment is closed") and closes every socket (and its own Netty loops, if any).
     */
    @Override
    public void close() {
        UdpExchanges l = loop;
        if (l != null) {
            l.close();
        }
    }

    private static EnrichmentCache.Stats stats(@Nullable EnrichmentCache<?, ?> c) {
        return c == null ? NO_STATS : c.stats();
    }

    private <T> CompletableFuture<Timed<T>> noDns() {
        return CompletableFuture.failedFuture(new DnsException(DnsException.Kind.IO, String.valueOf(dnsUnavailable)));
    }

    private static <T> CompletableFuture<LookupOutcome<T>> offline() {
        return CompletableFuture.completedFuture(new LookupOutcome.Offline<>());
    }

    private static Timed<AsnInfo> timed(AsnResolver.Answer a) {
        return new Timed<>(a.asn(), a.ttl());
    }

    /** Maps a cache future to a {@link LookupOutcome}; the returned future never fails. */
    private static <T> CompletableFuture<LookupOutcome<T>> lookup(CompletableFuture<Timed<T>> f) {
        return f.handle((v, t) -> {
            if (t != null) {
                Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
                String m = c.getMessage();
                return new LookupOutcome.Failed<>(m == null || m.isBlank() ? c.getClass().getSimpleName() : m);
            }
            return v.value().<LookupOutcome<T>>map(LookupOutcome.Found::new).orElseGet(LookupOutcome.NotFound::new);
        });
    }
}
