package io.pathprobe.cli;

import static io.pathprobe.cli.TmuxScreen.counted;
import static io.pathprobe.cli.TmuxScreen.line;
import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.middlebox.Chaos;
import io.pathprobe.probe.AddressText;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 71's done-when for the live screen, as a person watches it: {@code pathprobe mtr} (the shipped launcher) in a
 * tmux pane on a width-4 ECMP diamond. The lab moves the route at router 1 to a branch the monitor's flow does not
 * take: the status lines name the hop that changed, from the branch the screen showed to the one the lab chose, and
 * the path before and after. Then the lab takes the destination away (router 1 answers unreachable) and the status
 * lines say it is lost, naming who answered in its place, while the route change is still there to read; the lab
 * routes it again and they say it is regained. {@code q} restores the terminal. The test acts on what capture-pane
 * shows (the screen's rounds and events), never on a clock; each wait is a liveness bound only.
 */
@LabTest
@Timeout(300)
class CliMtrStatusLineLabTest {
    @Test
    void aRouteChangeAndAnOutageShowInTheStatusLines() throws Exception {
        try (Lab lab = Lab.diamond(4, EcmpHash.LINUX_L4).icmpUnlimited("every round traces the whole path")
                .inCurrentNamespace().build();
                Chaos chaos = Chaos.on(lab);
                TmuxScreen tmux = new TmuxScreen()) {
            String dst = AddressText.of(lab.destination());
            int branchTtl = lab.ecmpTtl().orElseThrow();
            tmux.run(TmuxScreen.pathprobe(CliRuns.Via.LAUNCHER, "mtr", "--no-enrich", "-i", "0.5", dst), 150, 50);
            String live = tmux.screen(s -> s.contains(" counted") && counted(s) >= 3
                    && s.contains(String.format(" %d. ", lab.hops())), "the live screen after 3 rounds, every hop");
            System.out.println(live);
            assertThat(live).contains("event: none yet");
            String branch = host(line(live, String.format("%2d. ", branchTtl)));
            List<String> branches = lab.expectedResponders(branchTtl).stream().map(AddressText::of).toList();
            assertThat(branches).as("the screen's hop %d is a branch of the diamond", branchTtl).contains(branch);
            String other = branches.stream().filter(a -> !a.equals(branch)).findFirst().orElseThrow();

            // router 1 sends the destination's traffic through a branch the monitor's flow does not take
            chaos.replaceRoute(branchTtl - 1, dst + "/32 via " + other);
            String hop = "hop " + branchTtl + " changed " + branch + " → " + other;
            // the round's two events are drawn one after the other: wait for both
            String moved = tmux.screen(s -> s.contains(hop) && s.contains(": path changed: "),
                    "the hop and path change in the status lines");
            System.out.println(moved);
            Matcher hopEvent = Pattern.compile("(?m)^event: round (\\d+): " + Pattern.quote(hop) + "$")
                    .matcher(moved);
            assertThat(hopEvent.find()).as("the hop change as its own status line:%n%s", moved).isTrue();
            String round = hopEvent.group(1);
            // the path before and after, in that round: every hop the same but the branch, the destination reached
            String before = "(\\S+) → " + Pattern.quote(branch) + " → (\\S+) → " + Pattern.quote(dst);
            String after = "\\1 → " + Pattern.quote(other) + " → \\2 → " + Pattern.quote(dst);
            assertThat(moved).as("the path change as its own status line")
                    .containsPattern("(?m)^event: round " + round + ": path changed: " + before + " ⇒ " + after + "$");
            assertThat(moved.lines().filter(l -> l.startsWith("event: "))).as("no other event:%n%s", moved)
                    .hasSize(2);

            chaos.replaceRoute(branchTtl - 1, "unreachable " + dst + "/32"); // the destination away
            String router1 = host(line(live, String.format("%2d. ", branchTtl - 1)));
            String lost = tmux.screen(s -> s.contains(": destination lost since round "),
                    "the outage in the status lines");
            System.out.println(lost);
            assertThat(lost).as("the outage, with who answered in the destination's place").containsPattern(
                    "(?m)^event: round \\d+: destination lost since round \\d+ \\(" + Pattern.quote(router1)
                            + " answers .*unreachable.* at TTL " + (branchTtl - 1) + "\\)$");
            // the rows seen stay through the outage, each round a loss at each (mtr hides them until the
            // destination is back, then shows the loss they had: docs/monitor.md)
            assertThat(host(line(lost, String.format("%2d. ", lab.hops())))).as("the destination's row:%n%s", lost)
                    .isEqualTo(dst);
            for (int ttl = branchTtl; ttl <= lab.hops(); ttl++) {
                assertThat(line(lost, String.format("%2d. ", ttl))).as("hop %d's row loses in the outage", ttl)
                        .doesNotContain(" 0.0%");
            }
            assertThat(lost).as("the route change is still there to read").contains(hop)
                    .containsPattern("(?m)^event: round " + round + ": path changed: ");

            chaos.replaceRoute(branchTtl - 1, dst + "/32 via " + other); // the destination back
            String back = tmux.screen(s -> s.contains(": destination regained after "),
                    "the destination back in the status lines");
            System.out.println(back);
            assertThat(back).as("the outage is still there to read")
                    .containsPattern("(?m)^event: round \\d+: destination lost since round \\d+ ")
                    .containsPattern("(?m)^event: round \\d+: destination regained after \\d+ rounds$");
            assertThat(back).as("every redraw drew (a listener that threw prints a warning over the screen)")
                    .doesNotContain("WARNING").doesNotContain(" threw ");
            long now = counted(back);
            tmux.screen(s -> counted(s) > now + 1, "rounds counted after the outage");

            tmux.tmux("send-keys", "-t", "mtr", "q");
            tmux.restored("0");
        }
    }

    /** {@return the host a table row names (the responder's address: lookups are off)} */
    private static String host(String row) {
        return row.substring(4).strip().split(" +")[0];
    }
}
