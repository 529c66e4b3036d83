package io.pathprobe.cli;

import static io.pathprobe.cli.CliRuns.JSON;
import static io.pathprobe.cli.CliRuns.dest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code trace -t} and {@code mtr -Q} through a chain whose router 2 bleaches the DSCP and router 4 clears the ECN of
 * what it forwards: the hop after each box names the change, in text and JSON, and a bad marking is a usage error.
 */
@LabTest
@Timeout(120)
class CliMarkingLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(6).rewriteDscpAt(2, 0).clearEcnAt(4)
            .icmpUnlimited("every hop's quote is read, in several layouts one after the other").inCurrentNamespace());

    private static final CliRuns CLI = new CliRuns(Enrichment.OFF);

    @Test
    void traceShowsWhereTheMarkingWasRewritten() throws Exception {
        Run text = CLI.run("trace", "-U", "-t", "EF/ect0", "--transport", "linux-raw-udp", dest(LAB));
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("changed on the way: DSCP 46 -> 0 from hop 3")
                .contains("changed on the way: ECN ECT(0) -> Not-ECT from hop 5");
        assertThat(text.out().lines().filter(l -> l.startsWith(" 1 ")).findFirst().orElseThrow())
                .contains("[DSCP 46 (EF) ECT(0)]");

        Run json = CLI.run("trace", "-U", "-t", "0xba", "--transport", "linux-raw-udp", "--json", dest(LAB));
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode j = JSON.readTree(json.out());
        JsonNode changes = j.get("headerChanges");
        assertThat(changes).hasSize(2);
        assertThat(changes.get(0).get("field").asText()).isEqualTo("DSCP");
        assertThat(changes.get(0).get("ttl").asInt()).isEqualTo(3);
        assertThat(changes.get(1).get("field").asText()).isEqualTo("ECN");
        assertThat(changes.get(1).get("ttl").asInt()).isEqualTo(5);
        assertThat(j.get("hops").get(0).get("probes").get(0).get("dscp").asInt()).isEqualTo(46);
        assertThat(j.get("hops").get(0).get("probes").get(0).get("ecn").asText()).isEqualTo("ECT(0)");
    }

    /**
     * Issue 67: the markings show in every layout the trace prints, not only the plain {@code -n} one: with names
     * looked up (the README's own {@code trace -t EF/ect0 -U}; the lookups fail fast here, the layout is the same)
     * and with {@code -A}'s AS column; and unprivileged, where the transport cannot read the routers' quotes, a line
     * says so instead of nothing.
     */
    @Test
    void everyLayoutShowsWhatEachHopReceivedAndAnUnprivilegedTraceSaysItCannot() throws Exception {
        CliRuns named = new CliRuns(Enrichment.AS_GIVEN);
        List<String> lookups = List.of("--dns-server", "127.0.0.1", "--lookup-timeout", "0.3s");
        for (List<String> layout : List.<List<String>>of(List.of(), List.of("-A"), List.of("-n", "-A"))) {
            List<String> args = new ArrayList<>(List.of("trace", "-U", "-t", "EF/ect0", "--transport", "linux-raw-udp"));
            args.addAll(lookups);
            args.addAll(layout);
            args.add(dest(LAB));
            Run r = named.run(args.toArray(String[]::new));
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(hopLine(r, 1)).as(layout + "\n" + r.out()).endsWith("[DSCP 46 (EF) ECT(0)]");
            assertThat(hopLine(r, 3)).as(layout + "\n" + r.out()).endsWith("[DSCP 46 -> 0]");
            assertThat(hopLine(r, 5)).as(layout + "\n" + r.out()).endsWith("[DSCP 46 -> 0, ECN ECT(0) -> Not-ECT]");
            assertThat(r.out()).contains("changed on the way: DSCP 46 -> 0 from hop 3");
        }
        Run json = named.run("trace", "-U", "-t", "EF", "--transport", "linux-raw-udp", "--json",
                "--dns-server", "127.0.0.1", "--lookup-timeout", "0.3s", dest(LAB));
        JsonNode first = JSON.readTree(json.out()).get("hops").get(0).get("probes").get(0);
        assertThat(first.get("dscp").asInt()).isEqualTo(46);

        try (CliRuns.Nobody nobody = CliRuns.Nobody.start()) {
            Run unprivileged = CLI.asNobody(nobody, "trace", "-U", "-t", "EF", dest(LAB));
            assertThat(unprivileged.exitCode()).as(unprivileged.err()).isZero();
            assertThat(unprivileged.out()).contains("via linux-udp-recverr").doesNotContain("[DSCP")
                    .contains("\nmarkings: linux-udp-recverr cannot read the routers' quotes, so what each hop "
                            + "received is not shown (linux-raw-udp can: see 'pathprobe transports')");
        }
    }

    /** The table's line of hop {@code ttl}. */
    private static String hopLine(Run r, int ttl) {
        String lead = String.format(java.util.Locale.ROOT, "%2d  ", ttl);
        return r.out().lines().filter(l -> l.startsWith(lead)).findFirst()
                .orElseThrow(() -> new AssertionError("no hop " + ttl + " in\n" + r.out()));
    }

    @Test
    void mtrTakesItsOwnFlagAndSaysWhenAChangeAppears() throws Exception {
        // three rounds a second apart; one round's probe at a hop may still be missed (a miss, not a change)
        Run run = CLI.run("mtr", "--ndjson", "-c", "3", "-u", "-Q", "184", "--transport", "linux-raw-udp", dest(LAB));
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonNode> rounds = new ArrayList<>();
        for (String line : run.out().lines().toList()) {
            JsonNode j = JSON.readTree(line);
            if (j.path("type").asText().equals("round")) {
                rounds.add(j);
            }
        }
        assertThat(rounds).hasSize(3);
        assertThat(rounds).as(run.out()).anySatisfy(r -> assertThat(r.get("hops").get(0).get("probes").get(0)
                .get("dscp").asInt()).isEqualTo(46));
        assertThat(rounds).as(run.out()).anySatisfy(r -> assertThat(r.get("hops").get(2).get("changes")
                .findValuesAsText("field")).contains("DSCP"));
        assertThat(rounds.stream().flatMap(r -> r.get("events").findValuesAsText("type").stream()))
                .as(run.out()).contains("headerChanged");
    }

    @Test
    void aBadMarkingIsAUsageError() {
        assertThat(CLI.run("trace", "-t", "AF51", dest(LAB)).exit2Err()).contains("AF51");
        assertThat(CLI.run("ping", "-Q", "256", dest(LAB)).exit2Err()).contains("256");
    }
}
