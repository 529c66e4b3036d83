package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.EnrichMode;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.monitor.MonitorResponder;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.TraceRequest;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * traceroute's and mtr's flags on {@code trace} and {@code mtr}: each builds the request it names (read from the
 * request the command would start, nothing is sent), an option given twice takes its last value as getopt does,
 * and counts of 0 or less are refused. No network.
 */
class CliFieldFlagsTest {
    private static final String TARGET = "198.18.0.1";

    /** The subcommand as {@link PathProbeCli#run} parses it, before it runs. */
    private static <T> T parse(String... args) {
        CommandLine.ParseResult r = PathProbeCli.commandLine().parseArgs(args);
        return r.subcommand().commandSpec().commandLine().getCommand();
    }

    private static TraceRequest trace(String... args) {
        TraceCommand t = parse(args);
        return t.request(TARGET).build();
    }

    private static MonitorRequest mtr(String... args) {
        MtrCommand m = parse(args);
        return m.request(TARGET).build();
    }

    private static String[] with(String command, String... args) {
        return withTarget(TARGET, command, args);
    }

    private static String[] withTarget(String target, String command, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = command;
        System.arraycopy(args, 0, all, 1, args.length);
        all[all.length - 1] = target;
        return all;
    }

    // --- trace: traceroute's flags

