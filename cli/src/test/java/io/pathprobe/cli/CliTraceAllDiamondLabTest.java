package io.pathprobe.cli;

import static io.pathprobe.cli.CliRuns.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 68 item 4, with the shipped jar: {@code trace -n -I} of 16 addresses of one destination behind a width-4
 * diamond whose branching router hashes on addresses for ICMP (Linux's multipath hash of source, destination and
 * protocol: {@link EcmpHash#LINUX_L4}, which for ICMP has no ports, so each destination address keeps one branch), under
 * the lab's default ICMP limits. Every target's hops in the traceAll (probed or from the stop set) are the hops of its
 * own trace (the same targets traced with nothing shared, {@code --no-stop-set}); before issue 68 the stop set gave
 * targets a sibling's branch router.
 */
@LabTest
@Timeout(600)
class CliTraceAllDiamondLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(
            Lab.diamond(4, EcmpHash.LINUX_L4).destinationAliases(16).inCurrentNamespace());

    private static final CliRuns CLI = new CliRuns(Enrichment.OFF);

    /** TTL → the hop's address ("*" for none) of one trace document. */
    private static Map<Integer, String> hops(JsonNode trace) {
        Map<Integer, String> out = new TreeMap<>();
        for (JsonNode h : trace.get("hops")) {
            JsonNode a = h.get("address");
            out.put(h.get("ttl").asInt(), a == null || a.isNull() ? "*" : a.asText());
        }
        return out;
    }

    @Test
    void eachTargetsHopsInTraceAllAreItsOwnTracesHops() throws Exception {
        List<String> targets = LAB.lab().destinationAliases().stream().map(InetAddress::getHostAddress).toList();
        assertThat(targets).hasSize(16);
        List<String> args = new ArrayList<>(List.of("trace", "-n", "-I", "--json"));
        args.addAll(targets);
        Run all = CLI.run(args.toArray(String[]::new));
        assertThat(all.exitCode()).as("%s%n%s", all.out(), all.err()).isZero();
        JsonNode docs = JSON.readTree(all.out());
        assertThat(docs).hasSize(16);
        // each target's own trace, nothing shared (--no-stop-set: every target traced as a trace of its own would be,
        // in one process), which is also what the stop set saves in the same run
        List<String> plainArgs = new ArrayList<>(List.of("trace", "-n", "-I", "--json", "--no-stop-set"));
        plainArgs.addAll(targets);
        Run plain = CLI.run(plainArgs.toArray(String[]::new));
        assertThat(plain.exitCode()).as("%s%n%s", plain.out(), plain.err()).isZero();
        JsonNode own = JSON.readTree(plain.out());
        assertThat(own).hasSize(16);

        Set<String> branches = new HashSet<>();
        int fromStopSet = 0;
        int comparedBranches = 0;
        long probes = 0;
        for (int i = 0; i < targets.size(); i++) {
            JsonNode inAll = docs.get(i);
            Map<Integer, String> together = hops(inAll);
            for (JsonNode h : inAll.get("hops")) {
                fromStopSet += h.path("fromStopSet").asBoolean() ? 1 : 0;
                probes += h.get("probes").size();
            }
            Map<Integer, String> alone = hops(own.get(i));
            String who = targets.get(i) + ": traceAll " + together + ", alone " + alone;
            assertThat(together.keySet()).as(who).isEqualTo(alone.keySet());
            for (Map.Entry<Integer, String> e : together.entrySet()) {
                String mine = alone.get(e.getKey());
                if (!e.getValue().equals("*") && !mine.equals("*")) {
                    assertThat(e.getValue()).as("%s, TTL %d", who, e.getKey()).isEqualTo(mine);
                }
            }
            // the branch TTL: the target's own router, or silent (a refusal of its kernel limit), never a sibling's
            if (!together.get(2).equals("*") && !alone.get(2).equals("*")) {
                comparedBranches++;
            }
            branches.add(alone.get(2));
        }
        // the premise: the diamond put the targets on different branches (else the test could not fail)
        long plainProbes = 0;
        for (JsonNode t : own) {
            for (JsonNode h : t.get("hops")) {
                plainProbes += h.get("probes").size();
            }
        }
        branches.remove("*");
        assertThat(branches).as("branch routers met by the 16 targets' own traces").hasSizeGreaterThan(1);
        assertThat(comparedBranches).as("branch hops compared").isPositive();
        System.out.printf("traceAll of 16 targets behind an address-hashed width-4 diamond: %d branches met, %d of 16 "
                + "branch hops compared, %d probes (%d with --no-stop-set), %d hops from the stop set%n", branches.size(),
                comparedBranches, probes, plainProbes, fromStopSet);
    }
}
