package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.middlebox.Chaos;
import io.pathprobe.probe.AddressText;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 71's done-when for a monitor, as a person would check it: {@code pathprobe mtr --ndjson -c 60 --html FILE}
 * (the shipped launcher) watches a width-4 ECMP diamond while the lab moves the route to another branch and then
 * takes the destination away for 10 rounds; headless Chromium opens the report offline ({@link Chromium}) and its
 * heatmap draws the route change at the rounds the monitor's own round lines record it and the outage over the
 * rounds they record it. The test acts on rounds by count (it reads each round's line before it acts), never on a
 * clock: what it asserts holds on a loaded machine.
 */
@LabTest
@Timeout(300)
class CliMonitorReportLabTest {
    private static final Pattern CHANGE = Pattern.compile(
            "<line class=\"marker\" data-kind=\"route-change\" data-round=\"(\\d+)\"");
    private static final Pattern OUTAGE = Pattern.compile(
            "<rect class=\"marker\" data-kind=\"outage\" data-from=\"(\\d+)\" data-to=\"(\\d+)\"");
    private static final int ROUNDS = 60;
    /** The rounds the route is moved after, and the destination taken away after (or once the change is seen). */
    private static final int MOVE_AFTER = 15;
    private static final int DOWN_AFTER = 30;
    private static final int DOWN_ROUNDS = 10;

    @Test
    void aSixtyRoundMonitorsReportShowsTheRouteChangeAndTheOutageWhereTheyHappened(@TempDir Path tmp)
            throws Exception {
        try (Lab lab = Lab.diamond(4, EcmpHash.LINUX_L4).icmpUnlimited("every round traces the whole path")
                .inCurrentNamespace().build();
                Chaos chaos = Chaos.on(lab)) {
            String dst = AddressText.of(lab.destination());
            int branchTtl = lab.ecmpTtl().orElseThrow();
            Path page = Path.of("target", "report-monitor-lab.html").toAbsolutePath();
            Files.deleteIfExists(page);
            Path err = tmp.resolve("stderr.txt");
            Process p = new CliRuns(CliRuns.Enrichment.OFF).call().command("mtr", "--ndjson", "-c",
                    String.valueOf(ROUNDS), "-i", "0.3", "--wait", "500ms", "--html", page.toString(), dst)
                    .redirectError(err.toFile()).start();
            List<JsonNode> rounds = new ArrayList<>();
            JsonNode document = null;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                InetAddress other = null;
                long changeSeen = 0;
                long lostSeen = 0;
                boolean down = false;
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    JsonNode n = CliRuns.JSON.readTree(line);
                    if (!n.path("type").asText().equals("round")) {
                        document = n;
                        continue;
                    }
                    rounds.add(n);
                    long number = n.get("round").asLong();
                    String branch = address(n, branchTtl);
                    if (other == null && number >= MOVE_AFTER && branch != null) {
                        // router 1 sends the destination's traffic through a branch the monitor's flow does not take
                        other = lab.expectedResponders(branchTtl).stream()
                                .filter(a -> !AddressText.of(a).equals(branch)).findFirst().orElseThrow();
                        chaos.replaceRoute(branchTtl - 1, dst + "/32 via " + other.getHostAddress());
                    } else if (other != null && changeSeen == 0 && AddressText.of(other).equals(branch)) {
                        changeSeen = number;
                    } else if (changeSeen > 0 && !down && lostSeen == 0 && number >= DOWN_AFTER) {
                        chaos.replaceRoute(branchTtl - 1, "unreachable " + dst + "/32"); // the destination away
                        down = true;
                    } else if (down && !n.get("destinationReached").asBoolean() && ++lostSeen == DOWN_ROUNDS) {
                        chaos.replaceRoute(branchTtl - 1, dst + "/32 via " + other.getHostAddress()); // back
                        down = false;
                    }
                }
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("mtr ended").isTrue();
                assertThat(p.exitValue()).as("mtr's exit code (stderr: %s)", Files.readString(err)).isZero();
                assertThat(changeSeen).as("a round on the other branch").isPositive();
                assertThat(lostSeen).as("rounds the destination did not answer").isEqualTo(DOWN_ROUNDS);
            } finally {
                p.destroyForcibly();
            }
            assertThat(document).as("the monitor document").isNotNull();
            assertThat(rounds).hasSize(ROUNDS);

            // what the monitor's own round lines record: the rounds of route changes, the outages' rounds
            Set<Long> changes = new TreeSet<>();
            List<String> outages = new ArrayList<>();
            for (JsonNode r : rounds) {
                for (JsonNode e : r.get("events")) {
                    String type = e.get("type").asText();
                    long round = e.get("round").asLong();
                    if (type.equals("pathChanged") || type.equals("hopChanged")) {
                        changes.add(round);
                    } else if (type.equals("destinationRegained")) {
                        outages.add((round - e.get("lostRounds").asLong()) + "-" + (round - 1));
                    }
                }
            }
            assertThat(outages).as("one outage, of at least the rounds the lab held the destination away")
                    .hasSize(1);
            String[] outage = outages.get(0).split("-");
            long from = Long.parseLong(outage[0]);
            long to = Long.parseLong(outage[1]);
            assertThat(to - from + 1).isGreaterThanOrEqualTo(DOWN_ROUNDS);
            for (JsonNode r : rounds) { // the outage's rounds are those the destination did not answer, until one did
                long n = r.get("round").asLong();
                if (n >= from && n <= to + 1) {
                    assertThat(r.get("destinationReached").asBoolean()).as("round %d", n).isEqualTo(n > to);
                }
            }
            assertThat(changes).as("a route change recorded before the outage").anyMatch(c -> c < from);

            String dom = Chromium.opened(tmp, page, Path.of("target", "report-monitor-lab.png").toAbsolutePath());
            assertThat(dom).contains("data-rounds=\"" + ROUNDS + "\"");
            int ttls = 0;
            for (JsonNode r : rounds) {
                for (JsonNode h : r.get("hops")) {
                    ttls = Math.max(ttls, h.get("ttl").asInt());
                }
            }
            assertThat(Chromium.count(dom, "<rect class=\"cell\"")).isEqualTo(ROUNDS * ttls);
            Set<Long> drawnChanges = new TreeSet<>();
            Matcher c = CHANGE.matcher(dom);
            while (c.find()) {
                drawnChanges.add(Long.parseLong(c.group(1)));
            }
            assertThat(drawnChanges).as("the route-change markers' rounds").isEqualTo(changes);
            List<String> drawnOutages = new ArrayList<>();
            Matcher o = OUTAGE.matcher(dom);
            while (o.find()) {
                drawnOutages.add(o.group(1) + "-" + o.group(2));
            }
            assertThat(drawnOutages).as("the outage markers' rounds").isEqualTo(outages);
        }
    }

    /** {@return the address that answered at {@code ttl} in a round's line, or null} */
    private static @Nullable String address(JsonNode round, int ttl) {
        for (JsonNode h : round.get("hops")) {
            if (h.get("ttl").asInt() == ttl && h.hasNonNull("address")) {
                return h.get("address").asText();
            }
        }
        return null;
    }
}
