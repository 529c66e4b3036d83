package io.pathprobe.cli;

import static io.pathprobe.cli.CliRuns.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.json.MultipathJson;
import io.pathprobe.multipath.Diamond;
import io.pathprobe.multipath.LoadBalancing;
import io.pathprobe.multipath.MultipathLink;
import io.pathprobe.multipath.MultipathNode;
import io.pathprobe.multipath.MultipathPath;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.multipath.MultipathStatus;
import io.pathprobe.multipath.PathHop;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.trace.HopStatistics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The multipath command's text and JSON on hand-built results, its exit codes and its argument errors (no probe sent). */
class MultipathOutputTest {

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s); // literals only: no lookup
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static MultipathNode node(int ttl, String address, int... flows) {
        return new MultipathNode(ttl, Optional.of(ip(address)), flows.length,
                IntStream.of(flows).boxed().toList(), false, LoadBalancing.PER_FLOW,
                Optional.of(rtt(0.1 * ttl, 0.1 * ttl + 0.05, 0.1 * ttl + 0.1)));
    }

    static RttStatistics rtt(double minMs, double avgMs, double maxMs) {
        return new RttStatistics(ms(avgMs), ms(minMs), ms(avgMs), ms(maxMs), ms(0.01));
    }

    static Duration ms(double ms) {
        return Duration.ofNanos(Math.round(ms * 1e6));
    }

    static MultipathLink link(MultipathNode a, MultipathNode b) {
        return new MultipathLink(a.ttl(), a.address(), b.address(), 1);
    }

    static HopStatistics stats(int sent, int lostForward, int lostBackward) {
        int lost = lostForward + lostBackward;
        return new HopStatistics(sent, sent - lost, lost, lostForward, lostBackward, 0,
                sent == lost ? Optional.empty() : Optional.of(rtt(0.3, 0.35, 0.4)));
    }

    /**
     * r1 at TTL 1, {@code width} branches at TTL 2, r3 at TTL 3, the destination at TTL 4; the last
     * branch loses 3 of 10 probes on the way out and one answer on the way back.
     */
    static MultipathResult diamond(int width, MultipathStatus status) {
        MultipathRequest request = MultipathRequest.builder("198.18.10.1").build();
        MultipathNode r1 = node(1, "198.18.0.1", 0, 1, 2, 3);
        MultipathNode r3 = node(3, "198.18.9.1", 0, 1, 2, 3);
        MultipathNode dst = new MultipathNode(4, Optional.of(ip("198.18.10.1")), 4, List.of(0, 1, 2, 3), true,
                LoadBalancing.PER_FLOW, Optional.empty());
        List<MultipathNode> nodes = new ArrayList<>(List.of(r1));
        List<MultipathLink> links = new ArrayList<>();
        List<MultipathPath> paths = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            MultipathNode b = node(2, "198.18." + (i + 1) + ".1", i);
            nodes.add(b);
            links.add(link(r1, b));
            links.add(link(b, r3));
            boolean lossy = i == width - 1;
            HopStatistics end = lossy ? stats(10, 3, 0) : stats(10, 0, 0);
            paths.add(new MultipathPath(List.of(new PathHop(1, r1.address(), stats(10, 0, 0)),
                    new PathHop(2, b.address(), lossy ? stats(10, 3, 1) : stats(10, 0, 0)),
                    new PathHop(3, r3.address(), end), new PathHop(4, dst.address(), end)), List.of(i), end));
        }
        nodes.add(r3);
        nodes.add(dst);
        links.add(link(r3, dst));
        Diamond d = new Diamond(r1, Optional.of(r3), List.of(width), false, LoadBalancing.PER_FLOW);
        return new MultipathResult(request, ip("198.18.10.1"), "linux-udp-recverr", ProbeProtocol.UDP, status,
                Instant.parse("2026-01-02T03:04:05Z"), Duration.ofMillis(123), nodes, links, List.of(d), paths,
                96 + 40 * width, 96, 95.0, 90.25, true,
                status == MultipathStatus.PROBE_BUDGET ? List.of(r3) : List.of(),
                List.of("a note"));
    }

    @Test
    void aDiamondReadsHopByHopWithItsBranchesSideBySide() {
        String text = MultipathReport.render(diamond(4, MultipathStatus.COMPLETED), 100);
        List<String> lines = text.lines().toList();
        assertThat(lines.get(0)).isEqualTo("ttl    nodes");
        assertThat(lines.get(1)).isEqualTo("  1    198.18.0.1");
        assertThat(lines.get(2)).isEqualTo("  2    198.18.1.1   198.18.2.1   198.18.3.1   198.18.4.1");
        assertThat(lines.get(3)).isEqualTo("  3    198.18.9.1"); // links obvious: no link lines
        assertThat(lines.get(4)).isEqualTo("  4    198.18.10.1");
        assertThat(text).contains("diamond after 198.18.0.1 (ttl 1): width 4 over 1 TTL, unmeshed, per-flow, "
                + "converges at 198.18.9.1 (ttl 3)\n");
        assertThat(text).contains("4 paths, 10 probes per hop:\n");
        assertThat(text).contains("  1    0.0%      0-28%     0.0%     0.0%   0.300/0.350/0.400   1: 0\n"
                + "     198.18.0.1 → 198.18.1.1 → 198.18.9.1 → 198.18.10.1\n");
        assertThat(text).contains("  4   30.0%     11-60%    30.0%     0.0%   0.300/0.350/0.400   1: 3\n");
        assertThat(text).contains("complete, destination reached: 256 probes (96 to discover, 160 per path) in "
                + "123.000 ms, 7 nodes, 9 links, max width 4\n");
        assertThat(text).contains("confidence 95% per node, 90.25% for the whole topology\n");
        assertThat(text).endsWith("note: a note\n");
        assertThat(MultipathCommand.exitCode(diamond(4, MultipathStatus.COMPLETED))).isZero();
    }

    @Test
    void sixteenBranchesWrapToTheWidthInAlignedColumns() {
        String text = MultipathReport.render(diamond(16, MultipathStatus.COMPLETED), 60);
        List<String> ttl2 = text.lines().dropWhile(l -> !l.startsWith("  2 ")).takeWhile(l -> !l.startsWith("  3 "))
                .toList();
        assertThat(ttl2).hasSize(4); // 4 columns of 13 in 60
        assertThat(ttl2.get(0)).isEqualTo("  2    198.18.1.1   198.18.2.1   198.18.3.1   198.18.4.1");
        assertThat(ttl2.get(3)).isEqualTo("       198.18.13.1  198.18.14.1  198.18.15.1  198.18.16.1");
        assertThat(text.lines().takeWhile(l -> !l.isEmpty())).allSatisfy(l -> assertThat(l.length())
                .as(l).isLessThanOrEqualTo(60));
        assertThat(text.lines().filter(l -> l.contains("→"))).allSatisfy(l -> assertThat(l.length())
                .as(l).isLessThanOrEqualTo(60));
        assertThat(text).contains("width 16 over 1 TTL");
    }

    @Test
    void linksThatAreNotObviousAreListedAndPerPacketBalancersFlagged() {
        MultipathRequest request = MultipathRequest.builder("198.18.10.1").pathProbes(0).build();
        MultipathNode lb = new MultipathNode(1, Optional.of(ip("198.18.0.1")), 8, List.of(0, 1), false,
                LoadBalancing.PER_PACKET, Optional.empty());
        MultipathNode a = node(2, "198.18.1.1", 0);
        MultipathNode b = node(2, "198.18.2.1", 1);
        MultipathNode c = node(3, "198.18.3.1", 0);
        MultipathNode d = node(3, "198.18.4.1", 0);
        MultipathNode e = node(3, "198.18.5.1", 1);
        MultipathNode silent = new MultipathNode(4, Optional.empty(), 0, List.of(0, 1), false, LoadBalancing.PER_FLOW,
                Optional.empty());
        HopStatistics none = new HopStatistics(0, 0, 0, 0, Optional.empty());
        MultipathResult r = new MultipathResult(request, ip("198.18.10.1"), "linux-udp-raw", ProbeProtocol.UDP,
                MultipathStatus.PROBE_BUDGET, Instant.EPOCH, Duration.ofMillis(5), List.of(lb, a, b, c, d, e, silent),
                List.of(link(lb, a), link(lb, b), link(a, c), link(a, d), link(b, e), link(c, silent), link(d, silent),
                        link(e, silent)),
                List.of(new Diamond(lb, Optional.empty(), List.of(2, 3), true, LoadBalancing.PER_PACKET)),
                List.of(new MultipathPath(List.of(new PathHop(1, lb.address(), none), new PathHop(2, a.address(), none),
                        new PathHop(3, c.address(), none), new PathHop(4, Optional.empty(), none)), List.of(0), none)),
                40, 40, 99, 97.0299, false, List.of(c, d), List.of());
        String text = MultipathReport.render(r, 80);
        assertThat(text).startsWith("ttl    nodes  (! per-packet load balancer)\n  1    198.18.0.1!\n");
        assertThat(text).contains("  2    198.18.1.1   198.18.2.1\n"
                + "         198.18.1.1 → 198.18.3.1 198.18.4.1\n"
                + "         198.18.2.1 → 198.18.5.1\n"
                + "  3    198.18.3.1   198.18.4.1   198.18.5.1\n"
                + "  4    *\n");
        assertThat(text).contains("diamond after 198.18.0.1 (ttl 1): width 3 over 2 TTLs (2, 3), meshed, per-packet "
                + "(widths are what was seen), does not converge before the end\n");
        assertThat(text).contains("per-packet load balancer at 198.18.0.1 (ttl 1)");
        assertThat(text).contains("1 path (not measured: --path-probes 0):\n");
        assertThat(text).contains("  1       -          -        -        -   -                   1: 0\n"
                + "     198.18.0.1 → 198.18.1.1 → 198.18.3.1 → *\n");
        assertThat(text).contains("cut short: the probe budget (10000 probes) ran out, destination 198.18.10.1 not "
                + "reached: 40 probes");
        assertThat(text).contains("confidence 99% per node, 97.03% for the whole topology (where it was explored)\n");
        assertThat(text).contains("unexplored (2): 198.18.3.1@3 198.18.4.1@3\n");
        assertThat(MultipathCommand.exitCode(r)).isEqualTo(1);

        JsonNode json = json(r);
        assertThat(json.get("nodes").get(6).get("address").isNull()).as("silent: null").isTrue();
        assertThat(json.get("nodes").get(0).get("loadBalancing").asText()).isEqualTo("PER_PACKET");
        assertThat(json.get("perPacketLoadBalancing").asBoolean()).isTrue();
        assertThat(json.get("links").get(5).get("to").isNull()).isTrue();
        assertThat(json.get("paths").get(0).get("addresses").get(3).isNull()).isTrue();
        assertThat(json.get("paths").get(0).get("rtt").isNull()).isTrue();
        assertThat(json.get("diamonds").get(0).get("convergence").isNull()).isTrue();
        assertThat(json.get("status").asText()).isEqualTo("PROBE_BUDGET");
        assertThat(json.get("complete").asBoolean()).isFalse();
        assertThat(json.get("unexplored").get(1).get("address").asText()).isEqualTo("198.18.4.1");
    }

    static JsonNode json(MultipathResult r) {
        try {
            return JSON.readTree(MultipathJson.write(r));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theJsonHasTheIssuesFieldsAndMore() {
        MultipathResult r = diamond(4, MultipathStatus.COMPLETED);
        JsonNode j = json(r);
        assertThat(j.get("schemaVersion").asInt()).isEqualTo(9);
        assertThat(j.get("probes").asInt()).isEqualTo(256);
        assertThat(j.get("discoveryProbes").asInt()).isEqualTo(96);
        assertThat(j.get("durationMs").asDouble()).isEqualTo(123.0);
        assertThat(j.get("confidence").asDouble()).isEqualTo(95.0);
        assertThat(j.get("globalConfidence").asDouble()).isEqualTo(90.25);
        assertThat(j.get("complete").asBoolean()).isTrue();
        assertThat(j.get("destinationReached").asBoolean()).isTrue();
        assertThat(j.get("destination").asText()).isEqualTo("198.18.10.1");
        assertThat(j.get("protocol").asText()).isEqualTo("udp");
        assertThat(j.get("transport").asText()).isEqualTo("linux-udp-recverr");
        assertThat(j.get("algorithm").asText()).isEqualTo("mda-lite");
        assertThat(j.get("nodes")).hasSize(7);
        assertThat(j.get("nodes").get(1).get("address").asText()).isEqualTo("198.18.1.1");
        assertThat(j.get("nodes").get(1).get("ttl").asInt()).isEqualTo(2);
        assertThat(j.get("nodes").get(0).get("flows")).hasSize(4);
        assertThat(j.get("links")).hasSize(9);
        assertThat(j.get("links").get(0).get("from").asText()).isEqualTo("198.18.0.1");
        assertThat(j.get("links").get(0).get("to").asText()).isEqualTo("198.18.1.1");
        assertThat(j.get("diamonds").get(0).get("widths").get(0).asInt()).isEqualTo(4);
        assertThat(j.get("diamonds").get(0).get("divergence").get("address").asText()).isEqualTo("198.18.0.1");
        assertThat(j.get("diamonds").get(0).get("meshed").asBoolean()).isFalse();
        JsonNode lossy = j.get("paths").get(3);
        assertThat(lossy.get("addresses")).hasSize(4);
        assertThat(lossy.get("addresses").get(1).asText()).isEqualTo("198.18.4.1");
        assertThat(lossy.get("loss").asDouble()).isEqualTo(0.3);
        assertThat(lossy.get("forwardLoss").asDouble()).isEqualTo(0.3);
        assertThat(lossy.get("rtt").get("min").asDouble()).isEqualTo(0.3);
        assertThat(lossy.get("rtt").get("avg").asDouble()).isEqualTo(0.35);
        assertThat(lossy.get("rtt").get("max").asDouble()).isEqualTo(0.4);
        assertThat(lossy.get("hops").get(1).get("backwardLost").asInt()).isEqualTo(1);
        assertThat(lossy.get("flows").get(0).asInt()).isEqualTo(3);
        assertThat(lossy.get("lossBasis").asText()).isEqualTo("end-to-end");
        assertThat(j.get("paths").get(0).get("loss").asDouble()).isZero();
        assertThat(j.get("notes").get(0).asText()).isEqualTo("a note");
    }

    @Test
    void cutShortOrNotReachedExitsOne() {
        assertThat(MultipathCommand.exitCode(diamond(2, MultipathStatus.PROBE_BUDGET))).isEqualTo(1);
        assertThat(MultipathCommand.exitCode(diamond(2, MultipathStatus.DEADLINE_EXCEEDED))).isEqualTo(1);
        assertThat(MultipathCommand.exitCode(diamond(2, MultipathStatus.CANCELLED))).isEqualTo(1);
        assertThat(MultipathReport.render(diamond(2, MultipathStatus.DEADLINE_EXCEEDED), 80))
                .contains("cut short: the deadline (30 s) passed");
        assertThat(MultipathReport.render(diamond(2, MultipathStatus.PROBE_BUDGET), 80))
                .contains("unexplored (1): 198.18.9.1@3");
    }

    /** Only with arguments that fail before a probe could be sent; passed as given. */
    private static final CliRuns CLI = new CliRuns(Enrichment.AS_GIVEN);

    @JarTest
    @Test
    void badArgumentsExitTwoWithAClearMessage() {
        String dest = "198.18.10.1";
        for (String c : List.of("0", "100", "-5", "150")) {
            refused("confidence must be strictly between 0 and 100 percent, was", "multipath", "--confidence", c, dest);
        }
        refused("Invalid value for option '--max-probes': '0' is not a count: give 1 or more", "multipath", "--max-probes", "0", dest);
        // the request's check, in the options' words
        refused("-m 4 is below -f 5", "multipath", "--first-ttl", "5", "--max-ttl", "4", dest);
        refused("'dublin' is not an algorithm: mda or mda-lite", "multipath", "--algorithm", "dublin", dest);
        refused("Invalid value for option '--protocol'", "multipath", "--protocol", "sctp", dest);
        refused("-4 and -6 exclude each other", "multipath", "-4", "-6", dest);
        refused("--port is for udp and tcp probes", "multipath", "--protocol", "icmp", "--port", "80", dest);
        refused("-p must be 1..65535, was 0", "multipath", "--port", "0", dest);
        refused("--path-probes must be 0..100000, was -1", "multipath", "--path-probes", "-1", dest);
        refused("Missing required parameter: 'TARGET'", "multipath");
        Run help = CLI.run("multipath", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--confidence", "--path-probes", "--algorithm", "--json");
    }

    /** Runs the command line with {@code args}: it exits 2, its error output contains {@code message}. */
    private static void refused(String message, String... args) {
        Run r = CLI.run(args);
        assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
        assertThat(r.err()).contains(message);
    }

    @Test
    void percentages() {
        assertThat(MultipathReport.percent(95)).isEqualTo("95");
        assertThat(MultipathReport.percent(90.25)).isEqualTo("90.25");
        assertThat(MultipathReport.percent(99.99499)).isEqualTo("99.995");
    }
}
