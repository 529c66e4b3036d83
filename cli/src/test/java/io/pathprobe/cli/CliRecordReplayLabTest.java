package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --record FILE} and {@code pathprobe replay FILE} end to end: a trace recorded on kernel routers (Linux's
 * default ICMP rate limits, a silent hop) with host names and AS numbers from the lab's DNS server and the public
 * address from its STUN server, replayed in a JVM in a network namespace of its own with no interface up (the lab
 * gone: nothing to send to, nobody to ask), prints the very JSON document the recording run printed; so do mtr,
 * multipath, mtu and ping; a cut file replays to its last complete line and says so (one cut just after its result:
 * exit 3, not compared); a file that is not a recording is one error line and exit 2.
 */
@LabTest
@Timeout(180)
class CliRecordReplayLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(6).silentHops(3).dnsServer().stunServer()
            .inCurrentNamespace());

    private static final CliRuns CLI = new CliRuns(Enrichment.AS_GIVEN);

    /** Kept when a test fails: the recording that did not replay is the evidence. */
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    private static String server(InetSocketAddress s) {
        return s.getAddress().getHostAddress() + ":" + s.getPort();
    }

    private static List<String> enriched() {
        Lab lab = LAB.lab();
        return List.of("--dns-server", server(lab.dnsServer().orElseThrow()), "--stun-server",
                server(lab.stunServer().orElseThrow()), "-A");
    }

    /** {@code pathprobe ARGS} in a new JVM in a new network namespace (only a loopback that is down). */
    private static Run offTheNetwork(String... args) {
        return CLI.call().under("unshare", "-n").timeout(java.time.Duration.ofSeconds(120)).run(args);
    }

    private static String[] args(List<String> a, String... more) {
        List<String> all = new ArrayList<>(Arrays.asList(more));
        all.addAll(1, a);
        return all.toArray(String[]::new);
    }

    @Test
    void anEnrichedTraceReplaysOffTheNetworkToTheSameJson() throws Exception {
        Path file = dir.resolve("trace.ndjson");
        String dest = LAB.lab().destination().getHostAddress();
        Run recorded = CLI.run(args(enriched(), "trace", "--json", "-w", "500ms", "--record", file.toString(),
                dest));
        assertThat(recorded.exitCode()).as(recorded.err()).isZero();
        assertThat(recorded.out()).containsPattern("\"hostname\" ?: ?\"").containsPattern("\"asnStatus\" ?: ?\"NOT_FOUND\"")
                .containsPattern("\"publicAddress\" ?: ?\"");
        Run replayed = offTheNetwork("replay", "--json", file.toString());
        assertThat(replayed.exitCode()).as(replayed.err()).isZero();
        assertThat(replayed.out()).isEqualTo(recorded.out());
        assertThat(replayed.err()).contains("identical to the recorded result").doesNotContain("left the record");
        Run text = offTheNetwork("replay", file.toString());
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains(dest);
    }

    /**
     * Text mode streams hops to a listener (the hop table waits for each hop's hopEnriched): the lookups' ends are
     * handed to the engine loop, which the recording writes and the replay runs in the same order.
     */
    @Test
    void anEnrichedTraceHeardHopByHopReplaysToItsRecordedResult() throws Exception {
        Path file = dir.resolve("text.ndjson");
        String dest = LAB.lab().destination().getHostAddress();
        Run recorded = CLI.run(args(enriched(), "trace", "-w", "500ms", "--record", file.toString(), dest));
        assertThat(recorded.exitCode()).as(recorded.err()).isZero();
        assertThat(recorded.out()).contains(dest);
        Run replayed = offTheNetwork("replay", file.toString());
        assertThat(replayed.exitCode()).as(replayed.err()).isZero();
        assertThat(replayed.err()).contains("identical to the recorded result").doesNotContain("left the record");
    }

    @Test
    void aMaskedRecordingHoldsNoHiddenAddressOrNameAndReplaysToTheSameMaskedJson() throws Exception {
        Lab lab = LAB.lab();
        Path file = dir.resolve("masked.ndjson");
        String dest = lab.destination().getHostAddress();
        Run recorded = CLI.run(args(enriched(), "trace", "--json", "--mask", "2", "-w", "500ms", "--record",
                file.toString(), dest));
        assertThat(recorded.exitCode()).as(recorded.err()).isZero();
        String recording = Files.readString(file);
        List<String> hidden = List.of(lab.expectedResponder(1).orElseThrow().getHostAddress(),
                lab.expectedResponder(2).orElseThrow().getHostAddress(), lab.hostAddress().getHostAddress(),
                "r1.lab.example", "r2.lab.example");
        for (String h : hidden) {
            assertThat(recording).as(h).doesNotContain("\"" + h + "\"");
            assertThat(recorded.out()).as(h).doesNotContain("\"" + h + "\"");
        }
        assertThat(recording).contains("\"mask\":{\"hops\":2,\"source\":true}")
                .contains(lab.expectedResponder(4).orElseThrow().getHostAddress());
        Run replayed = offTheNetwork("replay", "--json", file.toString());
        assertThat(replayed.exitCode()).as(replayed.err()).isZero();
        assertThat(replayed.out()).isEqualTo(recorded.out());
        assertThat(replayed.err()).contains("the recording hides hops 1-2 and the source address");
    }

    @Test
    void aTracePlacedByGeoIpAndPeeringDbReplaysWithoutTheFiles() throws Exception {
        Lab lab = LAB.lab();
        String router = lab.expectedResponder(2).orElseThrow().getHostAddress();
        Path city = new io.pathprobe.lab.MmdbWriter("GeoLite2-City")
                .put("198.18.0.0/15", io.pathprobe.lab.MmdbWriter.city("DE", "Germany", "Frankfurt", 50.11, 8.68, 20))
                .write(dir.resolve("city.mmdb"));
        Path dump = new io.pathprobe.lab.PeeringDbDumpWriter()
                .exchange(7, "LAB-IX", "Frankfurt", "DE", router + "/32").write(dir.resolve("peeringdb.json"));
        Path file = dir.resolve("geo.ndjson");
        Run recorded = CLI.run("trace", "--no-enrich", "--geoip", city.toString(), "--ixp", dump.toString(),
                "--json", "-w", "500ms", "--record", file.toString(), lab.destination().getHostAddress());
        assertThat(recorded.exitCode()).as(recorded.err()).isZero();
        assertThat(recorded.out()).contains("Frankfurt").contains("LAB-IX");
        Files.delete(city);
        Files.delete(dump);
        Run replayed = offTheNetwork("replay", "--json", file.toString());
        assertThat(replayed.exitCode()).as(replayed.err()).isZero();
        assertThat(replayed.out()).isEqualTo(recorded.out());
    }

    @Test
    void mtrMultipathMtuAndPingReplayToTheSameJson() throws Exception {
        String dest = LAB.lab().destination().getHostAddress();
        List<List<String>> commands = List.of(
                List.of("mtr", "--no-enrich", "-r", "-c", "3", "-i", "0.2", "--json"),
                List.of("trace", "--no-enrich", "-P", "udp", "-w", "500ms", "--json", "-q", "2"),
                List.of("multipath", "--no-enrich", "-w", "500ms", "--json"),
                List.of("mtu", "-w", "500ms", "--json"),
                List.of("ping", "--no-enrich", "-c", "3", "-i", "0.05", "--json"));
        int n = 0;
        for (List<String> c : commands) {
            Path file = dir.resolve("m" + n++ + ".ndjson");
            List<String> a = new ArrayList<>(c);
            a.addAll(List.of("--record", file.toString(), dest));
            Run recorded = CLI.run(a.toArray(String[]::new));
            assertThat(recorded.out()).as(c + ": " + recorded.err()).isNotBlank();
            Run replayed = CLI.run("replay", "--json", file.toString());
            assertThat(replayed.exitCode()).as(c + ": " + replayed.err()).isZero();
            assertThat(replayed.out()).as(c.get(0)).isEqualTo(recorded.out());
        }
    }

    @Test
    void twoRecordingsOfOnePathDiffToNoChange() throws Exception {
        String dest = LAB.lab().destination().getHostAddress();
        Path a = dir.resolve("a.ndjson");
        Path b = dir.resolve("b.ndjson");
        for (Path f : List.of(a, b)) {
            Run r = CLI.run("trace", "--no-enrich", "-P", "icmp", "-w", "500ms", "--record", f.toString(), dest);
            assertThat(r.exitCode()).as(r.err()).isZero();
        }
        Run diff = CLI.run("diff", a.toString(), b.toString());
        assertThat(diff.exitCode()).as(diff.out() + diff.err()).isZero();
        assertThat(diff.out()).contains("no change");
    }

    @Test
    void aCutRecordingReplaysToItsLastCompleteLineAndSaysSoAndOneCutAfterItsResultExits3() throws Exception {
        Path file = dir.resolve("cut.ndjson");
        Run recorded = CLI.run("trace", "--no-enrich", "--json", "-w", "500ms", "--record", file.toString(),
                LAB.lab().destination().getHostAddress());
        assertThat(recorded.exitCode()).as(recorded.err()).isZero();
        byte[] all = Files.readAllBytes(file);
        // cut inside a line half way to the result's line: before the result, whatever the lines' sizes (cut half way
        // through the file, a run with more probes once cut just after its result, and the replay then differed)
        String text = new String(all, StandardCharsets.ISO_8859_1);
        int result = text.indexOf("{\"type\":\"result\"");
        assertThat(result).as("the recording holds its result").isPositive();
        int cut = text.indexOf('\n', result / 2) + 10;
        assertThat(cut).isLessThan(result);
        Files.write(file, Arrays.copyOf(all, cut));
        Run replayed = CLI.run("replay", "--json", file.toString());
        assertThat(replayed.exitCode()).as(replayed.err()).isZero();
        assertThat(replayed.err()).contains("the file ends in a cut line: replayed up to its last complete line")
                .contains("the recording ends before its result");
        assertThat(replayed.out()).contains("\"schemaVersion\"");

        // cut just after its result line (the engine's last acts and the printed output missing, as a copy taken while
        // it was still being written can be): the replay runs out of record, not off it, and says so apart from
        // "differs": exit 3, the recorded result printed, nothing compared (before: exit 1, "differs")
        Path after = dir.resolve("cut-after.ndjson");
        int end = text.indexOf('\n', result) + 1;
        assertThat(text.substring(end)).as("acts of the engine follow the result").contains("{\"type\":\"act\"");
        Files.write(after, Arrays.copyOf(all, end));
        Run cutAfter = CLI.run("replay", after.toString());
        assertThat(cutAfter.exitCode()).as(cutAfter.err()).isEqualTo(ReplayCommand.CUT_AFTER_RESULTS);
        assertThat(cutAfter.err()).contains("not compared: the recording holds its result but not the engine's last "
                + "acts").contains("pathprobe replay: the recording ends after its results, before the engine's last "
                + "acts").doesNotContain("differs");
        assertThat(CliRuns.JSON.readTree(cutAfter.out())).as("the recorded result")
                .isEqualTo(CliRuns.JSON.readTree(recorded.out()));
    }

    @Test
    void aFileThatIsNotARecordingIsOneErrorAndExitTwo() throws Exception {
        Path file = dir.resolve("not.ndjson");
        Files.writeString(file, "hello\n");
        Run run = CLI.run("replay", file.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip().lines()).hasSize(1);
        assertThat(run.err()).startsWith("pathprobe replay: ").contains("line 1 is not JSON");
        Run missing = CLI.run("replay", dir.resolve("none.ndjson").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file");
        Run compare = CLI.run("compare", "--record", file.toString(), "198.19.0.1");
        assertThat(compare.exitCode()).isEqualTo(2); // compare has no --record: a usage error
    }
}
