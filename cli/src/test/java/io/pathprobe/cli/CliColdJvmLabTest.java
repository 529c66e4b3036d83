package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 21, "no false loss on a cold JVM": a first trace in a fresh JVM (the shipped jar, one JVM
 * per trace, ICMP and UDP in turn) through a clean lab path answers every probe: no {@code *} and no
 * loss claimed in any run. The issue saw a {@code *} at the destination with "loss: 1 forward" in 3
 * of about 27 fresh JVMs (the adaptive wait gave up the destination's last attempt while the JVM,
 * loading and compiling, kept both CPUs busy and the lab's forwarding waited; the trace then ended
 * before the late answer). Enriched, as a user runs it, so the lookups' classes load beside the
 * trace's. {@value #DEFAULT_JVMS} JVMs here (2 to 3 s each on this 2-core machine); 30 with
 * {@code -Dpathprobe.coldJvms=30} (about 60 to 85 s; the figure in bench/README.md).
 */
@LabTest
class CliColdJvmLabTest {
    // unlimited because it asserts no star at all: under Linux's default limits fresh JVMs back to back find the
    // routers drained, and their refusals are stars (rate-limited, no loss): CliBackToBackLabTest is that case
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(5).icmpUnlimited("several cold JVMs trace in a row and no star may show: a refusal would print one of its own").dnsServer().inCurrentNamespace());

    private static final CliRuns CLI = new CliRuns(CliRuns.Enrichment.AS_GIVEN);

    static final int DEFAULT_JVMS = 20;
    private static final int JVMS = Integer.getInteger("pathprobe.coldJvms", DEFAULT_JVMS);

    @Test
    void aFirstTraceInAFreshJvmShowsNoStarAndClaimsNoLoss() throws Exception {
        String dest = LAB.lab().destination().getHostAddress();
        String dns = LAB.lab().dnsServer().orElseThrow().getAddress().getHostAddress();
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < JVMS; i++) {
            String protocol = i % 2 == 0 ? "icmp" : "udp";
            int n = i + 1;
            // enriched, as a user runs it: the lookups' classes load beside the trace's
            // java -jar: a JVM as cold as one starts (the launcher's class-data archive would warm it)
            Process p = CLI.call().via(CliRuns.Via.JAR)
                    .command("trace", "--dns-server", dns, "--protocol", protocol, dest)
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("liveness").isTrue();
            List<String> hops = out.lines().filter(l -> l.matches("^\\s*\\d+\\s.*")).toList();
            out.lines().filter(l -> l.startsWith("destination reached")).forEach(l -> System.out.println("JVM " + n + " (" + protocol + "): " + l));
            if (p.exitValue() != 0 || hops.size() != LAB.lab().expectedPath().size()
                    || hops.stream().anyMatch(l -> l.contains("*") || l.contains("loss"))
                    || out.contains("SLF4J")) { // and no logging noise (issue 23): the CLI has its provider
                wrong.add("JVM " + (i + 1) + " (" + protocol + "), exit " + p.exitValue() + ":\n" + out);
            }
        }
        System.out.printf("%d fresh JVMs, %d with a star, a loss or a wrong path%n", JVMS, wrong.size());
        assertThat(wrong).as("fresh JVMs whose first trace showed a star, claimed a loss or printed SLF4J noise").isEmpty();
    }
}
