package io.pathprobe.cli;

import static io.pathprobe.cli.CliRuns.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.middlebox.IdentityRouter;
import io.pathprobe.lab.middlebox.IdentityRouter.Answer;
import io.pathprobe.probe.AddressText;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 72 item 4's done-when, through the built jar: a 4-hop chain whose three routers all answer from one address
 * ({@link IdentityRouter}: RFC 5837 Interface Information and Node Identification objects in each Time Exceeded,
 * IPv4 and IPv6). The text shows hops 1..3 with the shared address and each its own interface and node, and the
 * JSON carries, per probe, the {@code interfaces[]} and {@code nodeId} the router logged for that hop; ICMP, UDP and
 * TCP probes. The report of such a trace draws each router apart (its node and interface in the hop table and in the
 * graph, opened in headless Chromium), and {@code diff} of two traces whose routers behind the shared address changed
 * (the identity router restarted with other node numbers) names each hop's other router.
 */
@LabTest
class CliIdentityLabTest {
    private static final int ROUTERS = 3;

    @RegisterExtension
    @Order(1)
    static final LabExtension LAB = new LabExtension(Lab.chain(ROUTERS + 1).ipv6()
            .icmpUnlimited("six traces in a row, each reaching the destination, whose answers are asserted")
            .inCurrentNamespace());

    private static final CliRuns CLI = new CliRuns(CliRuns.Enrichment.OFF);

    @ParameterizedTest(name = "{0} over IPv{1}")
    @CsvSource({"icmp, 4", "udp, 4", "tcp, 4", "icmp, 6", "udp, 6", "tcp, 6"})
    void eachHopBehindTheSharedAddressShowsItsInterfaceAndNode(String protocol, int family) throws Exception {
        Lab lab = LAB.lab();
        String dest = (family == 6 ? lab.destination6() : lab.destination()).getHostAddress();
        InetAddress shared = InetAddress.getByName(family == 6 ? IdentityRouter.SHARED6 : IdentityRouter.SHARED4);
        Traced text = traced(lab, "trace", "-e", "-P", protocol, dest);
        for (int hop = 1; hop <= ROUTERS; hop++) {
            Answer a = answer(text, hop);
            assertThat(a.source()).isEqualTo(shared);
            String prefix = " " + hop + "  ";
            String line = text.run().out().lines().filter(l -> l.startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new AssertionError("no hop " + prefix + "in\n" + text.run().out()));
            assertThat(line).as(text.run().out()).startsWith(prefix + AddressText.of(shared) + "  ")
                    .contains("<INC:" + a.ifIndex() + ",\"" + a.ifName() + "\",mtu=" + a.mtu() + ";NODE:"
                            + AddressText.of(a.nodeAddress()) + ",\"" + a.nodeName() + "\">");
        }

        Traced json = traced(lab, "trace", "--json", "-P", protocol, dest);
        JsonNode hops = JSON.readTree(json.run().out()).get("hops");
        Set<String> nodes = new HashSet<>();
        for (int hop = 1; hop <= ROUTERS; hop++) {
            Answer a = answer(json, hop);
            JsonNode h = hops.get(hop - 1);
            assertThat(h.get("ttl").asInt()).isEqualTo(hop);
            int answered = 0;
            for (JsonNode p : h.get("probes")) {
                if (!p.hasNonNull("responder")) {
                    continue;
                }
                answered++;
                String what = json.run().out();
                assertThat(InetAddress.getByName(p.get("responder").asText())).as(what).isEqualTo(shared);
                JsonNode in = p.get("interfaces");
                assertThat(in).as(what).hasSize(1);
                assertThat(in.get(0).get("role").asText()).as(what).isEqualTo("INCOMING");
                assertThat(in.get(0).get("ifIndex").asInt()).as(what).isEqualTo(a.ifIndex());
                assertThat(in.get(0).get("name").asText()).as(what).isEqualTo(a.ifName());
                assertThat(in.get(0).get("mtu").asInt()).as(what).isEqualTo(a.mtu());
                assertThat(InetAddress.getByName(p.get("nodeId").get("address").asText())).as(what)
                        .isEqualTo(a.nodeAddress());
                assertThat(p.get("nodeId").get("name").asText()).as(what).isEqualTo(a.nodeName());
                nodes.add(p.get("nodeId").get("name").asText());
            }
            assertThat(answered).as("answered probes at hop %d:%n%s", hop, json.run().out()).isPositive();
        }
        assertThat(nodes).as("one shared address, three routers told apart").hasSize(ROUTERS);
        JsonNode last = hops.get(hops.size() - 1);
        assertThat(last.get("ttl").asInt()).as("the destination, beyond them, answers as usual").isEqualTo(ROUTERS + 1);
        assertThat(InetAddress.getByName(last.get("probes").get(0).get("responder").asText()))
                .isEqualTo(InetAddress.getByName(dest));
        assertThat(last.get("probes").get(0).has("nodeId")).isFalse();
    }

