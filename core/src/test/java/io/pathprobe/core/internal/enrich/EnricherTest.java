package io.pathprobe.core.internal.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.sim.RealTimeTracers;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.spi.AsnResolver;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The enricher against in-process servers on loopback. Two fake clocks: {@code ticker} for the caches,
 * {@code network} for DNS and STUN timeouts, which therefore fire only when a test moves it (an answer
 * is never lost to a timeout on a slow machine).
 */
class EnricherTest {
    static final String ZONE = "asn.lab.example";
    final FakeTicker ticker = new FakeTicker();
    final FakeTicker network = new FakeTicker();
    ExecutorService exec;
    ZoneServer dns;
    Enricher enricher;

    @BeforeEach
    void setUp() throws Exception {
        exec = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "tracer-executor");
            t.setDaemon(true);
            return t;
        });
        dns = new ZoneServer();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (enricher != null) {
            enricher.close();
        }
        dns.close();
        exec.shutdownNow();
    }

    Enricher enricher(Enricher.Config c) {
        enricher = Enricher.create(c, ticker, network, exec);
        return enricher;
    }

    Enricher.Config config() {
        return Enricher.Config.defaults().withDnsServer(dns.address()).withDnsTimeout(Duration.ofMillis(300), 1)
                .withCymruZone(ZONE);
    }

    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    static <T> LookupOutcome<T> get(CompletableFuture<LookupOutcome<T>> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    void serveLab(CymruAsnResolver names) throws Exception {
        dns.ptr(ReverseDns.reverseName(ip("198.18.0.1")), "core1.isp.lab.example", 300);
        dns.txt(names.originName(ip("198.18.0.1")), 300, "64500 | 198.18.0.0/24 | ZZ | test | 2024-01-01");
        dns.txt(names.originName(ip("198.18.0.2")), 300, "64500 | 198.18.0.0/24 | ZZ | test | 2024-01-01");
        dns.txt(names.asName(64500), 300, "64500 | ZZ | test | 2024-01-01 | LAB-ISP, ZZ");
    }

    CymruAsnResolver names() {
        return new CymruAsnResolver(new DnsClient(DnsClient.Config.of(dns.address(), Duration.ofSeconds(1), 0), null), ZONE);
    }

    @Test
    void hostnameAndAsnAreCachedForTheirTtl() throws Exception {
        serveLab(names());
        Enricher e = enricher(config());
        assertThat(get(e.hostname(ip("198.18.0.1")))).isEqualTo(new LookupOutcome.Found<>("core1.isp.lab.example"));
        LookupOutcome<AsnInfo> asn = get(e.asn(ip("198.18.0.1")));
        assertThat(asn.found().map(AsnInfo::number)).contains(64500L);
        assertThat(asn.found().flatMap(AsnInfo::name)).contains("LAB-ISP, ZZ");
        assertThat(get(e.asn(ip("198.18.0.2"))).found().map(AsnInfo::number)).contains(64500L);
        int before = dns.queries.get();
        assertThat(before).isEqualTo(4); // PTR, origin, AS name (once for both addresses), origin
        get(e.hostname(ip("198.18.0.1")));
        get(e.asn(ip("198.18.0.1")));
        assertThat(dns.queries.get()).isEqualTo(before);
        awaitQuiet(e); // Caffeine sets an entry's expiry in a callback that may run just after the caller's
        ticker.advance(Duration.ofSeconds(300));
        get(e.hostname(ip("198.18.0.1")));
        get(e.asn(ip("198.18.0.1")));
        assertThat(dns.queries.get()).isEqualTo(before + 3);
        awaitQuiet(e);
        Enricher.Stats s = e.stats();
        assertThat(s.hostnames().misses()).isEqualTo(2);
        assertThat(s.hostnames().hits()).isEqualTo(1);
        assertThat(s.asNames().loads()).isEqualTo(2);
        assertThat(s.dnsQueries()).isEqualTo(7);
        assertThat(s.openSockets()).isZero();
    }

    @Test
    void nxdomainIsCachedBriefly() throws Exception {
        Enricher e = enricher(config());
        assertThat(get(e.hostname(ip("198.18.0.77")))).isEqualTo(new LookupOutcome.NotFound<>());
        get(e.hostname(ip("198.18.0.77")));
        assertThat(dns.queries.get()).isEqualTo(1);
        awaitQuiet(e);
        ticker.advance(Duration.ofSeconds(30)); // the test server's SOA minimum
        get(e.hostname(ip("198.18.0.77")));
        assertThat(dns.queries.get()).isEqualTo(2);
    }

    /**
     * Issue 21: SERVFAIL is kept for the failure TTL (30 s by default): asked again within it, the
     * name sends nothing and fails the same way; after it, it is asked again.
     */
    @Test
    void servfailIsCachedForTheFailureTtl() throws Exception {
        dns.rcode(ReverseDns.reverseName(ip("198.18.0.5")), Type.PTR, Rcode.SERVFAIL);
        Enricher e = enricher(config());
        LookupOutcome<String> l = get(e.hostname(ip("198.18.0.5")));
        assertThat(l).isInstanceOf(LookupOutcome.Failed.class);
        assertThat(((LookupOutcome.Failed<String>) l).reason()).contains("SERVFAIL");
        awaitQuiet(e);
        ticker.advance(EnrichmentCache.Limits.DEFAULT_FAILURE_TTL.minusSeconds(1));
        LookupOutcome<String> again = get(e.hostname(ip("198.18.0.5")));
        assertThat(((LookupOutcome.Failed<String>) again).reason()).contains("SERVFAIL");
        assertThat(dns.queries.get()).as("kept: nothing sent").isEqualTo(1);
        assertThat(e.stats().hostnames().failures()).isEqualTo(1);
        ticker.advance(Duration.ofSeconds(1));
        get(e.hostname(ip("198.18.0.5")));
        assertThat(dns.queries.get()).as("asked again after the failure TTL").isEqualTo(2);
        awaitQuiet(e);
        assertThat(e.stats().hostnames().failures()).isEqualTo(2);
    }

    /**
     * Completions on the loop's thread: a timeout's retry or failure has happened when
     * {@link FakeTicker#advance(UdpExchanges, Duration)} returns.
     */
    @Test
    void dnsDownFailsWithinTheTimeout() throws Exception {
        InetSocketAddress silent;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            silent = (InetSocketAddress) s.getLocalSocketAddress();
            // a socket that never answers
            enricher = Enricher.create(config().withDnsServer(silent), ticker, network, Runnable::run);
            Enricher e = enricher;
            UdpExchanges loop = e.loop();
            long t0 = network.read();
            List<CompletableFuture<LookupOutcome<String>>> all = new java.util.ArrayList<>();
            for (int i = 1; i <= 30; i++) {
                all.add(e.hostname(ip("198.18.3." + i)));
            }
            for (int attempt = 1; attempt <= 2; attempt++) { // 2 attempts of 300 ms, all in parallel
                network.advance(loop, Duration.ofMillis(300).minusNanos(1));
                assertThat(e.stats().dnsQueries()).as("attempt %d waits its whole timeout (sent at 0, 75, 150 ms)",
                        attempt).isEqualTo(90L * attempt);
                assertThat(all).noneMatch(CompletableFuture::isDone);
                network.advance(loop, Duration.ofNanos(1));
            }
            assertThat(all).as("all failed at exactly 600 ms").allMatch(CompletableFuture::isDone);
            assertThat(network.read() - t0).isEqualTo(Duration.ofMillis(600).toNanos());
            for (CompletableFuture<LookupOutcome<String>> f : all) {
                assertThat(get(f)).isInstanceOf(LookupOutcome.Failed.class);
                assertThat(((LookupOutcome.Failed<String>) get(f)).reason()).contains("no answer");
            }
            assertThat(e.stats().dnsQueries()).isEqualTo(180);
            assertThat(e.stats().datagrams()).isEqualTo(180);
        }
        assertThat(enricher.stats().openSockets()).isZero();
        // and a stopped server (nothing on the port): fails at once (fake time does not move: not a timeout)
        LookupOutcome<String> l = get(enricher.hostname(ip("198.18.4.1")));
        assertThat(l).isInstanceOf(LookupOutcome.Failed.class);
    }

    @Test
    void offlineAsksNothing() throws Exception {
        long threads = enrichThreads();
        Enricher e = enricher(config().withOffline(true));
        assertThat(enrichThreads()).isEqualTo(threads);
        assertThat(get(e.hostname(ip("198.18.0.1")))).isEqualTo(new LookupOutcome.Offline<>());
        assertThat(get(e.asn(ip("198.18.0.1")))).isEqualTo(new LookupOutcome.Offline<>());
        assertThat(get(e.publicAddress(StandardProtocolFamily.INET))).isEqualTo(new LookupOutcome.Offline<>());
        assertThat(dns.queries.get()).isZero();
        assertThat(e.stats().datagrams()).isZero();
    }

    @Test
    void unannouncedAddressesAreNotFoundWithoutQueries() throws Exception {
        Enricher e = enricher(config());
        assertThat(get(e.asn(ip("192.168.1.1")))).isEqualTo(new LookupOutcome.NotFound<>());
        assertThat(get(e.asn(ip("100.64.0.1")))).isEqualTo(new LookupOutcome.NotFound<>());
        assertThat(dns.queries.get()).isZero();
    }

    @Test
    void aUsersResolverRunsOnTheExecutor() throws Exception {
        AtomicReference<String> thread = new AtomicReference<>();
        AsnResolver mine = new AsnResolver() {
            @Override
            public String name() {
                return "table";
            }

            @Override
            public CompletableFuture<Answer> lookup(InetAddress address) {
                thread.set(Thread.currentThread().getName());
                if (address.getHostAddress().endsWith(".9")) {
                    throw new IllegalStateException("boom");
                }
                return CompletableFuture.completedFuture(Answer.found(AsnInfo.of(64999), Duration.ofMinutes(1)));
            }
        };
        Enricher e = enricher(config().withAsnResolver(mine));
        assertThat(get(e.asn(ip("10.0.0.1"))).found().map(AsnInfo::number)).contains(64999L);
        assertThat(thread.get()).isEqualTo("tracer-executor");
        assertThat(get(e.asn(ip("10.0.0.9")))).isEqualTo(new LookupOutcome.Failed<>("boom"));
        assertThat(dns.queries.get()).isZero();
    }

    @Test
    void publicAddressByStun() throws Exception {
        InetSocketAddress pub = new InetSocketAddress(ip("203.0.113.5"), 50000);
        try (StunTestServer s = new StunTestServer(InetAddress.getLoopbackAddress(),
                (req, from) -> List.of(StunTestServer.success(StunTestServer.tid(req), pub, false)))) {
            Enricher e = enricher(config().withStun(List.of(s.address()), Duration.ofMillis(50), Duration.ofSeconds(1)));
            LookupOutcome<StunMapping> p = get(e.publicAddress(StandardProtocolFamily.INET));
            assertThat(p.found().map(StunMapping::mapped)).contains(pub);
            assertThat(p.found().map(StunMapping::behindNat)).contains(true);
            get(e.publicAddress(StandardProtocolFamily.INET));
            assertThat(s.requests.get()).isEqualTo(1);
            assertThat(get(e.publicAddress(StandardProtocolFamily.INET6))).isEqualTo(new LookupOutcome.NotFound<>());
        }
    }

    @Test
    void publicAddressFailureIsAFailedLookup() throws Exception {
        try (StunTestServer s = new StunTestServer(InetAddress.getLoopbackAddress(), (req, from) -> List.of(new byte[] {1}))) {
            Enricher e = enricher(config().withStun(List.of(s.address()), Duration.ofMillis(50), Duration.ofMillis(300)));
            CompletableFuture<LookupOutcome<StunMapping>> f = e.publicAddress(StandardProtocolFamily.INET);
            RealTimeTracers.await(() -> s.requests.get() == 1, "the first request at the server");
            network.advance(e.loop(), Duration.ofMillis(50)); // the first retransmission
            // the server answers a request before it reads the next: its answer to the first is sent
            RealTimeTracers.await(() -> s.requests.get() == 2, "the second request at the server");
            network.advance(e.loop(), Duration.ofMillis(250)); // reads that answer, then the 300 ms timeout
            LookupOutcome<StunMapping> p = get(f);
            assertThat(p).isInstanceOf(LookupOutcome.Failed.class);
            assertThat(((LookupOutcome.Failed<StunMapping>) p).reason()).contains("malformed STUN response");
            assertThat(e.stats().openSockets()).isZero();
        }
    }

    @Test
    void closeFailsLookupsInFlightAndStopsTheThread() throws Exception {
        dns.silent(ReverseDns.reverseName(ip("198.18.0.1")), Type.PTR);
        Enricher e = enricher(config().withDnsTimeout(Duration.ofSeconds(5), 0));
        CompletableFuture<LookupOutcome<String>> f = e.hostname(ip("198.18.0.1"));
        RealTimeTracers.await(() -> e.stats().openSockets() == 1, "the query's socket"); // no timeout: fake time
        assertThat(e.stats().openSockets()).isEqualTo(1);
        e.close();
        LookupOutcome<String> l = f.get(2, TimeUnit.SECONDS);
        assertThat(l).isInstanceOf(LookupOutcome.Failed.class);
        assertThat(((LookupOutcome.Failed<String>) l).reason()).contains("enrichment is closed");
        assertThat(e.stats().openSockets()).isZero();
        assertThat(get(e.hostname(ip("198.18.0.2")))).isInstanceOf(LookupOutcome.Failed.class);
    }

    @Test
    void oneThreadWhateverTheLoad() throws Exception {
        long before = enrichThreads();
        Enricher e = enricher(config().withDnsTimeout(Duration.ofSeconds(3), 1));
        List<CompletableFuture<LookupOutcome<String>>> all = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) {
            all.add(e.hostname(ip("198.18." + (i / 250) + "." + (i % 250 + 1))));
        }
        assertThat(enrichThreads()).isEqualTo(before + 1);
        for (CompletableFuture<LookupOutcome<String>> f : all) {
            assertThat(get(f)).isEqualTo(new LookupOutcome.NotFound<>());
        }
        assertThat(e.stats().openSockets()).isZero();
    }

    /** Caffeine records a load's statistics in a callback that may run just after the caller saw the answer. */
    static void awaitQuiet(Enricher e) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            Enricher.Stats s = e.stats();
            if (s.hostnames().inFlight() + s.asns().inFlight() + s.asNames().inFlight() == 0) {
                Thread.sleep(20);
                return;
            }
            Thread.sleep(10);
        }
    }

    static long enrichThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("pathprobe-io-")
                && t.isAlive()).count();
    }

    @Test
    void badConfigurationsAreTyped() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> config().withDnsServer(
                InetSocketAddress.createUnresolved("dns.example", 53))).isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> config().withStun(
                List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)), Duration.ofMillis(50),
                Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
