package io.pathprobe.cli;

import static io.pathprobe.cli.CliRuns.JSON;
import static io.pathprobe.cli.CliRuns.dest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Nobody;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.PacketCapture;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code pathprobe multipath} end to end through a width-4 ECMP diamond hashed by the Linux kernel's
 * L4 multipath hash (UDP flows spread by destination port): as root (raw UDP) and as uid 65534
 * (UDP with IP_RECVERR, which also offers explicit flows), text and JSON.
 */
@LabTest
class CliMultipathLabTest {
    @RegisterExtension
    @Order(1)
    static final LabExtension LAB = new LabExtension(
            Lab.diamond(4, EcmpHash.LINUX_L4).icmpUnlimited("every branch of the diamond, in several runs of one lab").inCurrentNamespace());

    private static final CliRuns CLI = new CliRuns(Enrichment.OFF);
    @RegisterExtension
    @Order(2)
    static final Nobody NOBODY = Nobody.perClass(false);



    /** The output, for reading after the run: target/NAME. */
    private static void keep(String name, Run run) throws java.io.IOException {
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", name), run.out() + run.err());
    }

    private static Set<InetAddress> nodesAt(JsonNode report, int ttl) throws Exception {
        Set<InetAddress> out = new HashSet<>();
        for (JsonNode n : report.get("nodes")) {
            if (n.get("ttl").asInt() == ttl && !n.get("address").isNull()) {
                out.add(InetAddress.getByName(n.get("address").asText()));
            }
        }
        return out;
    }

    private static void findsTheDiamond(Run run, String transport) throws Exception {
        assertThat(run.exitCode()).as("%s%n%s", run.out(), run.err()).isZero();
        JsonNode j = JSON.readTree(run.out());
        int branch = LAB.lab().ecmpTtl().orElseThrow();
        assertThat(j.get("transport").asText()).isEqualTo(transport);
        assertThat(j.get("protocol").asText()).isEqualTo("udp");
        assertThat(j.get("complete").asBoolean()).isTrue();
        assertThat(j.get("destinationReached").asBoolean()).isTrue();
        assertThat(j.get("confidence").asDouble()).isEqualTo(99.9);
        assertThat(j.get("probes").asInt()).isPositive();
        assertThat(j.get("durationMs").asDouble()).isPositive();
        for (int ttl = 1; ttl <= LAB.lab().hops(); ttl++) {
            assertThat(nodesAt(j, ttl)).as("ttl %d", ttl).isEqualTo(LAB.lab().expectedResponders(ttl));
        }
        // every branch linked from the divergence point and to the convergence point
        List<String> links = new ArrayList<>();
        for (JsonNode l : j.get("links")) {
            links.add(l.get("from").asText() + ">" + l.get("to").asText());
        }
        String before = LAB.lab().expectedResponder(branch - 1).orElseThrow().getHostAddress();
        String after = LAB.lab().expectedResponder(branch + 1).orElseThrow().getHostAddress();
        for (InetAddress b : LAB.lab().expectedResponders(branch)) {
            assertThat(links).contains(before + ">" + b.getHostAddress(), b.getHostAddress() + ">" + after);
        }
        assertThat(j.get("diamonds")).hasSize(1);
        JsonNode d = j.get("diamonds").get(0);
        assertThat(d.get("divergence").get("address").asText()).isEqualTo(before);
        assertThat(d.get("convergence").get("address").asText()).isEqualTo(after);
        assertThat(d.get("widths").get(0).asInt()).isEqualTo(4);
        assertThat(d.get("meshed").asBoolean()).isFalse();
        assertThat(d.get("loadBalancing").asText()).isEqualTo("PER_FLOW");
        assertThat(j.get("paths")).hasSize(4);
        Set<String> middles = new HashSet<>();
        for (JsonNode p : j.get("paths")) {
            assertThat(p.get("addresses")).hasSize(LAB.lab().hops());
            middles.add(p.get("addresses").get(branch - 1).asText());
            assertThat(p.get("loss").asDouble()).isZero();
            assertThat(p.get("rtt").get("min").asDouble()).isPositive();
            assertThat(p.get("rtt").get("max").asDouble()).isGreaterThanOrEqualTo(p.get("rtt").get("avg").asDouble());
            closes(p, p);
            for (JsonNode h : p.get("hops")) {
                closes(p, h);
                assertThat(h.get("lost").asInt()).as("loss at TTL %s of %s", h.get("ttl"), p.get("addresses")).isZero();
            }
        }
        assertThat(middles).hasSize(4);
    }

