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
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code --mask 2} (issue 51 item 5) through a 5-router lab chain: in text, JSON, Atlas and scamper, trace, mtr's
 * report and multipath say what they hide, and the addresses of hops 1-2 and this host's addresses (the source the
 * probes left from among them) appear nowhere in stdout, while hop 3 onward and the destination are shown.
 */
@LabTest
class CliMaskLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(5)
            .icmpUnlimited("every hop of every format asserted, masked and shown").inCurrentNamespace());

    private static final CliRuns CLI = new CliRuns(Enrichment.OFF);
    private static final String STATEMENT = "hops 1-2 and the source address masked";

    /** The addresses of hops 1 and 2, and every non-loopback address of this host (the source among them). */
    private static List<String> hidden() throws Exception {
        List<String> out = new ArrayList<>();
        for (int ttl = 1; ttl <= 2; ttl++) {
            LAB.lab().expectedResponders(ttl).forEach(a -> out.add(a.getHostAddress()));
        }
        for (NetworkInterface i : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(i.getInetAddresses())) {
                if (!a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    out.add(io.pathprobe.probe.AddressText.of(a));
                }
            }
        }
        assertThat(out).as("hops 1 and 2 answer").hasSizeGreaterThanOrEqualTo(2);
        return out;
    }

    /** The addresses of hops 3 onward (the destination last). */
    private static List<String> shown() {
        List<String> out = new ArrayList<>();
        for (int ttl = 3; ttl <= LAB.lab().hops(); ttl++) {
            LAB.lab().expectedResponders(ttl).forEach(a -> out.add(a.getHostAddress()));
        }
        return out;
    }

    /** An address as a whole word of the output (198.18.0.1 is not in 198.18.0.10). */
    private static boolean shows(String out, String address) {
        return Pattern.compile("(?<![0-9A-Za-z:.])" + Pattern.quote(address) + "(?![0-9A-Za-z:]|\\.[0-9])")
                .matcher(out).find();
    }

    private static void assertMasked(Run run) throws Exception {
        assertThat(run.exitCode()).as("%s%n%s", run.err(), run.out()).isZero();
        for (String a : hidden()) {
            assertThat(shows(run.out(), a)).as("%s is hidden, in%n%s", a, run.out()).isFalse();
            assertThat(shows(run.err(), a)).as("%s is hidden, in stderr%n%s", a, run.err()).isFalse();
        }
        for (String a : shown()) {
            assertThat(shows(run.out(), a)).as("%s is shown, in%n%s", a, run.out()).isTrue();
        }
    }

    @Test
    void traceText() throws Exception {
        for (String protocol : List.of("icmp", "udp")) {
            Run run = CLI.run("trace", "--mask", "2", "--protocol", protocol, dest(LAB));
            assertMasked(run);
            assertThat(run.out()).contains("\n" + STATEMENT + "\n");
            assertThat(run.out()).containsPattern("(?m)^ 1  masked  \\d").containsPattern("(?m)^ 2  masked  \\d");
            assertThat(run.out()).containsPattern("(?m)^ 3  \\d");
            System.out.print(run.out()); // what a user sees, in the test's report
        }
    }

    @Test
    void traceJson() throws Exception {
        Run run = CLI.run("trace", "--mask", "2", "--json", dest(LAB));
        assertMasked(run);
        JsonNode j = JSON.readTree(run.out());
        assertThat(j.get("masked").get("hops").asInt()).isEqualTo(2);
        assertThat(j.get("masked").get("source").asBoolean()).isTrue();
        for (JsonNode h : j.get("hops")) {
            boolean hiddenHop = h.get("ttl").asInt() <= 2;
            assertThat(h.get("masked").asBoolean()).isEqualTo(hiddenHop);
            assertThat(h.get("address").isNull()).as("%s", h).isEqualTo(hiddenHop);
            assertThat(h.get("rtts").size()).as("RTTs stay: %s", h).isPositive();
        }
    }

    @Test
    void traceAtlasAndScamper() throws Exception {
        Run atlas = CLI.run("trace", "--mask", "2", "--format", "atlas", dest(LAB));
        assertMasked(atlas);
        JsonNode r = JSON.readTree(atlas.out());
        assertThat(r.get("pathprobe").get("masked").get("hops").asInt()).isEqualTo(2);
        assertThat(r.get("result").get(0).get("masked").asBoolean()).isTrue();
        assertThat(r.get("result").get(0).get("result").get(0).has("from")).isFalse();
        assertThat(r.get("result").get(2).get("result").get(0).has("from")).isTrue();
        Run scamper = CLI.run("trace", "--mask", "2", "--format", "scamper", dest(LAB));
        assertMasked(scamper);
        List<String> lines = scamper.out().lines().toList();
        assertThat(lines).hasSize(3);
        JsonNode t = JSON.readTree(lines.get(1));
        assertThat(t.get("src").asText()).isEqualTo("0.0.0.0");
        assertThat(t.get("masked").get("hops").asInt()).isEqualTo(2);
        assertThat(JSON.readTree(lines.get(0)).get("hostname").asText()).isEqualTo("masked");
    }

    @Test
    void mtrReport() throws Exception {
        Run run = CLI.run("mtr", "-r", "-c", "2", "-i", "1", "--mask", "2", dest(LAB));
        assertMasked(run);
        assertThat(run.out()).contains(STATEMENT);
        assertThat(run.out()).containsPattern("(?m)^ 1\\.\\|-- masked ").containsPattern("(?m)^ 2\\.\\|-- masked ");
        System.out.print(run.out());
    }

    @Test
    void multipathTextAndJson() throws Exception {
        Run text = CLI.run("multipath", "--mask", "2", dest(LAB));
        assertMasked(text);
        assertThat(text.out()).contains(STATEMENT).containsPattern("(?m)^  1    masked$");
        assertThat(text.out()).as("the path's row keeps its loss").containsPattern("(?m)^  1 +\\d+\\.\\d% ");
        Run json = CLI.run("multipath", "--mask", "2", "--json", dest(LAB));
        assertMasked(json);
        JsonNode j = JSON.readTree(json.out());
        assertThat(j.get("masked").get("hops").asInt()).isEqualTo(2);
        for (JsonNode n : j.get("nodes")) {
            assertThat(n.get("masked").asBoolean()).isEqualTo(n.get("ttl").asInt() <= 2);
        }
        System.out.print(text.out());
    }
}
