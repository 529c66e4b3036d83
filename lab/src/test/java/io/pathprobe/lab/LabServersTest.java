package io.pathprobe.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.lab.namespace.Namespaces;
import io.pathprobe.lab.server.LabHttpServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The lab's DNS server ({@link LabBuilder#dnsServer()}) and HTTP server ({@link LabBuilder#httpServer(int)}). */
@LabTest
class LabServersTest {

    /** This JVM's descendants whose command is dnsmasq. */
    static List<ProcessHandle> dnsmasqs() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/dnsmasq")).orElse(false)).toList();
    }

    /** This JVM's descendants that run {@link LabHttpServer}. */
    static List<ProcessHandle> httpServers() {
        return ProcessHandle.current().descendants().filter(p -> p.info().arguments()
                .map(a -> List.of(a).contains(LabHttpServer.class.getName())).orElse(false)).toList();
    }

    private static void awaitDeath(List<Long> pids) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pids.stream().anyMatch(LabServersTest::alive) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(pids).as("still alive").noneMatch(LabServersTest::alive);
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void dnsServerAnswersTheLabsRecordsOnlyAndIsGoneAfterClose() throws Exception {
        List<Long> pids = new ArrayList<>();
        try (Lab lab = Lab.chain(3).inCurrentNamespace().ipv6().dnsServer().build()) {
            InetSocketAddress server = lab.dnsServer().orElseThrow();
            assertThat(server).isEqualTo(new InetSocketAddress(lab.destination(), 53));
            assertThat(lab.dnsRecords()).containsKeys(Lab.DESTINATION_NAME, "host.lab.example", "r1.lab.example",
                    "r2.lab.example");
            dnsmasqs().forEach(p -> pids.add(p.pid()));
            assertThat(pids).hasSize(2); // the resolver and the authoritative server (DnsServer)

            MiniDns.Answer a = MiniDns.udp(server, Lab.DESTINATION_NAME, MiniDns.A);
            System.out.println("A " + Lab.DESTINATION_NAME + ": " + a);
            assertThat(a.rcode()).isEqualTo(MiniDns.NOERROR);
            assertThat(a.records()).containsExactly(new MiniDns.Record(Lab.DESTINATION_NAME, MiniDns.A, 300, "198.19.0.1"));

            MiniDns.Answer aaaa = MiniDns.udp(server, Lab.DESTINATION_NAME, MiniDns.AAAA);
            assertThat(aaaa.records()).extracting(MiniDns.Record::data).containsExactly("2001:db8:100:0:0:0:0:1");

            MiniDns.Answer ptr = MiniDns.udp(server, MiniDns.reverse(lab.destination()), MiniDns.PTR);
            System.out.println("PTR " + MiniDns.reverse(lab.destination()) + ": " + ptr);
            assertThat(ptr.records()).extracting(MiniDns.Record::data).containsExactly(Lab.DESTINATION_NAME);
            MiniDns.Answer ptr6 = MiniDns.udp(server, MiniDns.reverse(lab.destination6()), MiniDns.PTR);
            assertThat(ptr6.records()).extracting(MiniDns.Record::data).containsExactly(Lab.DESTINATION_NAME);

            InetAddress r2 = lab.expectedResponder(2).orElseThrow();
            assertThat(MiniDns.udp(server, "r2.lab.example", MiniDns.A).records()).extracting(MiniDns.Record::data)
                    .containsExactly(r2.getHostAddress());
            assertThat(MiniDns.udp(server, MiniDns.reverse(r2), MiniDns.PTR).records()).extracting(MiniDns.Record::data)
                    .containsExactly("r2.lab.example");

            MiniDns.Answer unknown = MiniDns.udp(server, Lab.DNS_UNKNOWN_NAME, MiniDns.A);
            System.out.println("A " + Lab.DNS_UNKNOWN_NAME + ": " + unknown);
            assertThat(unknown.rcode()).isEqualTo(MiniDns.NXDOMAIN);
            // a name outside the lab's zone: no upstream, nothing forwarded
            MiniDns.Answer outside = MiniDns.udp(server, "example.com", MiniDns.A);
            System.out.println("A example.com: " + outside);
            assertThat(outside.rcode()).isEqualTo(MiniDns.REFUSED);
            assertThat(outside.records()).isEmpty();

            // TCP, and the server's IPv6 address
            assertThat(MiniDns.tcp(server, Lab.DESTINATION_NAME, MiniDns.A).records()).extracting(MiniDns.Record::data)
                    .containsExactly("198.19.0.1");
            assertThat(MiniDns.udp(new InetSocketAddress(lab.destination6(), 53), "host.lab.example", MiniDns.A).records())
                    .extracting(MiniDns.Record::data).containsExactly(lab.hostAddress().getHostAddress());
        }
        awaitDeath(pids);
        assertThat(dnsmasqs()).isEmpty();
    }

    /**
     * A diamond lab's DNS server gives its two branches different ASes in Team-Cymru-style origin records (what
     * {@code pathprobe check --must-traverse AS...} reads through {@code -A}); the routers before and after the
     * diamond have none (NXDOMAIN), as every address of a plain chain.
     */
    @Test
    void aDiamondsBranchesLieInDifferentAsesInTheOriginRecords() throws Exception {
        try (Lab lab = Lab.diamond(2, EcmpHash.LINUX_L4).inCurrentNamespace().ipv6().dnsServer().build()) {
            InetSocketAddress server = lab.dnsServer().orElseThrow();
            List<InetAddress> branches = lab.expectedResponders(2).stream()
                    .sorted(java.util.Comparator.comparing(InetAddress::getHostAddress)).toList();
            assertThat(branches).hasSize(2);
            List<String> origins = new ArrayList<>();
            for (InetAddress b : branches) {
                MiniDns.Answer txt = MiniDns.udp(server, origin(b), MiniDns.TXT);
                assertThat(txt.rcode()).as("%s", b).isEqualTo(MiniDns.NOERROR);
                assertThat(txt.records()).hasSize(1);
                origins.add(txt.records().get(0).data());
            }
            System.out.println("branches " + branches + ": " + origins);
            List<String> ases = origins.stream().map(o -> o.substring(0, o.indexOf(" | "))).toList();
            assertThat(ases).containsExactlyInAnyOrder(String.valueOf(Lab.BRANCH_AS), String.valueOf(Lab.BRANCH_AS + 1));
            for (int i = 0; i < 2; i++) {
                assertThat(origins.get(i)).isEqualTo(ases.get(i) + " | " + branches.get(i).getHostAddress()
                        + "/32 | ZZ | lab | 2024-01-01");
                assertThat(MiniDns.udp(server, "AS" + ases.get(i) + ".asn.cymru.com", MiniDns.TXT).records())
                        .extracting(MiniDns.Record::data).singleElement().asString().startsWith(ases.get(i) + " | ZZ");
            }
            for (InetAddress b6 : lab.expectedResponders6(2)) {
                assertThat(MiniDns.udp(server, origin(b6), MiniDns.TXT).records()).extracting(MiniDns.Record::data)
                        .singleElement().asString().matches("6553[67] \\| .*/128 \\| ZZ \\| lab \\| 2024-01-01");
            }
            for (int ttl : List.of(1, 3)) {
                MiniDns.Answer none = MiniDns.udp(server, origin(lab.expectedResponder(ttl).orElseThrow()), MiniDns.TXT);
                assertThat(none.rcode()).as("router %d", ttl).isEqualTo(MiniDns.NXDOMAIN);
            }
        }
        try (Lab chain = Lab.chain(3).inCurrentNamespace().dnsServer().build()) {
            assertThat(chain.dnsTxtRecords()).isEmpty();
        }
    }

    /** The Team-Cymru origin name of an address: {@code d.c.b.a.origin.asn.cymru.com}, or origin6 with nibbles. */
    private static String origin(InetAddress a) {
        String reverse = MiniDns.reverse(a);
        return a.getAddress().length == 4 ? reverse.replace(".in-addr.arpa", ".origin.asn.cymru.com")
                : reverse.replace(".ip6.arpa", ".origin6.asn.cymru.com");
    }

    @Test
    void dnsServerAnswersTheHostNamespaceOfALabThatHasOne() {
        try (Lab lab = Lab.chain(2).dnsServer().build()) {
            assertThat(lab.dnsServer()).contains(new InetSocketAddress("198.19.0.1", 53));
            // a UDP query for destination.lab.example from the lab's own host namespace (perl: no dig here);
            // prints the rcode and the answer's last 4 bytes, the A record's address
            String out = Processes.output(lab.command(List.of("perl", "-MIO::Socket::INET", "-e", """
                    my $s = IO::Socket::INET->new(PeerAddr => '198.19.0.1:53', Proto => 'udp') or die $!;
                    my $q = pack('nnnnnn', 0x1234, 0x0100, 1, 0, 0, 0)
                        . join('', map { chr(length) . $_ } split /\\./, 'destination.lab.example') . "\\0" . pack('nn', 1, 1);
                    $s->send($q);
                    my $rin = ''; vec($rin, fileno($s), 1) = 1;
                    select($rin, undef, undef, 3) or die 'no answer';
                    $s->recv(my $a, 512);
                    print unpack('n', substr($a, 2, 2)) & 15, ' ', join('.', unpack('C4', substr($a, -4)));
                    """)));
            assertThat(out).isEqualTo("0 198.19.0.1");
        }
        assertThat(dnsmasqs()).isEmpty();
    }

    @Test
    void httpServerAnswersGetAndIsGoneAfterClose() throws Exception {
        List<Long> pids = new ArrayList<>();
        HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3)).build();
        try (Lab lab = Lab.chain(3).inCurrentNamespace().ipv6().httpServer(8080).build()) {
            assertThat(lab.httpPort()).hasValue(8080);
            assertThat(lab.httpUri("/small")).isEqualTo(URI.create("http://198.19.0.1:8080/small"));
            httpServers().forEach(p -> pids.add(p.pid()));
            assertThat(pids).hasSize(1);

            HttpResponse<String> root = client.send(HttpRequest.newBuilder(lab.httpUri("/")).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.US_ASCII));
            System.out.println("GET / -> " + root.statusCode() + " " + root.headers().map() + " " + root.body().strip());
            assertThat(root.statusCode()).isEqualTo(200);
            assertThat(root.body()).isEqualTo(LabHttpServer.ROOT_BODY);

            HttpResponse<String> small = client.send(HttpRequest.newBuilder(lab.httpUri("small")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(small.statusCode()).isEqualTo(200);
            assertThat(small.body()).isEqualTo("x");
            assertThat(small.headers().firstValue("content-length")).contains("1");

            HttpResponse<String> head = client.send(HttpRequest.newBuilder(lab.httpUri("/"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();

            assertThat(client.send(HttpRequest.newBuilder(lab.httpUri("/nothing")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
            HttpResponse<String> v6 = client.send(HttpRequest.newBuilder(URI.create("http://[2001:db8:100::1]:8080/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(v6.statusCode()).isEqualTo(200);
        }
        awaitDeath(pids);
        assertThat(httpServers()).isEmpty();
    }

    @Test
    void httpServerInAnIpv4OnlyLab() throws Exception {
        HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
        try (Lab lab = Lab.chain(1).inCurrentNamespace().httpServer(80).dnsServer().build()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(lab.httpUri("/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(MiniDns.udp(lab.dnsServer().orElseThrow(), Lab.DESTINATION_NAME, MiniDns.AAAA).records()).isEmpty();
            assertThat(MiniDns.udp(lab.dnsServer().orElseThrow(), "host.lab.example", MiniDns.A).records())
                    .extracting(MiniDns.Record::data).containsExactly("198.18.0.1");
        }
        assertThat(httpServers()).isEmpty();
        assertThat(dnsmasqs()).isEmpty();
    }

    @Test
    void serversDieWithTheJvmThatStartedThem() throws Exception {
        Process child = new ProcessBuilder(Lab.javaCommand(LabServersCrash.class)).redirectErrorStream(true).start();
        List<Long> pids = new ArrayList<>();
        long childPid = child.pid();
        StringBuilder seen = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                seen.append(line).append('\n');
                if (line.startsWith("pid ")) {
                    pids.add(Long.parseLong(line.substring(4).strip()));
                }
            }
        }
        try {
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as(seen.toString()).isEqualTo(LabServersCrash.HALTED);
            assertThat(pids).as(seen.toString()).hasSize(3); // two dnsmasq, the HTTP server's JVM
            System.out.print(seen);
            awaitDeath(pids);
        } finally {
            Lab.reapStale(); // the halted JVM left its namespaces
            assertThat(Namespaces.list()).noneMatch(n -> n.startsWith(Namespaces.PREFIX + childPid + "-"));
        }
    }

    @Test
    void serverOptionsAreValidated() {
        assertThatThrownBy(() -> Lab.chain(3).httpServer(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lab.chain(3).httpServer(8080).tcpListener(8080).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lab.chain(3).dnsServer().tcpListener(53).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lab.chain(3).dnsServer().dnsServer()).isInstanceOf(IllegalStateException.class);
        try (Lab lab = Lab.chain(2).build()) {
            assertThat(lab.dnsServer()).isEqualTo(Optional.empty());
            assertThat(lab.httpPort()).isEmpty();
            assertThatThrownBy(() -> lab.httpUri("/")).isInstanceOf(IllegalStateException.class);
        }
    }
}
