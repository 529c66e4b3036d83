package io.pathprobe.cli;

import static io.pathprobe.cli.CliRuns.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.lab.HomeHop;
import io.pathprobe.lab.HomeOption;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabException;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.server.DnsServer;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code pathprobe trace --dns-server --stun-server} through the home lab (NAT, CGNAT, ISP, transit,
 * destination; silent ISP and transit hops) against its dnsmasq and coturn: JSON and table show each
 * hop's name, AS and segment and the public address.
 */
@LabTest
class CliEnrichLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.home(HomeOption.SILENT_ISP_HOP, HomeOption.SILENT_TRANSIT_HOP)
            .icmpUnlimited("many traces of one lab, every hop's names and AS numbers asserted").inCurrentNamespace().dnsServer().stunServer());

    /** Arguments as given: these tests enrich (and one turns it off itself). */
    private static final CliRuns CLI = new CliRuns(Enrichment.AS_GIVEN);

    private static String server(java.net.InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    private static String[] enriched(String... rest) {
        Lab lab = LAB.lab();
        List<String> args = new java.util.ArrayList<>(List.of("trace", "--dns-server", server(lab.dnsServer().orElseThrow()),
                "--stun-server", server(lab.stunServer().orElseThrow()), "-A"));
        args.addAll(List.of(rest));
        args.add(lab.destination().getHostAddress());
        return args.toArray(String[]::new);
    }

    @Test
    void jsonNamesEveryHopWithItsAsAndSegmentAndThePublicAddress() throws Exception {
        Lab lab = LAB.lab();
        String[] args = enriched("--protocol", "icmp", "--json");
        assertThat(List.of(args)).containsSequence("--dns-server", "198.18.53.53:53").containsSequence("--stun-server",
                "198.19.0.1:3478");
        Run r = CLI.run(args);
        System.out.println(r.out());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("schemaVersion").asInt()).isGreaterThanOrEqualTo(4);
        assertThat(root.get("publicAddress").asText()).isEqualTo(lab.publicAddress().getHostAddress()).isEqualTo("198.18.0.1");
        assertThat(root.get("behindNat").asBoolean()).isTrue();
        JsonNode hops = root.get("hops");
        assertThat(hops.size()).isEqualTo(lab.hops());
        for (HomeHop h : lab.homeHops()) {
            JsonNode hop = hops.get(h.ttl() - 1);
            assertThat(hop.get("ttl").asInt()).isEqualTo(h.ttl());
            // the whole hop (its lookups' status and failure) and the context in the message of any failure
            String seen = "hop " + h.ttl() + ": " + hop + " in context " + root.get("context");
            assertThat(hop.get("segment").asText()).as(seen).isEqualTo(h.segment().name());
            if (h.silent()) {
                assertThat(hop.get("address").isNull()).isTrue();
                assertThat(hop.get("hostname").isNull()).isTrue();
                continue;
            }
            assertThat(hop.get("address").asText()).as(seen).isEqualTo(h.address().getHostAddress());
            assertThat(hop.get("hostname").asText()).as(seen).isEqualTo(h.hostname());
            assertThat(hop.get("hostnameStatus").asText()).as(seen).isEqualTo("FOUND");
            JsonNode asn = hop.get("asn");
            if (h.asn() == 0) {
                assertThat(asn.isNull()).as(seen).isTrue();
                assertThat(hop.get("asnStatus").asText()).as(seen).isEqualTo("NOT_FOUND");
            } else {
                assertThat(asn.get("number").asLong()).as(seen).isEqualTo(h.asn());
                assertThat(asn.get("prefix").asText()).isEqualTo(h.prefix());
                assertThat(asn.get("name").asText()).startsWith(h.asName());
            }
        }
    }

    @Test
    void theTableShowsNamesAsAndSegmentsAndThePublicAddress() {
        Lab lab = LAB.lab();
        DnsServer dns = lab.dns().orElseThrow();
        dns.clearQueries();
        long t0 = System.nanoTime();
        Run r = CLI.run(enriched("--protocol", "icmp"));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println(r.out());
        assertThat(r.exitCode()).as(r.err()).isZero();
        // a failed lookup shows as a missing name or "AS?" only: say what the lab's resolver saw of this run
        Supplier<String> resolverSaw = () -> "the run took " + ms + " ms; " + resolverState(dns) + "; stderr: "
                + r.err();
        List<String> lines = r.out().lines().toList();
        for (HomeHop h : lab.homeHops()) {
            String prefix = String.format(Locale.ROOT, "%2d  ", h.ttl());
            String line = lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow(
                    () -> new AssertionError("no line for hop " + h.ttl() + " in\n" + r.out()));
            if (h.silent()) {
                assertThat(line).contains("*");
            } else {
                assertThat(line).as(resolverSaw).contains(h.hostname() + " (" + h.address().getHostAddress() + ")");
                if (h.asn() != 0) {
                    assertThat(line).as(resolverSaw).contains("AS" + h.asn() + " " + h.asName());
                }
            }
            assertThat(line).as(line).containsPattern("\\b" + h.segment().name() + "\\b");
        }
        assertThat(r.out()).contains("public address: 198.18.0.1");
    }

    /** Whether dnsmasq still runs and the queries it logged since they were last cleared (or why not known). */
    private static String resolverState(DnsServer dns) {
        String queries;
        try {
            List<DnsServer.Query> seen = dns.queries();
            queries = seen.size() + " queries logged: " + seen;
        } catch (LabException e) {
            queries = "its query log unreadable: " + e.getMessage();
        }
        return "lab resolver " + dns + " running=" + dns.running() + ", " + queries;
    }

    @Test
    void noEnrichAsksNothing() throws Exception {
        Lab lab = LAB.lab();
        lab.dns().orElseThrow().clearQueries();
        Run r = CLI.run("trace", "--no-enrich", "--json", lab.destination().getHostAddress());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("publicAddress").isNull()).isTrue();
        assertThat(root.get("hops").get(0).get("hostname").isNull()).isTrue();
        assertThat(lab.dns().orElseThrow().queries()).isEmpty();
    }
}
