package io.pathprobe.cli;

import static io.pathprobe.cli.CliRuns.JSON;
import static io.pathprobe.cli.CliRuns.PING_GROUP_RANGE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issues 47 and 68 on a lab whose destination keeps Linux's default ICMP limit (a burst of 6, then one Port
 * Unreachable a second to us, for all its addresses together), pinged by the shipped jar as uid 65534 without ping
 * sockets ({@code ping_group_range} "1 0": the ping falls back to UDP) and as root. A dead address (198.19.0.99,
 * routed to the destination's network, held by no one) is 100 % lost either way, the first line of the unprivileged
 * ping saying it fell back to UDP and what would let ICMP be used; an address of the limited host shows its limiter in
 * its own answers, and only then are its misses rate-limited (else lost, the loss a range); a target that never
 * answered is lost whole.
 */
@LabTest
class CliPingUdpRateLimitLabTest {
    /** The lab's default ICMP limits on purpose (no icmpUnlimited): the destination's limiter is the subject. */
    @RegisterExtension
    @Order(1)
    static final LabExtension LAB = new LabExtension(Lab.chain(2).destinationAliases(20).inCurrentNamespace());

    /** Routed to the destination's network, held by no one: it never answers (as CliHabitsLabTest's). */
    static final String DEAD = "198.19.0.99";

    private static final CliRuns CLI = new CliRuns(Enrichment.OFF);
    @RegisterExtension
    @Order(2)
    static final Nobody NOBODY = Nobody.perClass(true);



    private static List<String> aliases() {
        return LAB.lab().destinationAliases().stream().map(InetAddress::getHostAddress).toList();
    }

    private static String[] ping(List<String> targets, String... options) {
        List<String> args = new ArrayList<>(List.of("ping"));
        args.addAll(List.of(options));
        args.addAll(targets);
        return args.toArray(String[]::new);
    }

    @Test
    void aDeadHostIsLostWholeUnprivilegedAndAsRootAndTheFirstLineSaysItFellBack() throws Exception {
        Files.writeString(PING_GROUP_RANGE, "1 0");
        Run udp = CLI.asNobody(NOBODY, "ping", "-c", "5", "-i", "0.2", "-W", "0.5", DEAD);
        assertThat(udp.exitCode()).as(udp.out() + udp.err()).isEqualTo(1);
        List<String> lines = udp.out().lines().toList();
        assertThat(lines.get(0)).as("the first line says it fell back, naming the fix").startsWith("PING " + DEAD)
                .contains(": udp via ").contains("fell back to UDP: ICMP not usable")
                .contains("needs gid 65534 in net.ipv4.ping_group_range (now '1 0')")
                .doesNotContain("not macOS").doesNotContain("not Windows");
        assertThat(udp.out()).contains("5 packets transmitted, 0 received, 100% packet loss")
                .doesNotContain("rate-limited").doesNotContain("may be refusals");
        assertThat(lines).as("the fallback said once").filteredOn(l -> l.contains("fell back")).hasSize(1);

        Run json = CLI.asNobody(NOBODY, "ping", "--json", "-c", "5", "-i", "0.2", "-W", "0.5", DEAD);
        JsonNode t = JSON.readTree(json.out()).get("results").get(0);
        assertThat(t.get("kind").asText()).isEqualTo("udp");
        assertThat(t.get("lost").asLong()).as(json.out()).isEqualTo(5);
        assertThat(t.get("rateLimited").asLong()).isZero();
        assertThat(t.get("mayBeRefused").asLong()).isZero();
        assertThat(t.get("loss").asDouble()).isEqualTo(1.0);
        assertThat(t.get("lossLow").asDouble()).isEqualTo(1.0);
        assertThat(t.get("kindNote").asText()).startsWith("fell back to UDP: ").contains("ping_group_range");

        Run root = CLI.run("ping", "-c", "5", "-i", "0.2", "-W", "0.5", DEAD);
        assertThat(root.exitCode()).isEqualTo(1);
        assertThat(root.out()).as(root.err()).contains(": icmp via ")
                .contains("5 packets transmitted, 0 received, 100% packet loss");

        // among live addresses of the limited host, fping-style: lost whole all the same
        List<String> some = new ArrayList<>(aliases().subList(0, 4));
        some.add(DEAD);
        Run many = CLI.asNobody(NOBODY, ping(some, "-c", "3", "-i", "0.2", "-W", "0.5"));
        assertThat(many.out().lines().toList().get(0)).as("the first line: the one fallback note")
                .startsWith("note: fell back to UDP: ICMP not usable");
        assertThat(many.out()).as(many.err()).contains(DEAD + " : xmt/rcv/%loss = 3/0/100%");
    }

    @Test
    void aTargetPingedFasterThanItsLimitShowsItsRefusalsAndTheRestIsARange() throws Exception {
        Files.writeString(PING_GROUP_RANGE, "1 0");
        // 5 a second for 12 s to one address: its burst, then one Port Unreachable a second; its answers keep the clock
        String one = aliases().get(0);
        Run r = CLI.asNobody(NOBODY, "ping", "--json", "-c", "60", "-i", "0.2", "-W", "0.5", one);
        JsonNode t = JSON.readTree(r.out()).get("results").get(0);
        long sent = t.get("sent").asLong();
        long received = t.get("received").asLong();
        long lost = t.get("lost").asLong();
        long rateLimited = t.get("rateLimited").asLong();
        assertThat(received + lost + rateLimited).as(r.out()).isEqualTo(sent).isEqualTo(60);
        assertThat(rateLimited).as("its refill clock showed in its own answers: %s", r.out()).isPositive();
        assertThat(t.get("mayBeRefused").asLong()).as("every other miss could have been refused").isEqualTo(lost);
        assertThat(t.get("lossLow").asDouble()).isZero();
        System.out.printf("one address x 60 UDP probes 200 ms apart: %d received, %d rate-limited, %d lost (loss %.3f,"
                + " %.3f-%.3f)%n", received, rateLimited, lost, t.get("loss").asDouble(), t.get("lossLow").asDouble(),
                t.get("lossHigh").asDouble());
    }

    @Test
    void addressesOfOneHostAreLostWholeOrARangeAndTheNotesSayWhy() throws Exception {
        Files.writeString(PING_GROUP_RANGE, "1 0");
        // 20 addresses of the limited host, each once a second: 20 probes a second against its one Port Unreachable
        Run r = CLI.asNobody(NOBODY, ping(aliases(), "--json", "-c", "5", "-i", "1", "-W", "0.5"));
        JsonNode results = JSON.readTree(r.out()).get("results");
        assertThat(results).as(r.out() + r.err()).hasSize(20);
        long silent = 0;
        for (JsonNode t : results) {
            String who = t.get("target").asText();
            assertThat(t.get("kind").asText()).as(who).isEqualTo("udp");
            long sent = t.get("sent").asLong();
            long received = t.get("received").asLong();
            long lost = t.get("lost").asLong();
            assertThat(received + lost + t.get("rateLimited").asLong()).as(who).isEqualTo(sent);
            assertThat(t.get("lossLow").asDouble()).as(who).isLessThanOrEqualTo(t.get("loss").asDouble());
            if (received == 0) {
                silent++;
                assertThat(t.get("loss").asDouble()).as(who + " never answered: lost whole").isEqualTo(1.0);
                assertThat(t.get("rateLimited").asLong()).as(who).isZero();
                assertThat(t.get("mayBeRefused").asLong()).as(who).isZero();
            }
        }
        assertThat(silent).as("one bucket for 20 addresses: most never answered").isPositive();

        Run text = CLI.asNobody(NOBODY, ping(aliases(), "-c", "5", "-i", "1", "-W", "0.5"));
        List<String> notes = text.out().lines().filter(l -> l.startsWith("note: ")).toList();
        assertThat(notes.get(0)).startsWith("note: fell back to UDP: ICMP not usable");
        assertThat(text.out().lines().filter(l -> l.contains("xmt/rcv/%loss"))).hasSize(20);
        if (text.out().contains("/100%") && text.out().contains("may be refusals")) {
            assertThat(notes).anySatisfy(n -> assertThat(n).contains("never answered (100 % loss)")
                    .contains("share its limit"));
        }
    }
}
