package io.pathprobe.core.internal.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.spi.AsnResolver;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

class CymruAndPtrTest {
    static final String ZONE = "asn.lab.example";
    ExecutorService exec;
    UdpExchanges loop;
    ZoneServer server;
    DnsClient dns;
    CymruAsnResolver cymru;

    @BeforeEach
    void setUp() throws Exception {
        exec = Executors.newFixedThreadPool(2);
        loop = new UdpExchanges(exec, 16, new FakeTicker()); // time never moves: every outcome is the server's answer
        server = new ZoneServer();
        dns = new DnsClient(DnsClient.Config.of(server.address(), Duration.ofSeconds(2), 0), loop);
        cymru = new CymruAsnResolver(dns, ZONE);
    }

    @AfterEach
    void tearDown() throws Exception {
        loop.close();
        server.close();
        exec.shutdownNow();
    }

    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void queryNames() throws Exception {
        CymruAsnResolver real = new CymruAsnResolver(dns, CymruAsnResolver.DEFAULT_ZONE);
        assertThat(real.originName(ip("192.0.2.1"))).hasToString("1.2.0.192.origin.asn.cymru.com.");
        assertThat(real.originName(ip("2001:db8::1"))).hasToString(
                "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.origin6.asn.cymru.com.");
        assertThat(real.asName(64500)).hasToString("AS64500.asn.cymru.com.");
        assertThat(ReverseDns.reverseName(ip("2001:db8::1"))).hasToString(
                "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.");
    }

    @Test
    void parsing() {
        CymruAsnResolver.Origin o = CymruAsnResolver.parseOrigin("64500 64501 | 192.0.2.0/24 | ZZ | TEST | 2024-01-01");
        assertThat(o).isNotNull();
        assertThat(o.asn()).isEqualTo(64500);
        assertThat(o.prefix()).contains("192.0.2.0/24");
        assertThat(o.prefixLength()).isEqualTo(24);
        assertThat(o.country()).contains("ZZ");
        assertThat(o.registry()).contains("test");
        assertThat(CymruAsnResolver.parseOrigin("garbage")).isNull();
        assertThat(CymruAsnResolver.parseOrigin("0 | 1.2.3.0/24")).isNull();
        assertThat(CymruAsnResolver.parseOrigin("4294967295 | |")).isNotNull();
        CymruAsnResolver.AsName n = CymruAsnResolver.parseName("64500 | ZZ | test | 2024-01-01 | LAB-ISP, ZZ");
        assertThat(n).isNotNull();
        assertThat(n.name()).contains("LAB-ISP, ZZ");
        assertThat(CymruAsnResolver.parseName("64500 | ZZ | test | 2024-01-01 | A | B").name()).contains("A | B".replace(" | ", "|"));
        assertThat(CymruAsnResolver.parseName("64500 | ZZ | test | 2024-01-01").name()).isEmpty();
    }

