package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.enrich.PublicAddress;
import io.pathprobe.enrich.Responder;
import io.pathprobe.enrich.Segment;
import io.pathprobe.evidence.Masking;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --mask N}: on every measurement command; a value out of 0-255 is a usage error (exit 2) naming the range. */
class CliMaskTest {
    private static final CliRuns CLI = new CliRuns(Enrichment.OFF);

    @Test
    void everyMeasurementCommandTakesIt() {
        CommandLine cl = PathProbeCli.commandLine();
        for (String c : List.of("trace", "mtr", "multipath", "mtu", "ping", "compare")) {
            assertThat(cl.getSubcommands().get(c).getCommandSpec().findOption("--mask")).as(c).isNotNull();
        }
    }

    @JarTest
    @Test
    void outOfRangeIsAUsageError() {
        for (String bad : List.of("-1", "256", "two")) {
            Run run = CLI.run("trace", "--mask", bad, "127.0.0.1");
            assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
            assertThat(run.err()).contains("--mask").contains("255");
            assertThat(run.out()).isEmpty();
        }
    }

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    private static Hop hop(int ttl, String address, String name, Segment segment) throws Exception {
        InetAddress a = ip(address);
        ProbeResult p = new ProbeResult(ttl, 0, ProbeStatus.REPLY, Optional.of(a), Optional.of(Duration.ofNanos(50_000)),
                Optional.empty(), false, Optional.empty(), OptionalInt.empty(), List.of());
        return new Hop(ttl, List.of(p), List.of(new Responder(a, 1, Lookup.found(name), Lookup.found(AsnInfo.of(64500)))),
                new HopStatistics(1, 1, 0, 0, Optional.empty()), false, segment);
    }

    /** A trace enriched: this host 192.168.1.10 behind 198.18.0.2, hops 1 and 2 home routers, hop 3 the ISP's. */
    private static TraceResult enriched() throws Exception {
        PathContext ctx = new PathContext(Lookup.found(new PublicAddress(ip("198.18.0.2"), 40000,
                new InetSocketAddress(ip("198.51.100.3"), 3478), ip("192.168.1.10"), true)), Lookup.found(
                AsnInfo.of(64500)), Lookup.found(AsnInfo.of(64510)));
        return new TraceResult("198.51.100.10", Optional.of(ip("198.51.100.10")), ProbeProtocol.ICMP, "fake",
                TraceStatus.DESTINATION_REACHED, List.of(hop(1, "192.168.1.1", "router.home.lab.example", Segment.LAN),
                        hop(2, "192.168.2.1", "modem.home.lab.example", Segment.LAN),
                        hop(3, "198.18.1.1", "core1.isp.lab.example", Segment.ISP)),
                Instant.now(), Duration.ofMillis(3), 0, Optional.empty(), io.pathprobe.trace.FlowMode.PARIS, 1, ctx);
    }

    @Test
    void theEnrichedLiveTableAndTheSummaryHideHopsOneAndTwoAndThisHost() throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        HopTable t = new HopTable(new PrintStream(o, true, StandardCharsets.UTF_8), 1, 30, true);
        t.mask(Masking.firstHops(2));
        TraceResult r = enriched();
        t.started(TraceRequest.of("198.51.100.10"), ip("198.51.100.10"), "fake");
        r.hops().forEach(t::hopCompleted);
        t.finish(r);
        String out = o.toString(StandardCharsets.UTF_8) + TraceCommand.summary(Masking.firstHops(2).apply(r));
        List<String> lines = out.lines().toList();
        assertThat(lines.get(1)).isEqualTo("hops 1-2 and the source address masked");
        assertThat(lines.get(2)).startsWith(" 1  masked ").contains("LAN").contains("0.050 ms").doesNotContain("AS");
        assertThat(lines.get(3)).startsWith(" 2  masked ");
        assertThat(lines.get(4)).startsWith(" 3  core1.isp.lab.example (198.18.1.1)").contains("AS64500");
        for (String hidden : List.of("192.168.1.1", "192.168.2.1", "router.home", "modem.home", "192.168.1.10",
                "198.18.0.2")) {
            assertThat(out).as(hidden).doesNotContain(hidden);
        }
        assertThat(out).contains("public address: masked");
    }
}
