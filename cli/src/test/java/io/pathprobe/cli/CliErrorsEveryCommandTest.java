package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 67: every error of every command reads as the field's tools print theirs (the README's "Exit codes"): one
 * line on stderr starting {@code pathprobe CMD: }, at most the one hint line under it ({@code see 'pathprobe CMD
 * --help'}), nothing on stdout, the table's exit code; and a bad option is named as it was typed, never by the
 * request builder's method. Every case is refused before anything is looked up or sent (the targets are loopback all
 * the same).
 */
@JarTest
class CliErrorsEveryCommandTest {
    private static final CliRuns CLI = new CliRuns(CliRuns.Enrichment.AS_GIVEN);

    /** A command line, what its error line must say after {@code pathprobe CMD: }, and the exit code. */
    private record Case(List<String> args, String says, int exitCode) {
        static Case of(String says, String... args) {
            return new Case(List.of(args), says, 2);
        }

        /** The command the error names: {@code pathprobe} itself when no known command was given. */
        String command() {
            return args.isEmpty() || PathProbeCli.COMMANDS.stream().noneMatch(c -> c.getAnnotation(
                    picocli.CommandLine.Command.class).name().equals(args.get(0))) ? "pathprobe"
                    : "pathprobe " + args.get(0);
        }
    }

    private static final List<Case> CASES = List.of(
            Case.of("no command given: trace, ping, mtr", new String[0]),
            Case.of("Unmatched argument at index 0: 'nope'", "nope"),
            Case.of("-p 33434 applies to UDP and TCP probes; ICMP probes have no port",
                    "trace", "--no-enrich", "-I", "-p", "33434", "127.0.0.1"),
            Case.of("-f 5 is beyond -m 3", "trace", "--no-enrich", "-f", "5", "-m", "3", "127.0.0.1"),
            Case.of("--flows 2 needs --flow paris", "trace", "--no-enrich", "--flows", "2", "--flow", "classic",
                    "127.0.0.1"),
            Case.of("--tcp-mode in-connection sends every probe inside one connection, one flow: not with --flows 2",
                    "trace", "--no-enrich", "--tcp-mode", "in-connection", "--flows", "2", "127.0.0.1"),
            Case.of("-m must be 1..255, was 300", "trace", "--no-enrich", "-m", "300", "127.0.0.1"),
            Case.of("--deadline must be positive", "trace", "--no-enrich", "--deadline", "0", "127.0.0.1"),
            Case.of("'-1' is not a ToS byte: give 0..255", "trace", "--no-enrich", "-t", "-1", "127.0.0.1"),
            Case.of("unknown transport 'nope'; usable here: ", "trace", "--no-enrich", "--transport",
                    "nope", "127.0.0.1"),
            Case.of("-p 20: ICMP echo has no port", "ping", "--no-enrich", "-p", "20", "127.0.0.1"),
            Case.of("-p 20: ICMP echo has no port", "ping", "--no-enrich", "-P", "icmp", "-p", "20", "127.0.0.1"),
            Case.of("-i 0.1 ms is below 1 ms (--fast allows down to 0.01 ms)", "ping", "--no-enrich", "-i", "0.0001",
                    "127.0.0.1"),
            Case.of("-s applies to ICMP and UDP probes only", "ping", "--no-enrich", "-P", "tcp", "-s", "20",
                    "127.0.0.1"),
            Case.of("-t must be 1..255, was 300", "ping", "--no-enrich", "-t", "300", "127.0.0.1"),
            Case.of("-C prints text: not with --format atlas", "ping", "--no-enrich", "-C", "2", "--format",
                    "atlas", "127.0.0.1"),
            Case.of("-f 5 is beyond -m 3", "mtr", "--no-enrich", "-f", "5", "-m", "3", "127.0.0.1"),
            Case.of("--loss-threshold 200: a percent above 0, at most 100", "mtr", "--no-enrich", "--loss-threshold",
                    "200", "127.0.0.1"),
            Case.of("-m 3 is below -f 5", "multipath", "--no-enrich", "-f", "5", "-m", "3", "127.0.0.1"),
            Case.of("--width 10: the text needs at least 40 columns", "multipath", "--no-enrich", "--width", "10",
                    "127.0.0.1"),
            Case.of("-l must be 1280..65535, was 100", "mtu", "-l", "100", "127.0.0.1"),
            Case.of("-m 3 is below -f 5", "compare", "-f", "5", "-m", "3", "127.0.0.1"),
            Case.of("-p must be 1..65535, was 0", "compare", "-p", "0", "127.0.0.1"),
            Case.of("/nonexistent-a: no such file", "diff", "/nonexistent-a", "/nonexistent-b"),
            Case.of("/nonexistent-a: cannot be read: no such file", "replay", "/nonexistent-a"),
            Case.of("/nonexistent-a: no such file", "report", "/nonexistent-a", "-o", "/tmp/pathprobe-report.html"),
            Case.of("Unmatched argument at index 1: 'extra'", "transports", "extra"),
            Case.of("no assertion given: --max-loss", "check", "--no-enrich", "127.0.0.1"),
            Case.of("--max-loss at hop 0: a TTL 1..255", "check", "--no-enrich", "--max-loss", "5%@hop0", "127.0.0.1"),
            Case.of("--max-jitter 5ms reads a monitor or a ping, not a trace", "check", "--no-enrich",
                    "--max-jitter", "5ms", "127.0.0.1"),
            Case.of("--max-hops 3 reads a trace or a monitor, not a ping", "check", "--no-enrich", "--ping", "3", "--max-hops",
                    "3", "127.0.0.1"),
            Case.of("'[::1': the IPv6 address has no closing ']'", "serve", "--listen", "[::1"),
            Case.of("--cert /nonexistent-a: no such file", "serve", "--listen", "127.0.0.1:0", "--cert",
                    "/nonexistent-a", "--key", "/nonexistent-b"),
            Case.of("the responsiveness server URL's host '999.1.1.1' is neither an IP address nor a host name",
                    "bufferbloat", "--url", "https://999.1.1.1/"),
            Case.of("Missing required option: '--config=FILE'", "agent"));

    @Test
    void everyCommandsErrorIsOneLineOnStderrNamingTheCommand() {
        for (String c : PathProbeCli.COMMANDS.stream()
                .map(k -> k.getAnnotation(picocli.CommandLine.Command.class).name()).toList()) {
            assertThat(CASES).as("a case of %s", c).anySatisfy(k -> assertThat(k.args()).first().isEqualTo(c));
        }
        for (Case k : CASES) {
            CliRuns.Run r = CLI.run(k.args().toArray(String[]::new));
            String what = String.join(" ", k.args()) + "\nstdout: " + r.out() + "\nstderr: " + r.err();
            assertThat(r.exitCode()).as(what).isEqualTo(k.exitCode());
            assertThat(r.out()).as(what).isEmpty();
            List<String> lines = r.err().lines().toList();
            assertThat(lines).as(what).hasSizeBetween(1, 2);
            assertThat(lines.get(0)).as(what).startsWith(k.command() + ": ").contains(k.says())
                    .doesNotContainPattern("[a-z][A-Za-z]+\\(\\d*\\)") // no builder method, destinationPort(33434)
                    .doesNotContain("Exception").doesNotContain("FlowMode.");
            if (lines.size() == 2) {
                assertThat(lines.get(1)).as(what).endsWith("see '" + k.command() + " --help'");
            }
        }
    }

    @Test
    void aPortlessIcmpPingAndTheApiWordsAreRefusedInTheOptionsWords() {
        assertThat(PathProbeCli.inCliWords("destinationPort(33434) applies to UDP and TCP probes",
                java.util.Map.of("destinationPort", "-p"))).isEqualTo("-p 33434 applies to UDP and TCP probes");
        assertThat(PathProbeCli.inCliWords("firstTtl 5 is beyond maxTtl 3",
                java.util.Map.of("firstTtl", "-f", "maxTtl", "-m"))).isEqualTo("-f 5 is beyond -m 3");
        // a word in a sentence is left alone: only a word standing for its value is an option
        assertThat(PathProbeCli.inCliWords("flows(3) with UDP probes: at most 1 flows from this port",
                java.util.Map.of("flows", "--flows"))).isEqualTo("--flows 3 with UDP probes: at most 1 flows from "
                + "this port");
        assertThat(PathProbeCli.inCliWords("tcpMode(IN_CONNECTION) applies to TCP probes: protocol(ProbeProtocol.TCP)",
                java.util.Map.of("tcpMode(IN_CONNECTION)", "--tcp-mode in-connection",
                        "protocol(ProbeProtocol.TCP)", "-T")))
                .isEqualTo("--tcp-mode in-connection applies to TCP probes: -T");
    }
}