    @Test
    void traceTakesTraceroutesProbeFlags() {
        TraceRequest r = trace(with("trace", "-T", "-q", "1", "-m", "8", "-f", "2", "-p", "4444", "-N", "7", "-w", "2.5"));
        assertThat(r.protocol()).isEqualTo(ProbeProtocol.TCP);
        assertThat(r.automaticProtocol()).isFalse();
        assertThat(r.probesPerTtl()).isEqualTo(1);
        assertThat(r.maxTtl()).isEqualTo(8);
        assertThat(r.firstTtl()).isEqualTo(2);
        assertThat(r.destinationPort()).isEqualTo(4444);
        assertThat(r.maxInFlight()).isEqualTo(7);
        assertThat(r.probeTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(r.adaptiveWait()).isTrue();
        assertThat(trace(with("trace", "-T")).protocol()).isEqualTo(ProbeProtocol.TCP);
        assertThat(trace(with("trace", "-U")).protocol()).isEqualTo(ProbeProtocol.UDP);
        assertThat(trace(with("trace", "-I")).protocol()).isEqualTo(ProbeProtocol.ICMP);
        assertThat(trace(with("trace")).automaticProtocol()).isTrue();
    }

    @Test
    void traceWaitTakesTraceroutesMaxHereNear() {
        TraceRequest fixed = trace(with("trace", "-w", "5,0,0"));
        assertThat(fixed.probeTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(fixed.adaptiveWait()).isFalse();
        TraceRequest slashes = trace(with("trace", "-w", "0.5/3/10"));
        assertThat(slashes.probeTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(slashes.adaptiveWait()).isTrue();
        assertThat(trace(with("trace", "-w", "500ms")).probeTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(trace(with("trace", "--wait", "2")).probeTimeout()).isEqualTo(Duration.ofSeconds(2));
        // the last -w decides, factors included
        assertThat(trace(with("trace", "-w", "5,0,0", "-w", "3")).adaptiveWait()).isTrue();
    }

    @Test
    void traceSendWaitIsSecondsUpToTenElseMillisecondsAndHoldsFromTheFirstProbe() {
        // a rate given holds from the first probe: the tracer's burst is then 1 unless --burst says otherwise
        TraceCommand half = parse(with("trace", "-z", "0.5"));
        assertThat(half.pps).isEqualTo(2);
        assertThat(half.burst).isNull();
        TraceCommand ms = parse(with("trace", "-z", "500"));
        assertThat(ms.pps).isEqualTo(2);
        TraceCommand eleven = parse(with("trace", "-z", "11"));
        assertThat(eleven.pps).isEqualTo(90); // 11 ms: 90 a second, never two closer than 11 ms
        TraceCommand one = parse(with("trace", "-z", "1"));
        assertThat(one.pps).isEqualTo(1);
        TraceCommand unit = parse(with("trace", "-z", "50ms"));
        assertThat(unit.pps).isEqualTo(20);
        TraceCommand zero = parse(with("trace", "-z", "0"));
        assertThat(zero.pps).as("the default pacing").isNull();
        assertThat(zero.burst).isNull();
        TraceCommand defaults = parse(with("trace"));
        assertThat(defaults.pps).isNull();
        assertThat(defaults.burst).isNull();
        // -z and --pps set the same pacing: the last one given wins
        TraceCommand zLast = parse(with("trace", "--pps", "5", "-z", "0.1"));
        assertThat(zLast.pps).isEqualTo(10);
        TraceCommand ppsLast = parse(with("trace", "-z", "0.1", "--pps", "5"));
        assertThat(ppsLast.pps).isEqualTo(5);
        TraceCommand burst = parse(with("trace", "--pps", "5", "--burst", "3"));
        assertThat(burst.burst).isEqualTo(3);
        assertThatThrownBy(() -> PathProbeCli.commandLine().parseArgs(with("trace", "--burst", "0")))
                .hasMessageContaining("--burst");
    }

    @Test
    void traceNumericTurnsNameLookupsOffAndKeepsAsLookupsWithA() {
        TraceCommand n = parse(with("trace", "-n"));
        assertThat(n.enrich.enabled()).isFalse();
        assertThat(n.enrich.mode()).isEqualTo(EnrichMode.OFF);
        assertThat(n.request(TARGET).build().enrich()).isEqualTo(EnrichMode.OFF);
        TraceCommand nA = parse(with("trace", "-n", "-A"));
        assertThat(nA.enrich.asLookups()).isTrue();
        assertThat(nA.enrich.mode()).isEqualTo(EnrichMode.AWAIT);
        assertThat(nA.enrich.namesShown()).isFalse();
        TraceCommand plain = parse(with("trace"));
        assertThat(plain.enrich.namesShown()).isTrue();
        assertThat(plain.enrich.asLookups()).isFalse();
        TraceCommand a = parse(with("trace", "-A"));
        assertThat(a.enrich.asLookups()).isTrue();
    }

    @Test
    void traceAcceptsEAndItChangesNothing() {
        assertThat(trace(with("trace", "-e"))).isEqualTo(trace(with("trace")));
        TraceCommand e = parse(with("trace", "-e"));
        assertThat(e.extensions).isTrue();
    }

    @Test
    void traceTakesTheLastOfARepeatedOption() {
        assertThat(trace(with("trace", "-q", "2", "-q", "4")).probesPerTtl()).isEqualTo(4);
        assertThat(trace(with("trace", "-m", "20", "-m", "8")).maxTtl()).isEqualTo(8);
        assertThat(trace(with("trace", "-I", "-T")).protocol()).isEqualTo(ProbeProtocol.TCP);
        assertThat(trace(with("trace", "-T", "-U")).protocol()).isEqualTo(ProbeProtocol.UDP);
        assertThat(trace(with("trace", "-U", "--protocol", "icmp")).protocol()).isEqualTo(ProbeProtocol.ICMP);
        assertThat(trace(with("trace", "--protocol", "udp", "-I")).protocol()).isEqualTo(ProbeProtocol.ICMP);
        assertThat(trace(with("trace", "-p", "1", "-p", "2")).destinationPort()).isEqualTo(2);
    }

    // --- mtr: mtr's flags

    @Test
    void mtrTakesMtrsFlags() {
        MonitorRequest r = mtr(with("mtr", "-n", "-c", "5", "-i", "0.2", "-u", "-P", "4444"));
        assertThat(r.rounds()).isEqualTo(OptionalLong.of(5));
        assertThat(r.interval()).isEqualTo(Duration.ofMillis(200));
        assertThat(r.trace().protocol()).isEqualTo(ProbeProtocol.UDP);
        assertThat(r.trace().destinationPort()).isEqualTo(4444);
        assertThat(r.enrich()).isEqualTo(EnrichMode.OFF);
        assertThat(mtr(with("mtr", "-T")).trace().protocol()).isEqualTo(ProbeProtocol.TCP);
        assertThat(mtr(with("mtr", "-u")).trace().protocol()).isEqualTo(ProbeProtocol.UDP);
        assertThat(mtr(with("mtr")).trace().automaticProtocol()).isTrue();
        MtrCommand z = parse(with("mtr", "-z", "-b"));
        assertThat(z.enrich.asLookups()).isTrue();
        assertThat(z.showIps).isTrue();
        assertThat(z.request(TARGET).build().enrich()).isEqualTo(EnrichMode.AWAIT);
        MtrCommand nz = parse(with("mtr", "-n", "-z"));
        assertThat(nz.enrich.asLookups()).isTrue();
        assertThat(nz.enrich.namesShown()).isFalse();
    }

    @Test
    void mtrReportModesRunTenRoundsUnlessCountedAsMtr() {
        MtrCommand r = parse(with("mtr", "-r"));
        assertThat(r.report).isTrue();
        assertThat(r.request(TARGET).build().rounds()).isEqualTo(OptionalLong.of(10));
        MtrCommand w = parse(with("mtr", "-w"));
        assertThat(w.report).isTrue();
        assertThat(w.request(TARGET).build().rounds()).isEqualTo(OptionalLong.of(10));
        MtrCommand j = parse(with("mtr", "-j"));
        assertThat(j.shared.output.jsonRequested()).isTrue();
        assertThat(j.shared.output.format()).isEqualTo(OutputOptions.Format.JSON);
        assertThat(j.request(TARGET).build().rounds()).isEqualTo(OptionalLong.of(10));
        assertThat(mtr(with("mtr", "-j", "-c", "3")).rounds()).isEqualTo(OptionalLong.of(3));
        assertThat(mtr(with("mtr")).rounds()).isEmpty();
        assertThat(mtr(with("mtr", "--wait", "0.5")).trace().probeTimeout()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void mtrTakesTheLastOfARepeatedOption() {
        // the issue's own example: "--report-cycles given twice" before
        MonitorRequest r = mtr(with("mtr", "-c", "3", "-i", "0.2", "-r", "-c", "2"));
        assertThat(r.rounds()).isEqualTo(OptionalLong.of(2));
        assertThat(r.interval()).isEqualTo(Duration.ofMillis(200));
        assertThat(mtr(with("mtr", "-i", "1", "-i", "0.5")).interval()).isEqualTo(Duration.ofMillis(500));
        assertThat(mtr(with("mtr", "-u", "-T")).trace().protocol()).isEqualTo(ProbeProtocol.TCP);
        assertThat(mtr(with("mtr", "-T", "--protocol", "icmp")).trace().protocol()).isEqualTo(ProbeProtocol.ICMP);
        assertThat(mtr(with("mtr", "-P", "1", "-P", "2")).trace().destinationPort()).isEqualTo(2);
    }

    @Test
    void mtrNamesEachResponderAsTheFlagsAsk() throws Exception {
        MonitorResponder named = new MonitorResponder(InetAddress.getByName("198.18.1.1"), 10, 1.0,
                Lookup.found("core1.isp.example"), Lookup.found(AsnInfo.of(64500)));
        MonitorResponder bare = new MonitorResponder(InetAddress.getByName("198.18.1.2"), 10, 1.0, Lookup.notFound(),
                Lookup.notFound());
        assertThat(MtrCommand.shown(named, true, false, false)).isEqualTo("core1.isp.example");
        assertThat(MtrCommand.shown(named, true, false, true)).isEqualTo("core1.isp.example (198.18.1.1)");
        assertThat(MtrCommand.shown(named, false, false, true)).isEqualTo("198.18.1.1");
        assertThat(MtrCommand.shown(named, true, true, false)).isEqualTo("AS64500 core1.isp.example");
        assertThat(MtrCommand.shown(named, false, true, false)).isEqualTo("AS64500 198.18.1.1");
        assertThat(MtrCommand.shown(bare, true, true, true)).isEqualTo("AS??? 198.18.1.2");
    }

    // --- counts

    @JarTest
    @Test
    void countsOfZeroOrLessAreRefusedWithOneLineAndTheUsageExitCode() {
        CliRuns cli = new CliRuns(CliRuns.Enrichment.OFF);
        List<List<String>> bad = List.of(List.of("trace", "-q", "0"), List.of("trace", "-q", "-1"),
                List.of("trace", "-m", "0"), List.of("trace", "-f", "0"), List.of("trace", "-N", "0"),
                List.of("trace", "--flows", "0"), List.of("trace", "--concurrency", "-3"),
                List.of("mtr", "-c", "0"), List.of("mtr", "-c", "-1"), List.of("mtr", "-r", "-c", "0"),
                List.of("mtr", "-m", "0"), List.of("mtr", "--window", "0"),
                List.of("ping", "-c", "0"), List.of("ping", "-c", "-5"), List.of("ping", "-t", "0"),
                List.of("multipath", "-m", "0"), List.of("multipath", "--max-probes", "0"),
                List.of("mtu", "-q", "0"), List.of("mtu", "-m", "-1"));
        for (List<String> args : bad) {
            // loopback, should a refusal ever fail to happen: nothing then leaves this host
            String[] a = withTarget("127.0.0.1", args.get(0), args.subList(1, args.size()).toArray(String[]::new));
            CliRuns.Run r = cli.run(a);
            String command = "pathprobe " + args.get(0);
            assertThat(r.exitCode()).as(String.join(" ", a)).isEqualTo(2);
            assertThat(r.out()).as(String.join(" ", a)).isEmpty();
            assertThat(r.err().lines().toList()).as(String.join(" ", a)).containsExactly(
                    command + ": Invalid value for option '" + longName(args.get(0), args.get(args.size() - 2)) + "': '"
                            + args.get(args.size() - 1) + "' is not a count: give 1 or more",
                    "see '" + command + " --help'");
        }
    }

    /** The name picocli's message gives an option: its longest. */
    private static String longName(String command, String option) {
        CommandLine.Model.OptionSpec o = PathProbeCli.commandLine().getSubcommands().get(command).getCommandSpec()
                .findOption(option);
        return o.longestName();
    }
}
