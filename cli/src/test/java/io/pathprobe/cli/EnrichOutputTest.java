package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.enrich.PublicAddress;
import io.pathprobe.enrich.Responder;
import io.pathprobe.enrich.Segment;
import io.pathprobe.enrich.ServerAddress;
import io.pathprobe.json.TraceJson;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The enriched trace table and JSON, and the enrichment options' errors (nothing is sent). */
class EnrichOutputTest {
    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    private static final AsnInfo ISP = new AsnInfo(64500, Optional.of("198.18.0.0/15"), Optional.of("LAB-ISP, ZZ"),
            Optional.of("ZZ"), Optional.empty());

    private static Hop hop(int ttl, String address, Lookup<String> name, Lookup<AsnInfo> asn, Segment segment)
            throws Exception {
        InetAddress a = ip(address);
        ProbeResult p = probe(ttl, a);
        HopStatistics st = new HopStatistics(1, 1, 0, 0, 0, 0, Optional.of(new RttStatistics(Duration.ofMillis(1),
                Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(1), Duration.ZERO)));
        return new Hop(ttl, List.of(p), List.of(new Responder(a, 1, name, asn)), st, false, segment);
    }

    private static ProbeResult probe(int ttl, InetAddress a) {
        return new ProbeResult(ttl, 0, ProbeStatus.REPLY, Optional.of(a), Optional.of(Duration.ofNanos(50_000)),
                Optional.empty(), false, Optional.empty(), java.util.OptionalInt.empty(), List.of());
    }

    private static Hop silent(int ttl) {
        return new Hop(ttl, List.of(new ProbeResult(ttl, 0, ProbeStatus.TIMEOUT, Optional.empty(), Optional.empty(),
                Optional.empty(), false, Optional.empty(), java.util.OptionalInt.empty(), List.of())), List.of(),
                new HopStatistics(1, 0, 1, 1, 0, 0, Optional.empty()), false, Segment.ISP);
    }

    private static TraceResult result() throws Exception {
        PathContext ctx = new PathContext(Lookup.found(new PublicAddress(ip("198.18.0.2"), 40000,
                new InetSocketAddress(ip("198.51.100.3"), 3478), ip("192.168.1.10"), true)), Lookup.found(ISP),
                Lookup.found(AsnInfo.of(64510)));
        return new TraceResult("198.51.100.10", Optional.of(ip("198.51.100.10")), ProbeProtocol.ICMP, "fake",
                TraceStatus.DESTINATION_REACHED, List.of(
                        hop(1, "192.168.1.1", Lookup.found("router.home.lab.example"), Lookup.notFound(), Segment.LAN),
                        silent(2),
                        hop(3, "198.18.1.1", Lookup.found("core1.isp.lab.example"), Lookup.found(ISP), Segment.ISP),
                        hop(4, "203.0.113.1", Lookup.failed("timed out"), Lookup.failed("timed out"), Segment.UNKNOWN)),
                Instant.now(), Duration.ofMillis(3), 0, Optional.empty(), io.pathprobe.trace.FlowMode.PARIS, 1, ctx);
    }

    /**
     * Issue 67: without AS numbers (no -A, no GeoIP database) a public hop's segment cannot be told: no segment column
     * (it read UNKNOWN on every hop of a network without AS data), the RTTs right after the host column.
     */
    @Test
    void withoutAsNumbersThereIsNoSegmentColumn() throws Exception {
        TraceResult r = result();
        String l4 = HopTable.line(r.hops().get(3), Segment.UNKNOWN, false, true);
        String l3 = HopTable.line(r.hops().get(2), Segment.ISP, false, true);
        assertThat(l4).doesNotContain("UNKNOWN").doesNotContain("AS?");
        assertThat(l3).doesNotContain("ISP ").doesNotContain("AS64500");
        assertThat(l3.substring(4 + HopTable.HOST_WIDTH)).matches("  \\d+\\.\\d{3} ms.*");
    }

