package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Errors as the field's tools print them: one line on stderr naming the command, one hint line under a usage error,
 * never the usage; exit code 2 (the README's table); nothing on stdout unless JSON was asked for. Every argument here
 * is refused before anything is looked up or sent (and the targets are loopback all the same).
 */
class CliErrorLinesTest {
    private static final CliRuns CLI = new CliRuns(CliRuns.Enrichment.AS_GIVEN);

    private static void oneUsageLine(CliRuns.Run r, String command, String message, String... args) {
        String what = String.join(" ", args);
        assertThat(r.exitCode()).as(what).isEqualTo(2);
        assertThat(r.out()).as(what).isEmpty();
        assertThat(r.err()).as(what).doesNotContain("Usage:");
        assertThat(r.err().lines().toList()).as(what).hasSize(2);
        assertThat(r.err().lines().toList().get(0)).as(what).startsWith(command + ": ").contains(message);
        assertThat(r.err().lines().toList().get(1)).as(what).endsWith("see '" + command + " --help'");
    }

    @JarTest
    @Test
    void anUnknownOptionIsOneLineAndAHintInEveryCommand() {
        for (String c : List.of("trace", "ping", "mtr", "multipath", "mtu", "bufferbloat", "serve", "transports")) {
            String[] args = switch (c) {
                case "bufferbloat" -> new String[] {c, "--url", "http://127.0.0.1:1", "--no-such-option"};
                case "serve" -> new String[] {c, "--listen", "127.0.0.1:0", "--no-such-option"};
                case "transports" -> new String[] {c, "--no-such-option"};
                default -> new String[] {c, "--no-such-option", "127.0.0.1"};
            };
            oneUsageLine(CLI.run(args), "pathprobe " + c, "Unknown option: '--no-such-option'", args);
        }
        String[] top = {"no-such-command"};
        oneUsageLine(CLI.run(top), "pathprobe", "Unmatched argument at index 0: 'no-such-command'", top);
        CliRuns.Run typo = CLI.run("trace", "--querie", "2", "127.0.0.1");
        assertThat(typo.err().lines().toList()).containsExactly("pathprobe trace: Unknown option: '--querie'",
                "did you mean '--queries'? see 'pathprobe trace --help'");
    }

    @JarTest
    @Test
    void badValuesAndMissingTargetsAreOneLineToo() {
        List<String[]> bad = List.of(new String[] {"trace"}, new String[] {"trace", "-w", "1.5x", "127.0.0.1"},
                new String[] {"trace", "-z", "2", "127.0.0.1"}, new String[] {"trace", "-q", "x", "127.0.0.1"},
                new String[] {"trace", "--format", "xml", "127.0.0.1"}, new String[] {"mtr", "-c", "0", "127.0.0.1"},
                new String[] {"mtr", "-s", "100", "127.0.0.1"}, new String[] {"mtr", "--ndjson", "-r", "127.0.0.1"},
                new String[] {"ping", "-c", "0", "127.0.0.1"}, new String[] {"ping", "-i", "soon", "127.0.0.1"},
                new String[] {"mtu", "-q", "0", "127.0.0.1"}, new String[] {"multipath", "-f", "-1", "127.0.0.1"},
                new String[] {"trace", "--tcp-mode", "in-connection", "-U", "127.0.0.1"},
                new String[] {"multipath", "--no-enrich", "--width", "10", "127.0.0.1"});
        for (String[] args : bad) {
            CliRuns.Run r = CLI.run(args);
            oneUsageLine(r, "pathprobe " + args[0], "", args);
        }
        oneUsageLine(CLI.run("mtr", "-s", "100", "127.0.0.1"), "pathprobe mtr",
                "-s 100: the probe size cannot be set yet", "mtr -s");
    }

    @JarTest
    @Test
    void anInvalidRequestIsOneLineOnStderrWithTheUsageExitCode() {
        // refused by the request's own checks while it is built: one line, no hint, exit 2
        for (String[] args : List.of(new String[] {"trace", "--no-enrich", "-4", "-6", "127.0.0.1"},
                new String[] {"trace", "--no-enrich", "-I", "-p", "4444", "127.0.0.1"},
                new String[] {"ping", "--no-enrich", "-P", "dns", "-s", "10", "127.0.0.1"})) {
            CliRuns.Run r = CLI.run(args);
            String what = String.join(" ", args);
            assertThat(r.exitCode()).as(what).isEqualTo(2);
            assertThat(r.out()).as(what).isEmpty();
            assertThat(r.err().lines().toList()).as(what).singleElement()
                    .satisfies(l -> assertThat(l).startsWith("pathprobe " + args[0] + ": "));
        }
    }

    @JarTest
    @Test
    void withJsonAUsageErrorIsOneJsonDocumentOnStdoutAndOneLineOnStderr() throws Exception {
        for (String[] args : List.of(new String[] {"trace", "--json", "-q", "0", "127.0.0.1"},
                new String[] {"mtr", "-j", "-c", "0", "127.0.0.1"})) {
            CliRuns.Run r = CLI.run(args);
            assertThat(r.exitCode()).isEqualTo(2);
            JsonNode doc = new ObjectMapper().readTree(r.out());
            assertThat(doc.get("error").get("type").asText()).isEqualTo("usage");
            assertThat(doc.get("error").get("message").asText()).contains("is not a count");
            assertThat(r.err().lines().toList()).singleElement()
                    .satisfies(l -> assertThat(l).startsWith("pathprobe " + args[0] + ": "));
        }
    }

    @Test
    void aPingTargetNothingCouldBeSentToSaysWhyOnStderr() throws Exception {
        io.pathprobe.ping.PingStatistics none = new io.pathprobe.ping.PingStatistics(0, 0, 0, 0, 0, 0, 0, 0, 0.0,
                Optional.empty(), Optional.empty(), 0);
        io.pathprobe.ping.PingTargetResult t = new io.pathprobe.ping.PingTargetResult(0, "2001:db8::1",
                Optional.of(InetAddress.getByName("2001:db8::1")), io.pathprobe.ping.PingKind.ICMP, "linux-raw-icmp",
                Optional.empty(), Optional.of(io.pathprobe.ping.PingError.of(io.pathprobe.ping.PingError.Type.NO_TRANSPORT,
                        "no usable transport\n  - linux-raw-icmp: needs CAP_NET_RAW")), none, List.of());
        assertThat(PingCommand.unpinged(t)).isEqualTo(
                "2001:db8::1: no usable transport; - linux-raw-icmp: needs CAP_NET_RAW"); // after "pathprobe ping: "
    }

    @Test
    void hopChangeEventLinesNameAddressesWithoutSlash() throws Exception {
        io.pathprobe.monitor.MonitorEvent changed = new io.pathprobe.monitor.MonitorEvent.HopChanged(12, 3,
                java.util.Set.of(InetAddress.getByName("198.18.0.10")), java.util.Set.of(InetAddress.getByName("198.18.20.6")));
        assertThat(MtrCommand.withReason(changed, null)).isEqualTo("round 12: hop 3 changed 198.18.0.10 → 198.18.20.6")
                .doesNotContain("/");
    }

    @Test
    void addressesInMessagesHaveNoLeadingSlash() {
        assertThat(PathProbeCli.withoutSlashes("connect: Connection refused: /198.19.0.1:4444"))
                .isEqualTo("connect: Connection refused: 198.19.0.1:4444");
        assertThat(PathProbeCli.withoutSlashes("hop 3 changed [/198.18.20.6]")).isEqualTo("hop 3 changed [198.18.20.6]");
        assertThat(PathProbeCli.withoutSlashes("/2001:db8:0:0:0:0:0:1 refused")).isEqualTo("2001:db8:0:0:0:0:0:1 refused");
        assertThat(PathProbeCli.withoutSlashes("(/[2001:db8::1]:443)")).isEqualTo("([2001:db8::1]:443)");
        assertThat(PathProbeCli.withoutSlashes("/nonexistent: no such file")).isEqualTo("/nonexistent: no such file");
        assertThat(PathProbeCli.withoutSlashes("https://192.0.2.10:4443/.well-known/nq"))
                .isEqualTo("https://192.0.2.10:4443/.well-known/nq");
        assertThat(PathProbeCli.message(new IllegalArgumentException("cannot reach /198.19.0.1")))
                .isEqualTo("cannot reach 198.19.0.1");
    }
}
