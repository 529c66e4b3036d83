package io.pathprobe.cli;

import static io.pathprobe.cli.CliRuns.dest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 67 (newcomer-5 wrong result 5): {@code ping -c 3 -s 1472} over a 1400-byte link, as iputils ping on the same
 * path: the first request is answered by the router's Fragmentation Needed naming the MTU, the kernel then fragments
 * the next ones to the path MTU it learned, so 2 of 3 come back; the count goes on (3 transmitted), the error is
 * counted ({@code +1 errors}). It printed "send failed: icmp_seq=2" twice, with no errno nor MTU, and sent 1 of 3.
 * Through the raw ICMP transport (root) and the ping socket (unprivileged, with a ping group range that lets it).
 * The host's route cache is flushed before each ping: a path MTU learned before would skip the first error.
 */
@LabTest
@Timeout(120)
class CliPingFragmentationLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(4).linkMtu(2, 1400).inCurrentNamespace());

    private static final CliRuns CLI = new CliRuns(Enrichment.OFF);

    /** Forgets the path MTU this namespace learned (as tracepath's tests do before each run). */
    private static void flushRouteCache() throws Exception {
        Process p = new ProcessBuilder("ip", "route", "flush", "cache").inheritIO().start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
    }

    private static void asIputilsPings(Run r, String transport) {
        String router = LAB.lab().expectedResponder(2).orElseThrow().getHostAddress();
        List<String> lines = r.out().lines().toList();
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(lines.get(0)).contains("): icmp via " + transport);
        assertThat(lines).as(r.out()).contains("From " + router + " icmp_seq=1 fragmentation needed (mtu = 1400)");
        assertThat(lines).as(r.out()).anySatisfy(l -> assertThat(l).startsWith("1480 bytes from " + dest(LAB)
                + ": icmp_seq=2 ")).anySatisfy(l -> assertThat(l).startsWith("1480 bytes from " + dest(LAB)
                + ": icmp_seq=3 "));
        assertThat(r.out()).contains("3 packets transmitted, 2 received, +1 errors,").doesNotContain("send failed")
                .doesNotContain("LATE");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void aLargePingGetsTheRoutersMtuThenItsRepliesAsIputilsDoes() throws Exception {
        flushRouteCache();
        asIputilsPings(CLI.run("ping", "-c", "3", "-s", "1472", "-i", "0.2", dest(LAB)), "linux-raw-icmp");

        flushRouteCache();
        Run json = CLI.run("ping", "--json", "-c", "3", "-s", "1472", "-i", "0.2", dest(LAB));
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode t = new ObjectMapper().readTree(json.out()).get("results").get(0);
        assertThat(t.get("sent").asInt()).isEqualTo(3);
        assertThat(t.get("received").asInt()).isEqualTo(2);
        assertThat(t.get("error").asText()).contains("fragmentation needed (mtu = 1400)");
    }

    @Test
    void soDoesAnUnprivilegedPingThroughAPingSocket() throws Exception {
        try (CliRuns.Nobody nobody = CliRuns.Nobody.keepingPingGroupRange()) {
            Files.writeString(CliRuns.PING_GROUP_RANGE, "0 2147483647");
            flushRouteCache();
            asIputilsPings(CLI.asNobody(nobody, "ping", "-c", "3", "-s", "1472", "-i", "0.2", dest(LAB)),
                    "linux-icmp-dgram");
        }
    }
}
