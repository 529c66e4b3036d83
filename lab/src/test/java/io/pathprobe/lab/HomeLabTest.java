package io.pathprobe.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.lab.runner.Traceroute;
import io.pathprobe.lab.server.DnsServer;
import io.pathprobe.lab.topology.HomeSegment;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** The home/ISP/transit lab ({@link Lab#home}) and its DNS and STUN servers. */
@LabTest
class HomeLabTest {

    private static Message ask(InetSocketAddress server, String name, int type) throws Exception {
        SimpleResolver r = new SimpleResolver(server);
        r.setTimeout(Duration.ofSeconds(2));
        Message m = r.send(Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN)));
        System.out.println(Type.string(type) + " " + name + " -> " + Rcode.string(m.getRcode()) + " "
                + m.getSection(Section.ANSWER) + " " + m.getSection(Section.AUTHORITY));
        return m;
    }

    private static Message ask(InetSocketAddress server, Name name, int type) throws Exception {
        return ask(server, name.toString(), type);
    }

    private static String txt(Message m) {
        return String.join("", ((TXTRecord) m.getSection(Section.ANSWER).get(0)).getStrings());
    }

    @Test
    void homeShapesBuildAndTearDownLeavingNothing() {
        for (LabBuilder b : List.of(Lab.home(), Lab.home(HomeOption.SILENT_ISP_HOP, HomeOption.SILENT_TRANSIT_HOP).ipv6()
                .dnsServer().stunServer(), Lab.home().inCurrentNamespace().dnsServer())) {
            long t0 = System.nanoTime();
            Lab lab = b.build();
            long built = System.nanoTime();
            lab.close();
            System.out.printf(Locale.ROOT, "%s: build %.0f ms, close %.0f ms%n", lab, (built - t0) / 1e6,
                    (System.nanoTime() - built) / 1e6);
            assertThat(Processes.ourNamespaces()).isEmpty();
            assertThat(LabServersTest.dnsmasqs()).isEmpty();
            assertThat(turnservers()).isEmpty();
        }
        assertThatThrownBy(() -> Lab.home().natAt(1, NatKind.MASQUERADE).build()).isInstanceOf(IllegalArgumentException.class);
        try (Lab chain = Lab.chain(3).build()) {
            assertThatThrownBy(chain::homeHops).isInstanceOf(IllegalStateException.class);
            assertThat(chain.isHome()).isFalse();
            assertThat(chain.publicAddress()).isEqualTo(chain.hostAddress());
        }
        assertThat(Processes.ourNamespaces()).isEmpty();
    }

    static List<ProcessHandle> turnservers() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/turnserver")).orElse(false)).toList();
    }

    @Test
    void homeHopsDescribeThePlan() {
        try (Lab lab = Lab.home(HomeOption.SILENT_ISP_HOP, HomeOption.SILENT_TRANSIT_HOP).ipv6().build()) {
            List<HomeHop> hops = lab.homeHops();
            hops.forEach(System.out::println);
            assertThat(lab.hops()).isEqualTo(7);
            assertThat(hops).extracting(HomeHop::hostname).containsExactly("gw.home.lab.example", "cgnat.isp.lab.example",
                    "agg1.isp.lab.example", "core1.isp.lab.example", "tr1.transit.lab.example", "tr2.transit.lab.example",
                    "dst.dest.lab.example");
            assertThat(hops).extracting(h -> h.address().getHostAddress()).containsExactly("192.168.1.1", "100.64.0.1",
                    "198.18.0.2", "198.18.0.6", "198.19.128.2", "198.19.128.6", "198.19.0.1");
            assertThat(hops).extracting(HomeHop::asn).containsExactly(0, 0, 64500, 64500, 64501, 64501, 64510);
            assertThat(hops).extracting(HomeHop::segment).containsExactly(HomeSegment.LAN, HomeSegment.ISP,
                    HomeSegment.ISP, HomeSegment.ISP, HomeSegment.TRANSIT, HomeSegment.UNKNOWN, HomeSegment.DESTINATION);
            assertThat(hops).extracting(HomeHop::silent).containsExactly(false, false, true, false, false, true, false);
            assertThat(hops).extracting(HomeHop::asn6).containsExactly(64500, 64500, 64500, 64500, 64501, 64501, 64510);
            assertThat(lab.hostAddress().getHostAddress()).isEqualTo("192.168.1.100");
            assertThat(lab.publicAddress().getHostAddress()).isEqualTo("198.18.0.1");
            for (HomeHop h : hops) {
                Optional<InetAddress> expected = h.silent() ? Optional.empty() : Optional.of(h.address());
                assertThat(lab.expectedResponder(h.ttl())).isEqualTo(expected);
                assertThat(lab.expectedResponder6(h.ttl())).isEqualTo(h.silent() ? Optional.empty() : Optional.of(h.address6()));
            }
        }
    }

    /**
     * Linux traceroute through both NATs shows every router's own address: the NATs translate the
     * quoted packet and the destination of the ICMP errors back, not their sources.
     */
    @Test
    void tracerouteThroughBothNatsShowsEveryRouter() {
        try (Lab lab = Lab.home(HomeOption.SILENT_ISP_HOP, HomeOption.SILENT_TRANSIT_HOP).ipv6().icmpUnlimited("traceroute through both NATs shows every router, many traces of one lab").build()) {
            for (String protocol : List.of("-I", "-U", "-T")) {
                Traceroute.Result r = Traceroute.trace(lab, List.of(protocol), lab.destination());
                System.out.println("traceroute " + protocol + ":\n" + r.output());
                assertThat(r.path()).as(r.output()).isEqualTo(lab.expectedPath());
            }
            Traceroute.Result r6 = Traceroute.trace(lab, List.of("-6", "-I"), lab.destination6());
            System.out.println("traceroute -6 -I:\n" + r6.output());
            assertThat(r6.path()).as(r6.output()).isEqualTo(lab.expectedPath6());
        }
        try (Lab lab = Lab.home().icmpUnlimited("traceroute through both NATs shows every router, many traces of one lab").build()) {
            Traceroute.Result r = Traceroute.trace(lab, List.of("-I"), lab.destination());
            assertThat(r.path()).as(r.output()).isEqualTo(lab.homeHops().stream().map(h -> Optional.of(h.address())).toList());
        }
    }

    @Test
    void dnsServesPtrAndCymruRecordsWithRealTtlsAndFailsAsDocumented() throws Exception {
        try (Lab lab = Lab.home(HomeOption.SILENT_ISP_HOP).ipv6().inCurrentNamespace().dnsServer().build()) {
            InetSocketAddress server = lab.dnsServer().orElseThrow();
            assertThat(server).isEqualTo(new InetSocketAddress("198.18.53.53", 53));
            DnsServer dns = lab.dns().orElseThrow();
            for (HomeHop h : lab.homeHops()) {
                Message ptr = ask(server, ReverseMap.fromAddress(h.address()), Type.PTR);
                assertThat(ptr.getSection(Section.ANSWER)).hasSize(1);
                assertThat(ptr.getSection(Section.ANSWER).get(0).rdataToString()).isEqualTo(h.hostname() + ".");
                assertThat(ptr.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(DnsServer.TTL);
                Message ptr6 = ask(server, ReverseMap.fromAddress(h.address6()), Type.PTR);
                assertThat(ptr6.getSection(Section.ANSWER).get(0).rdataToString()).isEqualTo(h.hostname() + ".");
                String origin = ReverseMap.fromAddress(h.address()).toString().replace(".in-addr.arpa.", ".origin.asn.cymru.com");
                Message o = ask(server, origin, Type.TXT);
                if (h.asn() == 0) {
                    assertThat(o.getRcode()).isEqualTo(Rcode.NXDOMAIN); // RFC 1918 and CGNAT: no origin
                } else {
                    assertThat(txt(o)).isEqualTo(h.asn() + " | " + h.prefix() + " | ZZ | lab | 2024-01-01");
                    assertThat(o.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(DnsServer.TTL);
                }
                String origin6 = ReverseMap.fromAddress(h.address6()).toString().replace(".ip6.arpa.", ".origin6.asn.cymru.com");
                assertThat(txt(ask(server, origin6, Type.TXT))).isEqualTo(h.asn6() + " | " + h.prefix6() + " | ZZ | lab | 2024-01-01");
            }
            assertThat(txt(ask(server, "AS64500.asn.cymru.com", Type.TXT))).isEqualTo("64500 | ZZ | lab | 2024-01-01 | LAB-ISP, ZZ");
            assertThat(txt(ask(server, "AS64501.asn.cymru.com", Type.TXT))).isEqualTo("64501 | ZZ | lab | 2024-01-01 | LAB-TRANSIT, ZZ");
            assertThat(txt(ask(server, "AS64510.asn.cymru.com", Type.TXT))).isEqualTo("64510 | ZZ | lab | 2024-01-01 | LAB-DEST, ZZ");
            // the public address has its name and origin
            assertThat(ask(server, ReverseMap.fromAddress(lab.publicAddress()), Type.PTR).getSection(Section.ANSWER).get(0)
                    .rdataToString()).isEqualTo("cgnat-out.isp.lab.example.");
            assertThat(txt(ask(server, "1.0.18.198.origin.asn.cymru.com", Type.TXT))).startsWith("64500 | 198.18.0.0/16");
            // the server also answers over IPv6 and TCP
            assertThat(ask(new InetSocketAddress("2001:db8:1:53::53", 53), "dst.dest.lab.example", Type.AAAA)
                    .getSection(Section.ANSWER).get(0).rdataToString()).isEqualTo("2001:db8:100:0:0:0:0:1");

            // NXDOMAIN: with the SOA, negative TTL 60
            for (String name : List.of("nonexistent.lab.example", "9.9.9.198.origin.asn.cymru.com", "AS64999.asn.cymru.com")) {
                Message nx = ask(server, name, Type.TXT);
                assertThat(nx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
                SOARecord soa = (SOARecord) nx.getSection(Section.AUTHORITY).get(0);
                assertThat(soa.getMinimum()).isEqualTo(DnsServer.NEGATIVE_TTL);
                assertThat(soa.getTTL()).isEqualTo(DnsServer.NEGATIVE_TTL);
            }
            Message nxPtr = ask(server, ReverseMap.fromAddress("198.18.9.9"), Type.PTR);
            assertThat(nxPtr.getRcode()).isEqualTo(Rcode.NXDOMAIN);
            // outside the lab's zones: REFUSED, nothing forwarded
            assertThat(ask(server, "example.com", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);
            // SERVFAIL names and address
            assertThat(ask(server, DnsServer.SERVFAIL_ZONE, Type.A).getRcode()).isEqualTo(Rcode.SERVFAIL);
            assertThat(ask(server, "x." + DnsServer.SERVFAIL_ZONE, Type.TXT).getRcode()).isEqualTo(Rcode.SERVFAIL);
            assertThat(ask(server, ReverseMap.fromAddress(DnsServer.SERVFAIL_ADDRESS), Type.PTR).getRcode())
                    .isEqualTo(Rcode.SERVFAIL);
            assertThat(ask(server, "1.255.18.198.origin.asn.cymru.com", Type.TXT).getRcode()).isEqualTo(Rcode.SERVFAIL);
            // no answer at all
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> ask(server, "x." + DnsServer.TIMEOUT_ZONE, Type.A)).isInstanceOf(java.io.IOException.class);
            assertThatThrownBy(() -> ask(server, ReverseMap.fromAddress(DnsServer.TIMEOUT_ADDRESS), Type.PTR))
                    .isInstanceOf(java.io.IOException.class);
            System.out.printf(Locale.ROOT, "two timeouts: %.0f ms%n", (System.nanoTime() - t0) / 1e6);

            // the log: every query, from the CGNAT's outside address
            List<DnsServer.Query> all = dns.queries();
            assertThat(all).contains(new DnsServer.Query("AS64500.asn.cymru.com", "TXT", "198.18.0.1"));
            assertThat(all).allSatisfy(q -> assertThat(q.from()).isIn("198.18.0.1", "2001:db8:1:100::100"));
        }
    }

    @Test
    void dnsQueriesAreCountedAndTheServerStopsAndStartsAgain() throws Exception {
        try (Lab lab = Lab.home().inCurrentNamespace().dnsServer().build()) {
            InetSocketAddress server = lab.dnsServer().orElseThrow();
            DnsServer dns = lab.dns().orElseThrow();
            assertThat(dns.queries()).isEmpty();
            ask(server, "gw.home.lab.example", Type.A);
            ask(server, ReverseMap.fromAddress("198.19.0.1"), Type.PTR);
            assertThat(dns.queries()).containsExactly(new DnsServer.Query("gw.home.lab.example", "A", "198.18.0.1"),
                    new DnsServer.Query("1.0.19.198.in-addr.arpa", "PTR", "198.18.0.1"));
            dns.clearQueries();
            assertThat(dns.queries()).isEmpty();
            for (int i = 0; i < 20; i++) {
                ask(server, "q" + i + ".lab.example", Type.A);
            }
            assertThat(dns.queries()).hasSize(20);

            dns.stop();
            assertThat(dns.running()).isFalse();
            assertThat(LabServersTest.dnsmasqs()).isEmpty();
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> ask(server, "gw.home.lab.example", Type.A)).isInstanceOf(java.io.IOException.class);
            System.out.printf(Locale.ROOT, "query to the stopped server failed after %.0f ms%n", (System.nanoTime() - t0) / 1e6);
            assertThat(dns.queries()).hasSize(20);

            dns.start();
            assertThat(dns.running()).isTrue();
            assertThat(ask(server, "gw.home.lab.example", Type.A).getSection(Section.ANSWER).get(0).rdataToString())
                    .isEqualTo("192.168.1.1");
            assertThat(dns.queries()).hasSize(21);
        }
        assertThat(LabServersTest.dnsmasqs()).isEmpty();
    }

    private static final Pattern REFLEXIVE = Pattern.compile("UDP reflexive addr: (\\S+):(\\d+)");

    @Test
    void coturnSeesTheCgnatsOutsideAddress() throws Exception {
        try (Lab lab = Lab.home().ipv6().stunServer().build()) {
            InetSocketAddress stun = lab.stunServer().orElseThrow();
            assertThat(stun).isEqualTo(new InetSocketAddress("198.19.0.1", 3478));
            String out = Processes.output(lab.command(List.of("timeout", "10", "turnutils_stunclient", "-p", "3478", "198.19.0.1")));
            System.out.println(out);
            Matcher m = REFLEXIVE.matcher(out);
            assertThat(m.find()).as(out).isTrue();
            assertThat(m.group(1)).isEqualTo(lab.publicAddress().getHostAddress()).isEqualTo("198.18.0.1");
            // over IPv6 there is no NAT: the host's own address
            String out6 = Processes.output(lab.command(List.of("timeout", "10", "turnutils_stunclient", "-p", "3478", "2001:db8:100::1")));
            System.out.println(out6);
            assertThat(out6).contains("reflexive addr: 2001:db8:1:100::100:");
        }
        assertThat(turnservers()).isEmpty();
    }

    @Test
    void junkAndSilentStunServers() throws Exception {
        try (Lab lab = Lab.home().inCurrentNamespace().stunServer().build();
                DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(2000);
            byte[] request = {0, 1, 0, 0, 0x21, 0x12, (byte) 0xa4, 0x42, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
            s.send(new DatagramPacket(request, request.length, lab.junkStunServer().orElseThrow()));
            DatagramPacket junk = new DatagramPacket(new byte[1500], 1500);
            s.receive(junk);
            assertThat(junk.getLength()).isEqualTo(32);
            assertThat(junk.getData()[0]).isEqualTo((byte) 0xff);
            s.setSoTimeout(1000);
            s.send(new DatagramPacket(request, request.length, lab.silentStunServer().orElseThrow()));
            assertThatThrownBy(() -> s.receive(new DatagramPacket(new byte[1500], 1500)))
                    .isInstanceOf(SocketTimeoutException.class);
            // coturn answers the golden request with a Binding success (0x0101) and the same transaction id
            s.send(new DatagramPacket(request, request.length, lab.stunServer().orElseThrow()));
            DatagramPacket ok = new DatagramPacket(new byte[1500], 1500);
            s.setSoTimeout(2000);
            s.receive(ok);
            assertThat(ok.getData()[0]).isEqualTo((byte) 1);
            assertThat(ok.getData()[1]).isEqualTo((byte) 1);
            assertThat(java.util.Arrays.copyOfRange(ok.getData(), 4, 20)).isEqualTo(java.util.Arrays.copyOfRange(request, 4, 20));
        }
    }

    @Test
    void twoHomeLabsAtOnce() throws Exception {
        try (Lab a = Lab.home().dnsServer().stunServer().icmpUnlimited("traceroute through both NATs shows every router, many traces of one lab").build();
                Lab b = Lab.home().dnsServer().stunServer().icmpUnlimited("traceroute through both NATs shows every router, many traces of one lab").build()) {
            for (Lab lab : List.of(a, b)) {
                assertThat(Traceroute.run(lab, List.of("-I"), lab.destination())).isEqualTo(lab.expectedPath());
                String out = Processes.output(lab.command(List.of("timeout", "10", "turnutils_stunclient", "-p", "3478", "198.19.0.1")));
                assertThat(out).contains("reflexive addr: 198.18.0.1:");
            }
        }
    }
}