    /** Every row of the document closes: {@code sent = received + lost + rateLimited + abandoned}. */
    static void closes(JsonNode path, JsonNode row) {
        assertThat(row.get("sent").asInt()).as("%s of %s closes", row, path.get("addresses"))
                .isEqualTo(row.get("received").asInt() + row.get("lost").asInt() + row.get("rateLimited").asInt()
                        + row.get("abandoned").asInt());
    }

    @Test
    void findsEveryBranchOfAWidthFourDiamondAsRoot() throws Exception {
        Run run = CLI.run("multipath", "--json", "--confidence", "99.9", dest(LAB));
        keep("multipath-lab.json", run);
        findsTheDiamond(run, "linux-raw-udp");
    }

    @Test
    void findsEveryBranchUnprivilegedThroughUdpWithIpRecverr() throws Exception {
        Run run = CLI.asNobody(NOBODY, "multipath", "--json", "--confidence", "99.9", dest(LAB));
        keep("multipath-lab-nobody.json", run);
        findsTheDiamond(run, "linux-udp-recverr");
    }

    @Test
    void printsTheDiamondAsText() throws Exception {
        Run run = CLI.run("multipath", "--algorithm", "mda", "--confidence", "99.9", dest(LAB));
        assertThat(run.exitCode()).as("%s%n%s", run.out(), run.err()).isZero();
        keep("multipath-lab.txt", run);
        int branch = LAB.lab().ecmpTtl().orElseThrow();
        String before = LAB.lab().expectedResponder(branch - 1).orElseThrow().getHostAddress();
        assertThat(run.out()).startsWith("pathprobe multipath to " + dest(LAB) + ", udp probes via linux-raw-udp, MDA at 99.9% "
                + "per node");
        assertThat(run.out()).contains("diamond after " + before + " (ttl " + (branch - 1) + "): width 4 over 1 TTL, "
                + "unmeshed, per-flow");
        assertThat(run.out()).contains("4 paths, 10 probes per hop:");
        assertThat(run.out()).contains("complete, destination reached:");
        String line = run.out().lines().filter(l -> l.startsWith(String.format("%3d    ", branch))).findFirst()
                .orElseThrow();
        for (InetAddress b : LAB.lab().expectedResponders(branch)) {
            assertThat(line).contains(b.getHostAddress());
        }
    }

    /**
     * Only the protocol asked for: a UDP discovery sends no TCP packet (the capture on the host's link sees none from
     * this host) and says so ({@code tcpConfirmations} 0); with {@code --tcp-confirm} every TCP packet it sends is
     * counted there.
     */
    @Test
    void aUdpDiscoverySendsNoTcpUnlessAsked() throws Exception {
        InetAddress host = LAB.lab().hostAddress();
        List<Run> runs = new ArrayList<>();
        PacketCapture.Capture plain = PacketCapture.during(LAB.lab(), 0, LAB.lab().hostInterface(), "tcp",
                () -> runs.add(CLI.run("multipath", "--json", dest(LAB))));
        assertThat(runs.get(0).exitCode()).as("%s%n%s", runs.get(0).out(), runs.get(0).err()).isZero();
        JsonNode j = JSON.readTree(runs.get(0).out());
        assertThat(j.get("tcpConfirmations").asInt()).isZero();
        assertThat(plain.packets()).as("TCP packets from this host").noneMatch(p -> p.source().equals(host));
        PacketCapture.Capture confirmed = PacketCapture.during(LAB.lab(), 0, LAB.lab().hostInterface(), "tcp",
                () -> runs.add(CLI.run("multipath", "--json", "--tcp-confirm", dest(LAB))));
        assertThat(runs.get(1).exitCode()).as("%s%n%s", runs.get(1).out(), runs.get(1).err()).isZero();
        JsonNode c = JSON.readTree(runs.get(1).out());
        assertThat(confirmed.packets().stream().filter(p -> p.source().equals(host)).count())
                .as("TCP packets from this host").isEqualTo(c.get("tcpConfirmations").asLong());
    }

    @Test
    void badTargetsExitTwo() {
        Run unknown = CLI.run("multipath", "no-such-host.invalid");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown host 'no-such-host.invalid'");
        Run family = CLI.run("multipath", "-6", dest(LAB));
        assertThat(family.exitCode()).isEqualTo(2);
        assertThat(family.err()).contains("is an IPv4 address; the request asks for IPV6");
    }
}