    @Test
    void theReportDrawsEachRouterApartAndDiffNamesAnotherRouterBehindTheSameAddress(@TempDir Path tmp)
            throws Exception {
        Lab lab = LAB.lab();
        String dest = lab.destination().getHostAddress();
        String shared = IdentityRouter.SHARED4;
        Traced before = traced(lab, 1, "trace", "--json", dest);
        Path a = Files.writeString(tmp.resolve("before.json"), before.run().out());
        Path page = Path.of("target", "report-identity.html").toAbsolutePath();
        Files.deleteIfExists(page);
        Run report = CLI.run("report", a.toString(), "-o", page.toString());
        assertThat(report.exitCode()).as("%s%s", report.out(), report.err()).isZero();
        String dom = Chromium.opened(tmp, page, Path.of("target", "report-identity.png").toAbsolutePath());
        for (int hop = 1; hop <= ROUTERS; hop++) {
            Answer x = answer(before, hop);
            // the hop table's cell, and a node of its own keyed by the address and the node object
            assertThat(dom).contains("<td class=\"identity\">" + text(identity(x)) + "</td>")
                    .contains("data-id=\"" + text(shared + " NODE:" + AddressText.of(x.nodeAddress()) + ",\""
                            + x.nodeName() + "\"").replace("\"", "&quot;") + "\"");
        }
        assertThat(Chromium.count(dom, "data-id=\"" + shared + " NODE:")).as("one node per router").isEqualTo(ROUTERS);

        Traced after = traced(lab, ROUTERS + 1, "trace", "--json", dest); // routers 4..6 behind the same address
        Path b = Files.writeString(tmp.resolve("after.json"), after.run().out());
        Run diff = CLI.run("diff", a.toString(), b.toString());
        assertThat(diff.exitCode()).as("%s%s", diff.out(), diff.err()).isEqualTo(1);
        for (int hop = 1; hop <= ROUTERS; hop++) {
            assertThat(diff.out().lines()).as(diff.out()).contains("hop " + hop + ": " + identity(answer(before, hop))
                    + " -> " + identity(answer(after, hop)) + " (same address, other router)");
        }
        JsonNode changes = JSON.readTree(CLI.run("diff", "--json", a.toString(), b.toString()).out()).get("targets")
                .get(0).get("changes");
        List<Integer> identityHops = new java.util.ArrayList<>();
        changes.forEach(c -> {
            if (c.get("kind").asText().equals("RESPONDER_IDENTITY_CHANGED")) {
                identityHops.add(c.get("ttl").asInt());
            }
        });
        assertThat(identityHops).as("%s", changes).containsExactly(1, 2, 3);

        // the same routers again: whatever else a second trace shows, no other router
        Traced again = traced(lab, 1, "trace", "--json", dest);
        Path c = Files.writeString(tmp.resolve("again.json"), again.run().out());
        Run same = CLI.run("diff", "--json", a.toString(), c.toString());
        assertThat(same.exitCode()).as("%s%s", same.out(), same.err()).isIn(0, 1);
        assertThat(same.out()).contains("\"changes\"").doesNotContain("RESPONDER_IDENTITY_CHANGED");
    }

    /** An answer's address and objects as the report's hop table and diff write them. */
    private static String identity(Answer x) {
        return AddressText.of(x.source()) + " <INC:" + x.ifIndex() + ",\"" + x.ifName() + "\",mtu=" + x.mtu()
                + ";NODE:" + AddressText.of(x.nodeAddress()) + ",\"" + x.nodeName() + "\">";
    }

    /** Text as Chromium's --dump-dom writes it in an element. */
    private static String text(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** A run of the jar and what the identity router sent during it. */
    private record Traced(Run run, List<Answer> answers) {}

    /** Runs the jar with {@code args} while an identity router answers as routers 1..3; its log complete. */
    private static Traced traced(Lab lab, String... args) {
        return traced(lab, 1, args);
    }

    /** As {@link #traced(Lab, String...)}, the routers naming themselves nodes {@code firstNode}.. */
    private static Traced traced(Lab lab, int firstNode, String... args) {
        IdentityRouter router = IdentityRouter.start(lab, ROUTERS, firstNode);
        Run run;
        try {
            run = CLI.run(args);
        } finally {
            router.close(); // its log is read to the end
        }
        assertThat(run.exitCode()).as("%s%s", run.out(), run.err()).isZero();
        return new Traced(run, router.answers());
    }

    /** The router's answers as hop {@code hop}: at least one, all naming the same interface and node. */
    private static Answer answer(Traced t, int hop) {
        List<Answer> at = t.answers().stream().filter(a -> a.hop() == hop).toList();
        assertThat(at).as("the router's answers as hop %d to%n%s", hop, t.run().out()).isNotEmpty();
        assertThat(at.stream().map(a -> List.of(a.ifIndex(), a.ifName(), a.nodeAddress(), a.nodeName())).distinct())
                .hasSize(1);
        return at.get(0);
    }
}
