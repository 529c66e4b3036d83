package io.pathprobe.cli;

import static io.pathprobe.cli.CliRuns.PING_GROUP_RANGE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Nobody;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import java.net.InetAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 47's field report on a lab: an unprivileged ping (no ping sockets: {@code ping_group_range} "1 0", so it
 * falls back to UDP) of 20 addresses of one host whose kernel keeps Linux's default ICMP limit (a burst of 6, then
 * one Port Unreachable a second to us, for all 20 addresses together). The limiter refuses most probes; none may be
 * called lost (nothing is lost on the lab's links), and the output says the ping fell back to UDP.
 */
@LabTest
class CliPingUdpRateLimitLabTest {
    /** The lab's default ICMP limits on purpose (no icmpUnlimited): the destination's limiter is the subject. */
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(2).destinationAliases(20).inCurrentNamespace());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CliRuns CLI = new CliRuns(Enrichment.OFF);
    private static Nobody nobody;

    @BeforeAll
    static void copyClassPath() throws Exception {
        nobody = Nobody.keepingPingGroupRange();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (nobody != null) {
            nobody.close();
        }
    }

    private static String[] ping(String... options) {
        List<String> args = new ArrayList<>(List.of("ping"));
        args.addAll(List.of(options));
        for (InetAddress a : LAB.lab().destinationAliases()) {
            args.add(a.getHostAddress());
        }
        return args.toArray(String[]::new);
    }

    @Test
    void addressesOfOneHostPingedWithUdpClaimNoLossAndSayTheyFellBack() throws Exception {
        Files.writeString(PING_GROUP_RANGE, "1 0");
        Run r = CLI.asNobody(nobody, ping("--json", "-c", "3", "-i", "0.2", "-W", "0.5"));
        JsonNode results = JSON.readTree(r.out()).get("results");
        assertThat(results).as(r.out() + r.err()).hasSize(20);
        long sent = 0;
        long rateLimited = 0;
        for (JsonNode t : results) {
            String who = t.get("target").asText();
            assertThat(t.get("kind").asText()).as(who).isEqualTo("udp");
            assertThat(t.get("kindNote").asText()).as(who).contains("fell back to UDP").contains("ping_group_range")
                    .contains("rate-limited, not loss");
            assertThat(t.get("lost").asLong()).as(who + ": refused, not lost").isZero();
            assertThat(t.get("loss").asDouble()).as(who).isZero();
            assertThat(t.get("received").asLong() + t.get("rateLimited").asLong()).as(who)
                    .isEqualTo(t.get("sent").asLong());
            sent += t.get("sent").asLong();
            rateLimited += t.get("rateLimited").asLong();
        }
        assertThat(sent).isEqualTo(60);
        System.out.printf("20 addresses of one host x 3 UDP probes: %d rate-limited%n", rateLimited);

        Run text = CLI.asNobody(nobody, ping("-c", "2", "-i", "0.2", "-W", "0.5"));
        assertThat(text.out()).as(text.err()).contains("note: fell back to UDP: ")
                .contains("Port Unreachables, which the destination rate-limits")
                .doesNotContain("note: fell back to UDP: ICMP not usable"
                        + "\nnote: fell back"); // one note for all 20 targets
        assertThat(text.out().lines().filter(l -> l.startsWith("note: ")).count()).isEqualTo(1);
        assertThat(text.out().lines().filter(l -> l.contains("xmt/rcv/%loss")))
                .hasSize(20).allSatisfy(l -> assertThat(l).contains("/0%"));

        // one target: the line under the PING line says it at once, the summary's note why
        Run one = CLI.asNobody(nobody, "ping", "-c", "8", "-i", "0.05", "-W", "0.5",
                LAB.lab().destinationAliases().get(0).getHostAddress());
        assertThat(one.out()).as(one.err()).contains("): udp via ").contains(PingCommand.Lines.FELL_BACK + "\n")
                .contains("note: fell back to UDP: ICMP not usable").contains("8 packets transmitted, ")
                .contains(" 0% packet loss");
        // the note once, on one line, naming what would let ICMP be used
        assertThat(one.out().lines().filter(l -> l.startsWith("note: ")).toList()).singleElement()
                .satisfies(l -> assertThat(l).contains("needs gid 65534 in net.ipv4.ping_group_range (now '1 0')")
                        .doesNotContain("not macOS").doesNotContain("not Windows"));
    }
}