    @Test
    void tableLinesAreAlignedWithHostAsAndSegment() throws Exception {
        TraceResult r = result();
        String l3 = HopTable.line(r.hops().get(2), Segment.ISP);
        String l1 = HopTable.line(r.hops().get(0), Segment.LAN);
        String l4 = HopTable.line(r.hops().get(3), Segment.UNKNOWN);
        assertThat(l3).startsWith(" 3  core1.isp.lab.example (198.18.1.1)").contains("AS64500 LAB-ISP").contains("ISP");
        assertThat(l1).startsWith(" 1  router.home.lab.example (192.168.1.1)").contains("LAN");
        assertThat(l4).contains("203.0.113.1").contains("AS?").contains("UNKNOWN");
        // the segment column starts at the same place on every line
        int column = 4 + HopTable.HOST_WIDTH + 2 + HopTable.AS_WIDTH + 2;
        assertThat(l1.substring(column)).startsWith("LAN ");
        assertThat(l3.substring(column)).startsWith("ISP ");
        assertThat(l4.substring(column)).startsWith("UNKNOWN ");
        assertThat(l3.substring(4 + HopTable.HOST_WIDTH + 2)).startsWith("AS64500 LAB-ISP ");
        System.out.println(l1 + "\n" + l3 + "\n" + l4);
        assertThat(HopTable.contextLine(r.context())).isEqualTo(
                "public address: 198.18.0.2, AS64500 LAB-ISP (behind NAT: this host is 192.168.1.10); destination AS64510");
    }

