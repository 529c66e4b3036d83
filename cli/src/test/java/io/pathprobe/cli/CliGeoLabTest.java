package io.pathprobe.cli;

import static io.pathprobe.cli.CliRuns.dest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.MmdbWriter;
import io.pathprobe.lab.PeeringDbDumpWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offline GeoIP and IXPs (issue 51 item 4) through a 4-hop lab of kernel routers, on files the test writes: a
 * City-like and an ASN-like mmdb covering the lab's 198.18.0.0/15 (the second router's /30 placed elsewhere) and a
 * PeeringDB dump whose IX peering LAN is the second router's /30, with a netixlan for its address. Every hop shows
 * its country and city, the IX hop its exchange, in the table and in the JSON; a corrupt database gives one error
 * line on stderr and the trace still runs to the destination with every hop (exit 0). {@code --no-enrich}: no
 * DNS query goes anywhere; the files ask no one.
 */
@LabTest
@Timeout(120)
class CliGeoLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(4).inCurrentNamespace());

    private static final CliRuns CLI = new CliRuns(Enrichment.AS_GIVEN);

    @TempDir
    static Path dir;
    static Path city;
    static Path asn;
    static Path dump;
    static InetAddress ixHop;
    static String ixPrefix;

    private static List<InetAddress> hops() {
        return LAB.lab().expectedPath().stream().flatMap(Optional::stream).toList();
    }

    @BeforeAll
    static void files() throws Exception {
        ixHop = hops().get(1);
        byte[] b = ixHop.getAddress();
        b[3] = (byte) (b[3] & 0xfc);
        ixPrefix = InetAddress.getByAddress(b).getHostAddress() + "/30";
        city = new MmdbWriter("GeoLite2-City")
                .put("198.18.0.0/15", MmdbWriter.city("DE", "Germany", "Frankfurt", 50.11, 8.68, 20))
                .put(ixPrefix, MmdbWriter.city("NL", "Netherlands", "Amsterdam", 52.37, 4.9, 5))
                .put("2001:db8::/32", MmdbWriter.city("FR", "France", "Paris", 48.86, 2.35, 50))
                .write(dir.resolve("GeoLite2-City.mmdb"));
        asn = new MmdbWriter("GeoLite2-ASN").put("198.18.0.0/15", MmdbWriter.asn(64500, "LAB-ISP"))
                .write(dir.resolve("GeoLite2-ASN.mmdb"));
        dump = new PeeringDbDumpWriter().exchange(7, "LAB-IX Amsterdam", "Amsterdam", "NL", ixPrefix)
                .member(7, 70, 64501, "LAB-TRANSIT", ixHop.getHostAddress(), null)
                .write(dir.resolve("peeringdb.json"));
    }

    @Test
    void everyHopShowsItsPlaceAndTheIxHopItsExchange() {
        assertThat(hops()).as("no other hop on the IX's /30").filteredOn(a -> !a.equals(ixHop))
                .noneMatch(a -> a.getHostAddress().startsWith(ixPrefix.substring(0, ixPrefix.lastIndexOf('.'))
                        + ".") && (a.getAddress()[3] & 0xfc) == (ixHop.getAddress()[3] & 0xfc));
        Run run = CLI.run("trace", "--no-enrich", "--geoip", city.toString(), "--geoip-mmdb-file",
                asn.toString(), "--ixp", dump.toString(), "-q", "1", dest(LAB));
        assertThat(run.exitCode()).as("%s%n%s", run.err(), run.out()).isZero();
        assertThat(run.err()).isEmpty();
        List<String> lines = run.out().lines().toList();
        List<Optional<InetAddress>> path = LAB.lab().expectedPath();
        for (int ttl = 1; ttl <= path.size(); ttl++) {
            String line = lines.get(ttl);
            InetAddress a = path.get(ttl - 1).orElseThrow();
            assertThat(line).as(run.out()).startsWith(String.format("%2d  ", ttl)).contains(a.getHostAddress());
            if (a.equals(ixHop)) {
                assertThat(line).as(run.out()).contains(a.getHostAddress() + " [NL Amsterdam] IX LAB-IX Amsterdam");
            } else {
                assertThat(line).as(run.out()).contains(a.getHostAddress() + " [DE Frankfurt]")
                        .doesNotContain(" IX ");
            }
            assertThat(line).as("the AS from the ASN database: %s", line).contains("AS64500 LAB-ISP");
        }
        assertThat(run.out()).contains("destination reached");
        System.out.print(run.out());
    }

    @Test
    void theJsonDocumentCarriesLocationAndExchange() throws Exception {
        Run run = CLI.run("trace", "--no-enrich", "--geoip", city.toString(), "--peeringdb", dump.toString(),
                "-q", "1", "--json", dest(LAB));
        assertThat(run.exitCode()).as("%s%n%s", run.err(), run.out()).isZero();
        JsonNode doc = new ObjectMapper().readTree(run.out());
        JsonNode hops = doc.get("hops");
        assertThat(hops).hasSize(hops().size());
        for (JsonNode h : hops) {
            boolean ix = h.get("address").asText().equals(ixHop.getHostAddress());
            assertThat(h.get("locationStatus").asText()).as("%s", h).isEqualTo("FOUND");
            assertThat(h.get("location").get("city").asText()).isEqualTo(ix ? "Amsterdam" : "Frankfurt");
            assertThat(h.get("location").get("countryCode").asText()).isEqualTo(ix ? "NL" : "DE");
            assertThat(h.get("location").get("database").asText()).isEqualTo("GeoLite2-City");
            assertThat(h.get("responders").get(0).get("location")).isEqualTo(h.get("location"));
            assertThat(h.get("asnStatus").asText()).as("a City database has no AS: none asked").isEqualTo("OFF");
            if (ix) {
                assertThat(h.get("exchangeStatus").asText()).isEqualTo("FOUND");
                assertThat(h.get("exchange").get("name").asText()).isEqualTo("LAB-IX Amsterdam");
                assertThat(h.get("exchange").get("ixId").asLong()).isEqualTo(7);
                assertThat(h.get("exchange").get("prefix").asText()).isEqualTo(ixPrefix);
                assertThat(h.get("exchange").get("memberAsn").asLong()).isEqualTo(64501);
                assertThat(h.get("exchange").get("memberName").asText()).isEqualTo("LAB-TRANSIT");
            } else {
                assertThat(h.get("exchangeStatus").asText()).isEqualTo("NOT_FOUND");
                assertThat(h.get("exchange").isNull()).isTrue();
            }
        }
        Run atlas = CLI.run("trace", "--no-enrich", "--geoip", city.toString(), "--ixp", dump.toString(),
                "-q", "1", "--format", "atlas", dest(LAB));
        assertThat(atlas.exitCode()).as(atlas.err()).isZero();
        JsonNode rec = new ObjectMapper().readTree(atlas.out());
        for (JsonNode hop : rec.get("result")) {
            int answered = 0;
            for (JsonNode reply : hop.get("result")) {
                if (!reply.has("from")) {
                    // a "*": a probe the router refused under its ICMP rate limit (earlier tests spent it)
                    assertThat(reply.has("location")).as("%s", reply).isFalse();
                    continue;
                }
                answered++;
                boolean ix = reply.get("from").asText().equals(ixHop.getHostAddress());
                assertThat(reply.get("location").get("city").asText()).as("%s", reply)
                        .isEqualTo(ix ? "Amsterdam" : "Frankfurt");
                assertThat(reply.has("exchange")).as("%s", reply).isEqualTo(ix);
            }
            assertThat(answered).as("every hop answered (a refused probe is retried): %s", hop).isPositive();
        }
    }

    @Test
    void aCorruptDatabaseGivesOneErrorLineAndTheTraceStillRuns() throws Exception {
        byte[] bytes = Files.readAllBytes(city);
        Path cut = Files.write(dir.resolve("cut.mmdb"), Arrays.copyOf(bytes, bytes.length / 2));
        Run run = CLI.run("trace", "--no-enrich", "--geoip", cut.toString(), "--ixp", dump.toString(),
                "-q", "1", dest(LAB));
        assertThat(run.exitCode()).as("%s%n%s", run.err(), run.out()).isZero();
        assertThat(run.err().lines().toList()).as(run.err()).singleElement().asString()
                .startsWith("pathprobe trace: GeoIP database " + cut + ": ").contains("going on without it");
        List<String> lines = run.out().lines().toList();
        List<Optional<InetAddress>> path = LAB.lab().expectedPath();
        for (int ttl = 1; ttl <= path.size(); ttl++) {
            InetAddress a = path.get(ttl - 1).orElseThrow();
            assertThat(lines.get(ttl)).as(run.out()).startsWith(String.format("%2d  ", ttl))
                    .contains(a.getHostAddress()).doesNotContain("[");
        }
        assertThat(run.out()).as("the dump still names the IX hop").contains(ixHop.getHostAddress()
                + " IX LAB-IX Amsterdam").contains("destination reached");
        System.err.print(run.err());
        System.out.print(run.out());

        byte[] noise = new byte[2048];
        new java.util.Random(51).nextBytes(noise);
        Path random = Files.write(dir.resolve("random.mmdb"), noise);
        String json = new PeeringDbDumpWriter().exchange(1, "X", "Y", "DE", "198.18.0.0/24").json();
        Path truncated = Files.writeString(dir.resolve("truncated.json"), json.substring(0, json.length() / 2));
        Run both = CLI.run("trace", "--no-enrich", "--geoip", random.toString(), "--ixp", truncated.toString(),
                "-q", "1", "--json", dest(LAB));
        assertThat(both.exitCode()).as("%s%n%s", both.err(), both.out()).isZero();
        assertThat(both.err().lines().toList()).as(both.err()).hasSize(2)
                .anySatisfy(l -> assertThat(l).startsWith("pathprobe trace: GeoIP database " + random + ": "))
                .anySatisfy(l -> assertThat(l).startsWith("pathprobe trace: PeeringDB dump " + truncated + ": "));
        JsonNode doc = new ObjectMapper().readTree(both.out());
        assertThat(doc.get("destinationReached").asBoolean()).isTrue();
        assertThat(doc.get("hops")).hasSize(hops().size());
        for (JsonNode h : doc.get("hops")) {
            assertThat(h.get("locationStatus").asText()).isEqualTo("OFF");
        }
        System.err.print(both.err());
    }

    @Test
    void mtrMultipathAndPingShowThemToo() throws Exception {
        String g = city.toString();
        String x = dump.toString();
        Run mtr = CLI.run("mtr", "--no-enrich", "--geoip", g, "--ixp", x, "-r", "-c", "2", "-i", "0.2", dest(LAB));
        assertThat(mtr.exitCode()).as("%s%n%s", mtr.err(), mtr.out()).isZero();
        // a router may refuse a round's probe under its ICMP rate limit (the tests before spent it): every
        // responder the report names is placed, and the IX hop (answering here) named
        List<String> named = mtr.out().lines().filter(l -> l.contains("|-- ") && !l.contains("|-- ???")).toList();
        assertThat(named).as(mtr.out()).isNotEmpty().allSatisfy(l -> assertThat(l).contains(" ["));
        if (mtr.out().contains("|-- " + ixHop.getHostAddress() + " ")) {
            assertThat(mtr.out()).contains(ixHop.getHostAddress() + " [NL Amsterdam] IX LAB-IX Amsterdam");
        }
        System.out.print(mtr.out());
        Run mtrJson = CLI.run("mtr", "--no-enrich", "--geoip", g, "--ixp", x, "--json", "-c", "2", "-i", "0.2",
                dest(LAB));
        assertThat(mtrJson.exitCode()).as(mtrJson.err()).isZero();
        JsonNode monitor = new ObjectMapper().readTree(mtrJson.out());
        int responders = 0;
        for (JsonNode h : monitor.get("hops")) {
            for (JsonNode r : h.get("responders")) {
                responders++;
                assertThat(r.get("locationStatus").asText()).as("%s", r).isEqualTo("FOUND");
                assertThat(r.get("exchangeStatus").asText()).isEqualTo(
                        r.get("address").asText().equals(ixHop.getHostAddress()) ? "FOUND" : "NOT_FOUND");
            }
        }
        assertThat(responders).as(mtrJson.out()).isPositive();
        Run mp = CLI.run("multipath", "--no-enrich", "--geoip", g, "--ixp", x, "--json", "-m", "8", dest(LAB));
        assertThat(mp.exitCode()).as("%s%n%s", mp.err(), mp.out()).isZero();
        JsonNode nodes = new ObjectMapper().readTree(mp.out()).get("nodes");
        assertThat(nodes).isNotEmpty();
        for (JsonNode n : nodes) {
            if (n.get("address").isNull()) {
                continue;
            }
            boolean ix = n.get("address").asText().equals(ixHop.getHostAddress());
            assertThat(n.get("location").get("city").asText()).as("%s", n).isEqualTo(ix ? "Amsterdam" : "Frankfurt");
            assertThat(n.get("exchange").isNull()).isEqualTo(!ix);
        }
        Run mpText = CLI.run("multipath", "--no-enrich", "--geoip", g, "--ixp", x, "-m", "8", dest(LAB));
        assertThat(mpText.exitCode()).as(mpText.err()).isZero();
        assertThat(mpText.out()).contains("names").contains("[NL Amsterdam]  IX LAB-IX Amsterdam");
        System.out.print(mpText.out());
        Run ping = CLI.run("ping", "--no-enrich", "--geoip", g, "-c", "2", "-i", "0.2", "--json", dest(LAB));
        assertThat(ping.exitCode()).as("%s%n%s", ping.err(), ping.out()).isZero();
        JsonNode t = new ObjectMapper().readTree(ping.out()).get("results").get(0);
        assertThat(t.get("location").get("city").asText()).isEqualTo("Frankfurt");
        assertThat(t.get("exchangeStatus").asText()).isEqualTo("OFF");
    }
}