    @Test
    void ptrForIpv4AndIpv6WithoutTrailingDot() throws Exception {
        ReverseDns ptr = new ReverseDns(dns);
        server.ptr(ReverseDns.reverseName(ip("192.0.2.1")), "router1.lab.example", 300);
        server.ptr(ReverseDns.reverseName(ip("2001:db8::1")), "router6.lab.example", 200);
        Timed<String> v4 = ptr.lookup(ip("192.0.2.1")).get(5, TimeUnit.SECONDS);
        assertThat(v4.value()).contains("router1.lab.example");
        assertThat(v4.ttl()).isEqualTo(Duration.ofSeconds(300));
        Timed<String> v6 = ptr.lookup(ip("2001:db8::1")).get(5, TimeUnit.SECONDS);
        assertThat(v6.value()).contains("router6.lab.example");
        assertThat(v6.ttl()).isEqualTo(Duration.ofSeconds(200));
        Timed<String> none = ptr.lookup(ip("192.0.2.99")).get(5, TimeUnit.SECONDS);
        assertThat(none.found()).isFalse();
        assertThat(none.ttl()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void originThenName() throws Exception {
        InetAddress a = ip("198.18.1.1");
        server.txt(cymru.originName(a), 300, "64501 | 198.18.0.0/15 | ZZ | test | 2024-01-01");
        server.txt(cymru.asName(64501), 120, "64501 | ZZ | test | 2024-01-01 | LAB-TRANSIT, ZZ");
        AsnResolver.Answer r = cymru.lookup(a).get(5, TimeUnit.SECONDS);
        assertThat(r.asn()).contains(new AsnInfo(64501, Optional.of("198.18.0.0/15"), Optional.of("LAB-TRANSIT, ZZ"),
                Optional.of("ZZ"), Optional.of("test")));
        assertThat(r.ttl()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void mostSpecificPrefixWins() throws Exception {
        InetAddress a = ip("2001:db8:1::5");
        server.txt(cymru.originName(a), 300, "64500 | 2001:db8::/32 | ZZ | test | 2024-01-01",
                "64510 64511 | 2001:db8:1::/48 | ZZ | test | 2024-01-01",
                "64502 | 2001:db8::/33 | ZZ | test | 2024-01-01");
        AsnResolver.Answer r = cymru.lookup(a).get(5, TimeUnit.SECONDS);
        assertThat(r.asn().map(AsnInfo::number)).contains(64510L);
        assertThat(r.asn().flatMap(AsnInfo::prefix)).contains("2001:db8:1::/48");
        assertThat(r.asn().flatMap(AsnInfo::name)).isEmpty(); // NXDOMAIN for the name
        assertThat(r.ttl()).isEqualTo(Duration.ofSeconds(30)); // lowered to the name's negative TTL
    }

    @Test
    void nameFailureKeepsTheAsnWithTtlZero() throws Exception {
        InetAddress a = ip("192.0.2.7");
        server.txt(cymru.originName(a), 300, "64500 | 192.0.2.0/24 | ZZ | test | 2024-01-01");
        server.rcode(cymru.asName(64500), Type.TXT, Rcode.SERVFAIL);
        AsnResolver.Answer r = cymru.lookup(a).get(5, TimeUnit.SECONDS);
        assertThat(r.asn().map(AsnInfo::number)).contains(64500L);
        assertThat(r.ttl()).isZero();
    }

    @Test
    void unannouncedAddressesAreNotAsked() throws Exception {
        for (String s : new String[] {"10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1", "100.127.255.254",
                "127.0.0.1", "169.254.1.1", "224.0.0.1", "0.0.0.0", "::1", "fe80::1", "fd00::1", "fc00::1", "ff02::1", "::"}) {
            AsnResolver.Answer r = cymru.lookup(ip(s)).get(1, TimeUnit.SECONDS);
            assertThat(r.asn()).as(s).isEmpty();
        }
        assertThat(server.queries.get()).isZero();
        for (String s : new String[] {"198.18.0.1", "198.19.255.1", "192.0.2.1", "203.0.113.1", "2001:db8::1",
                "100.128.0.1", "172.32.0.1"}) {
            cymru.lookup(ip(s)).get(5, TimeUnit.SECONDS);
        }
        assertThat(server.queries.get()).isEqualTo(7);
    }

    @Test
    void originFailureFails() throws Exception {
        InetAddress a = ip("192.0.2.8");
        server.rcode(cymru.originName(a), Type.TXT, Rcode.SERVFAIL);
        assertThat(cymru.lookup(a)).failsWithin(5, TimeUnit.SECONDS);
    }

    @Test
    void nxdomainOriginIsNotFound() throws Exception {
        AsnResolver.Answer r = cymru.lookup(ip("192.0.2.9")).get(5, TimeUnit.SECONDS);
        assertThat(r.asn()).isEmpty();
        assertThat(r.ttl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(server.count(Name.fromConstantString("9.2.0.192.origin." + ZONE + "."), Type.TXT)).isEqualTo(1);
    }
}
