package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.NoTransportAvailableException;
import io.pathprobe.probe.ProbeProtocol;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Arguments as the field's tools take them, and errors in a CLI user's words (issue 23). */
class CliArgumentsTest {
    private final PathProbeCli.DurationConverter durations = new PathProbeCli.DurationConverter();

    @Test
    void aPlainNumberIsSecondsAsTracerouteAndPingTakeIt() {
        assertThat(durations.convert("1.5")).isEqualTo(Duration.ofMillis(1500));
        assertThat(durations.convert("0.5")).isEqualTo(Duration.ofMillis(500));
        assertThat(durations.convert(".2")).isEqualTo(Duration.ofMillis(200));
        assertThat(durations.convert("2")).isEqualTo(Duration.ofSeconds(2));
        assertThat(durations.convert("250us")).isEqualTo(Duration.ofNanos(250_000));
        assertThat(durations.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(durations.convert("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(durations.convert("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(durations.convert("PT1S")).isEqualTo(Duration.ofSeconds(1));
        for (String bad : List.of("x", "1.5x", "-1", "PT-1S", "")) {
            assertThatThrownBy(() -> durations.convert(bad)).as(bad)
                    .isInstanceOf(CommandLine.TypeConversionException.class).hasMessageContaining("not a duration");
        }
    }

    @JarTest
    @Test
    void traceTakesWaitInSecondsLikeTraceroute() {
        // -w 1.5 was refused while ping -W 0.5 worked; a refusal is exit 2 before any probe
        CliRuns.Run bad = new CliRuns(CliRuns.Enrichment.OFF).run("trace", "--wait", "1.5x", "127.0.0.1");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("not a duration");
        CommandLine.ParseResult ok = PathProbeCli.commandLine().parseArgs("trace", "--wait", "1.5", "--deadline",
                "0.5", "127.0.0.1");
        TraceCommand t = ok.subcommand().commandSpec().commandLine().getCommand();
        assertThat(t.wait).isEqualTo(Duration.ofMillis(1500));
        assertThat(t.deadline).isEqualTo(Duration.ofMillis(500));
    }

    @JarTest
    @Test
    void mtrRefusesZeroOrNegativeRoundsAsPingDoes() {
        // adversarial-4 D4: -c 0 and -c -1 ran until interrupted (any count below 1 read as "unbounded")
        CliRuns cli = new CliRuns(CliRuns.Enrichment.OFF);
        for (String[] args : List.of(new String[] {"mtr", "--no-live", "-c", "0", "127.0.0.1"},
                new String[] {"mtr", "--no-live", "-c", "-1", "127.0.0.1"}, new String[] {"mtr", "-r", "-c", "0", "127.0.0.1"},
                new String[] {"mtr", "-r", "-c", "-1", "127.0.0.1"})) {
            CliRuns.Run r = cli.run(args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().strip().lines()).as(r.err()).containsExactly("pathprobe mtr: Invalid value for option "
                    + "'--report-cycles': '" + args[args.length - 2] + "' is not a count: give 1 or more",
                    "see 'pathprobe mtr --help'");
            assertThat(r.out()).isEmpty();
        }
    }

    @JarTest
    @Test
    void tcpModeTakesSynOrInConnectionImpliesTcpAndIsShownInTheHelp() {
        PathProbeCli.TcpModeConverter modes = new PathProbeCli.TcpModeConverter();
        assertThat(modes.convert("syn")).isEqualTo(io.pathprobe.trace.TcpMode.SYN);
        assertThat(modes.convert("in-connection")).isEqualTo(io.pathprobe.trace.TcpMode.IN_CONNECTION);
        assertThat(modes.convert("IN_CONNECTION")).isEqualTo(io.pathprobe.trace.TcpMode.IN_CONNECTION);
        assertThatThrownBy(() -> modes.convert("ack")).isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessage("'ack' is not a TCP mode: syn or in-connection");
        CliRuns cli = new CliRuns(CliRuns.Enrichment.OFF);
        CliRuns.Run help = cli.run("trace", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--tcp-mode=syn|in-connection").contains("in-connection (connect to --port");
        CliRuns.Run udp = cli.run("trace", "--protocol", "udp", "--tcp-mode", "in-connection", "127.0.0.1");
        assertThat(udp.exitCode()).isEqualTo(2);
        assertThat(udp.err()).contains("--tcp-mode is how TCP probes travel: not with --protocol udp");
        CliRuns.Run many = cli.run("trace", "--tcp-mode", "in-connection", "127.0.0.1", "127.0.0.2");
        assertThat(many.exitCode()).isEqualTo(2);
        assertThat(many.err()).contains("--tcp-mode takes one target");
        CliRuns.Run bad = cli.run("trace", "--tcp-mode", "fin", "127.0.0.1");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("'fin' is not a TCP mode");
    }

    @Test
    void aMissingTransportIsAdvisedAsAnOptionNotAJavaMethod() {
        NoTransportAvailableException e = new NoTransportAvailableException("no usable transport for ICMP probes to "
                + "IPv4 destinations", List.of(new NoTransportAvailableException.Rejection("linux-raw-icmp",
                NoTransportAvailableException.Reason.UNAVAILABLE, "needs CAP_NET_RAW")),
                "UDP probes are usable here: TraceRequest.Builder.protocol(ProbeProtocol.UDP)", ProbeProtocol.UDP);
        // one line: why in brief, the advice as an option, where every reason is
        assertThat(PathProbeCli.message(e)).isEqualTo("no usable transport for ICMP probes to IPv4 destinations: "
                + "linux-raw-icmp: needs CAP_NET_RAW; UDP probes are usable here: --protocol udp, or leave --protocol "
                + "out (every transport: pathprobe transports)");
        assertThat(e.getMessage()).contains("TraceRequest.Builder.protocol");
    }

    @JarTest
    @Test
    void aNamedCommandIsBuiltAloneAndReadsAsAmongAllTheOthers() {
        // the start-up path builds only the command that runs (PathProbeCli.commandLine(args))
        java.util.Map<String, CommandLine> all = PathProbeCli.commandLine().getSubcommands();
        assertThat(all).hasSize(PathProbeCli.COMMANDS.size()).containsKeys("trace", "ping", "transports", "agent");
        for (var e : all.entrySet()) {
            java.util.Map<String, CommandLine> alone = PathProbeCli.commandLine(e.getKey(), "198.18.0.1")
                    .getSubcommands();
            assertThat(alone).as(e.getKey()).containsOnlyKeys(e.getKey());
            assertThat(alone.get(e.getKey()).getUsageMessage()).as(e.getKey())
                    .isEqualTo(e.getValue().getUsageMessage());
        }
        for (String notACommand : List.of("trcae", "--help", "-V", "198.18.0.1")) {
            assertThat(PathProbeCli.commandLine(notACommand).getSubcommands().keySet()).as(notACommand)
                    .isEqualTo(all.keySet());
        }
        CliRuns.Run mistyped = new CliRuns(CliRuns.Enrichment.OFF).run("trcae", "127.0.0.1");
        assertThat(mistyped.exitCode()).isEqualTo(2);
        assertThat(mistyped.err()).contains("did you mean", "'trace'");
    }
}
