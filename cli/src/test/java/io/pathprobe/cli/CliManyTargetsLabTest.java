package io.pathprobe.cli;

import static io.pathprobe.cli.CliRuns.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code pathprobe trace} and {@code mtr} with several targets, and {@code mtr --ndjson}, through a
 * 6-hop lab with the kernel's ICMP limits and 20 addresses on the destination host.
 */
@LabTest
class CliManyTargetsLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(6).destinationAliases(20).inCurrentNamespace());

    private static final CliRuns CLI = new CliRuns(Enrichment.OFF);

    private static List<String> aliases(int n) {
        return LAB.lab().destinationAliases().subList(0, n).stream().map(InetAddress::getHostAddress).toList();
    }

    private static String[] args(List<String> head, List<String> targets) {
        List<String> all = new ArrayList<>(head);
        all.addAll(targets);
        return all.toArray(String[]::new);
    }

    @Test
    void traceOfSeveralTargetsPrintsEachInOrderThenTheSummary() {
        List<String> targets = aliases(20);
        Run run = CLI.run(args(List.of("trace", "--protocol", "icmp"), targets));
        assertThat(run.exitCode()).as("%s%n%s", run.err(), run.out()).isZero();
        int at = -1;
        for (String t : targets) {
            int i = run.out().indexOf("trace to " + t + ",");
            assertThat(i).as("%s after the previous one in%n%s", t, run.out()).isGreaterThan(at);
            at = i;
        }
        assertThat(run.out()).contains("(stop set)").contains("20 targets: 20 reached");
        for (int ttl = 1; ttl < LAB.lab().hops(); ttl++) {
            assertThat(run.out()).contains(LAB.lab().expectedResponder(ttl).orElseThrow().getHostAddress());
        }
        System.out.print(run.out().substring(0, Math.min(run.out().length(), 1500)));
    }

    @Test
    void traceOfSeveralTargetsAsJsonIsAnArrayOfTraceDocuments() throws Exception {
        List<String> targets = aliases(20);
        Run run = CLI.run(args(List.of("trace", "--json", "--protocol", "icmp"), targets));
        assertThat(run.exitCode()).as("%s%n%s", run.err(), run.out()).isZero();
        JsonNode a = JSON.readTree(run.out());
        assertThat(a.isArray()).isTrue();
        assertThat(a).hasSize(20);
        boolean fromStopSet = false;
        for (int i = 0; i < 20; i++) {
            assertThat(a.get(i).get("target").asText()).isEqualTo(targets.get(i));
            assertThat(a.get(i).get("destinationReached").asBoolean()).isTrue();
            for (JsonNode hop : a.get(i).get("hops")) {
                assertThat(hop.has("fromStopSet")).isTrue();
                fromStopSet |= i > 0 && hop.get("fromStopSet").asBoolean();
            }
        }
        // which target first takes a stem hop from the stop set depends on how far the routers' buckets (6, then
        // one a second) have refilled: with 20 targets behind 5 routers, some of them must
        assertThat(fromStopSet).as("a later target's hop taken from the stop set").isTrue();
    }

    @Test
    void mtrNdjsonStreamsALinePerRoundThenTheMonitorDocument() throws Exception {
        String dest = LAB.lab().destination().getHostAddress();
        Run run = CLI.run("mtr", "--ndjson", "-c", "3", "-i", "1", dest);
        assertThat(run.exitCode()).as("%s%n%s", run.err(), run.out()).isZero();
        List<String> lines = run.out().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).hasSize(4);
        for (int i = 0; i < 3; i++) {
            JsonNode j = JSON.readTree(lines.get(i));
            assertThat(j.get("type").asText()).isEqualTo("round");
            assertThat(j.get("round").asLong()).isEqualTo(i + 1);
            assertThat(j.get("target").asText()).isEqualTo(dest);
            assertThat(j.get("destinationReached").asBoolean()).isTrue();
            assertThat(j.get("path").get("hops")).hasSize(LAB.lab().hops());
        }
        JsonNode last = JSON.readTree(lines.get(3));
        assertThat(last.has("type")).isFalse();
        assertThat(last.get("rounds").asLong()).isEqualTo(3);
    }

    @Test
    void mtrOfTwoTargetsReportsBothAndNdjsonExcludesJson() {
        List<String> targets = aliases(2);
        Run run = CLI.run(args(List.of("mtr", "-r", "-c", "2", "-i", "1"), targets));
        assertThat(run.exitCode()).as("%s%n%s", run.err(), run.out()).isZero();
        for (String t : targets) {
            assertThat(run.out()).contains("  " + t + " (" + t + ") ICMP"); // its Start: line
        }
        Run bad = CLI.run("mtr", "--ndjson", "--json", "-c", "1", targets.get(0));
        assertThat(bad.exitCode()).isEqualTo(2);
    }
}