    @Test
    void liveTablePrintsSilentHopsWithTheirNeighboursSegment() throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        HopTable t = new HopTable(new PrintStream(o, true, StandardCharsets.UTF_8), 1, 30, true);
        TraceResult r = result();
        Hop pending = r.hops().get(0).withEnrichment(List.of(r.hops().get(0).responders().get(0)
                .withLookups(Lookup.pending(), Lookup.pending())), Segment.LAN);
        t.hopCompleted(pending);
        assertThat(o.toString(StandardCharsets.UTF_8)).as("waits for the hop's lookups").isEmpty();
        t.hopEnriched(r.hops().get(0));
        t.hopCompleted(new Hop(2, silent(2).probes(), List.of(), new HopStatistics(1, 0, 1, 1, 0, 0, Optional.empty())));
        Hop third = r.hops().get(2).withEnrichment(r.hops().get(2).responders(), Segment.ISP);
        t.hopCompleted(third);
        t.finish(r);
        String[] lines = o.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines[0]).contains("router.home.lab.example");
        assertThat(lines[1]).startsWith(" 2  *").contains("UNKNOWN"); // LAN before, ISP after
        assertThat(lines[2]).contains("core1.isp.lab.example");
    }

    @Test
    void aStoppedTracesTtlsStillWaitingAreOneLine() throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        HopTable t = new HopTable(new PrintStream(o, true, StandardCharsets.UTF_8), 1, 30);
        TraceResult r = result();
        List<Hop> hops = new java.util.ArrayList<>(r.hops().subList(0, 1));
        for (int ttl = 2; ttl <= 30; ttl++) {
            hops.add(new Hop(ttl, List.of(new ProbeResult(ttl, 0, ProbeStatus.ABANDONED, Optional.empty(), Optional.empty(),
                    Optional.empty(), false, Optional.empty(), java.util.OptionalInt.empty(), List.of())), List.of(),
                    new HopStatistics(1, 0, 0, 0, 0, 0, Optional.empty()), false, Segment.UNKNOWN));
        }
        TraceResult stopped = new TraceResult(r.target(), r.destination(), r.protocol(), r.transport(), TraceStatus.CANCELLED,
                hops, r.startedAt(), r.duration(), 0, Optional.empty());
        t.hopCompleted(hops.get(0));
        t.finish(stopped);
        List<String> lines = o.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines.get(lines.size() - 1)).isEqualTo("(TTLs 2-30 still waiting when the trace stopped)");
        assertThat(lines).noneMatch(l -> l.matches("\\s*\\d+\\s+-.*"));
    }

    @Test
    void jsonHasPublicAddressHostnameAsnAndSegment() throws Exception {
        JsonNode j = new ObjectMapper().readTree(TraceJson.write(result()));
        assertThat(j.get("schemaVersion").asInt()).isEqualTo(11);
        assertThat(j.get("publicAddress").asText()).isEqualTo("198.18.0.2");
        assertThat(j.get("behindNat").asBoolean()).isTrue();
        JsonNode h3 = j.get("hops").get(2);
        assertThat(h3.get("hostname").asText()).isEqualTo("core1.isp.lab.example");
        assertThat(h3.get("asn").get("number").asLong()).isEqualTo(64500);
        assertThat(h3.get("asn").get("prefix").asText()).isEqualTo("198.18.0.0/15");
        assertThat(h3.get("asn").get("name").asText()).isEqualTo("LAB-ISP, ZZ");
        assertThat(h3.get("segment").asText()).isEqualTo("ISP");
        assertThat(j.get("hops").get(1).get("hostname").isNull()).isTrue();
        assertThat(j.get("hops").get(1).get("asn").isNull()).isTrue();
        assertThat(j.get("hops").get(1).get("segment").asText()).isEqualTo("ISP");
        assertThat(j.get("hops").get(3).get("hostnameStatus").asText()).isEqualTo("FAILED");
        assertThat(j.get("context").get("destinationAsn").get("number").asLong()).isEqualTo(64510);
    }

    @Test
    void jsonWithoutEnrichmentHasNulls() throws Exception {
        TraceResult r = result();
        TraceResult plain = new TraceResult(r.target(), r.destination(), r.protocol(), r.transport(), r.status(),
                List.of(new Hop(1, r.hops().get(0).probes(), List.of(new Responder(ip("192.168.1.1"), 1)),
                        r.hops().get(0).statistics())), r.startedAt(), r.duration(), 0, Optional.empty());
        JsonNode j = new ObjectMapper().readTree(TraceJson.write(plain));
        assertThat(j.get("publicAddress").isNull()).isTrue();
        assertThat(j.get("hops").get(0).get("hostname").isNull()).isTrue();
        assertThat(j.get("hops").get(0).get("segment").asText()).isEqualTo("UNKNOWN");
        assertThat(j.get("hops").get(0).get("hostnameStatus").asText()).isEqualTo("OFF");
    }

    /** Arguments as given: the errors of the enrichment options, --no-enrich among them. */
    private static final CliRuns CLI = new CliRuns(Enrichment.AS_GIVEN);

    @JarTest
    @Test
    void badServerAddressesExitTwoBeforeAnythingIsSent() {
        for (String[] args : List.of(
                new String[] {"trace", "--dns-server", "300.1.1.1", "127.0.0.1"},
                new String[] {"trace", "--dns-server", "127.0.0.1:70000", "127.0.0.1"},
                new String[] {"trace", "--dns-server", "dns.example", "127.0.0.1"},
                new String[] {"trace", "--stun-server", "[::1", "127.0.0.1"},
                new String[] {"trace", "--stun-server", "127.0.0.1:0", "127.0.0.1"},
                new String[] {"trace", "--no-enrich", "--dns-server", "127.0.0.1", "127.0.0.1"},
                new String[] {"ping", "--dns-server", "1.2.3", "127.0.0.1"},
                new String[] {"multipath", "--stun-server", "127.0.0.1:x", "127.0.0.1"})) {
            Run r = CLI.run(args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", args)).startsWith("pathprobe " + args[0] + ": ")
                    .containsAnyOf("invalid DNS server", "invalid STUN server", "--no-enrich excludes");
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void serverAddressForms() {
        assertThat(ServerAddress.parse("192.0.2.53", 53, "DNS server")).isEqualTo(new InetSocketAddress("192.0.2.53", 53));
        assertThat(ServerAddress.parse("192.0.2.53:5353", 53, "DNS server").getPort()).isEqualTo(5353);
        assertThat(ServerAddress.parse("[2001:db8::53]:5353", 53, "DNS server").getPort()).isEqualTo(5353);
        assertThat(ServerAddress.parse("2001:db8::53", 53, "DNS server").getAddress().getHostAddress())
                .isEqualTo("2001:db8:0:0:0:0:0:53");
        assertThat(ServerAddress.parse("[::1]", 3478, "STUN server").getPort()).isEqualTo(3478);
    }
}
