package io.pathprobe.cli.live;

import static io.pathprobe.testing.Samples.ip;
import static io.pathprobe.testing.Samples.ms;
import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.Responder;
import io.pathprobe.monitor.MonitorPath;
import io.pathprobe.monitor.MonitorRound;
import io.pathprobe.probe.MplsLabel;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.testing.Samples;
import io.pathprobe.trace.FlowMode;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The live screen without a terminal: rounds and keys in, the lines drawn out. */
class ScreenModelTest {
    private static final AsnInfo ISP = new AsnInfo(64500, Optional.of("198.18.0.0/15"), Optional.of("LAB-ISP"),
            Optional.of("ZZ"), Optional.of("ripencc"));
    private static final List<MplsLabel> LABELS = List.of(new MplsLabel(24001, 0, true, 1));

    /** A round to {@code dest}: TTL 1 a home router, TTL 2 core1 (AS64500, MPLS) as {@code second}, 3 the target. */
    private static MonitorRound round(long n, String dest, ProbeStatus second, double rtt) {
        Hop h1 = new Hop(1, List.of(Samples.reply(1, 0, "192.168.1.1", 0.5, Samples.TIME_EXCEEDED, false, 64,
                List.of(), 0)), List.of(new Responder(ip("192.168.1.1"), 1)), stats());
        ProbeResult p2 = second == ProbeStatus.REPLY
                ? Samples.reply(2, 0, "198.18.1.1", rtt, Samples.TIME_EXCEEDED, false, 253, LABELS, 0)
                : Samples.status(2, 0, second, Optional.empty());
        Hop h2 = new Hop(2, List.of(p2), List.of(new Responder(ip("198.18.1.1"), 1, Lookup.found("core1.lab.example"),
                Lookup.found(ISP))), stats());
        Hop h3 = new Hop(3, List.of(Samples.reply(3, 0, dest, 2 * rtt, Samples.ECHO_REPLY, true, 61, List.of(), 0)),
                List.of(new Responder(ip(dest), 1)), stats());
        TraceResult t = new TraceResult(dest, Optional.of(ip(dest)), ProbeProtocol.ICMP, "test",
                TraceStatus.DESTINATION_REACHED, List.of(h1, h2, h3), Samples.START, ms(10), 0, Optional.empty(),
                FlowMode.PARIS, 1);
        return new MonitorRound(n, t, MonitorPath.NONE, List.of());
    }

    private static HopStatistics stats() {
        return new HopStatistics(1, 1, 0, 0, Optional.empty());
    }

    private static ScreenModel watching(String... targets) {
        ScreenModel m = new ScreenModel(List.of(targets), ScreenModel.Names.NAMES, false);
        for (String t : targets) {
            m.round(t, round(1, t, ProbeStatus.REPLY, 1.0));
            m.round(t, round(2, t, ProbeStatus.REPLY, 3.0));
        }
        return m;
    }

    private static String screen(ScreenModel m) {
        return String.join("\n", m.lines(150, 40));
    }

    private static String row(ScreenModel m, String start) {
        return m.lines(150, 40).stream().filter(l -> l.startsWith(start)).findFirst().orElseThrow();
    }

    /** A round of an outage: router 1 answers host unreachable at TTL 1, the round ends there. */
    private static MonitorRound outage(long n, String dest) {
        Hop h1 = new Hop(1, List.of(Samples.reply(1, 0, "192.168.1.1", 0.5, Samples.HOST_UNREACHABLE, false, 64,
                List.of(), 0)), List.of(new Responder(ip("192.168.1.1"), 1)), stats());
        TraceResult t = new TraceResult(dest, Optional.of(ip(dest)), ProbeProtocol.ICMP, "test",
                TraceStatus.UNREACHABLE, List.of(h1), Samples.START, ms(10), 0, Optional.empty(), FlowMode.PARIS, 1);
        return new MonitorRound(n, t, MonitorPath.NONE, List.of());
    }

    /**
     * During an outage (router 1 answers unreachable, every round ends at TTL 1) the rows seen before stay, each
     * round a lost probe at each (mtr counts them lost too, but hides them until the destination answers again:
     * docs/monitor.md); the destination back, they go on counting.
     */
    @Test
    void anOutageKeepsTheRowsSeenTheirLossGrowing() {
        ScreenModel m = watching("198.19.0.1");
        m.round("198.19.0.1", outage(3, "198.19.0.1"));
        m.round("198.19.0.1", outage(4, "198.19.0.1"));
        assertThat(row(m, " 1. ")).contains("192.168.1.1").containsSubsequence("0.0%", "4");
        assertThat(row(m, " 2. ")).contains("core1.lab.example").containsSubsequence("50.0%", "4");
        assertThat(row(m, " 3. ")).contains("198.19.0.1").containsSubsequence("50.0%", "4");
        m.key('d');
        assertThat(row(m, " 3. ")).endsWith("??");
        m.key('d');
        m.key('d');
        m.round("198.19.0.1", round(5, "198.19.0.1", ProbeStatus.REPLY, 1.0));
        assertThat(row(m, " 3. ")).containsSubsequence("40.0%", "5");
        assertThat(screen(m)).doesNotContain(" 4. ");
    }

    @Test
    void theTableHasMtrsFieldsAndEveryHop() {
        ScreenModel m = watching("198.19.0.1");
        assertThat(row(m, " Host")).containsSubsequence("Loss%", "Snt", "Last", "Avg", "Best", "Wrst", "StDev");
        assertThat(row(m, " 2. ")).contains("core1.lab.example").containsSubsequence("0.0%", "2", "3.0", "2.0",
                "1.0", "3.0", "1.0");
        assertThat(row(m, " 3. ")).contains("198.19.0.1");
        assertThat(screen(m)).contains("round 2, 2 counted").contains("event: none yet");
    }

    @Test
    void nCyclesNamesNumbersAndBoth() {
        ScreenModel m = watching("198.19.0.1");
        m.key('n');
        assertThat(row(m, " 2. ")).contains("198.18.1.1").doesNotContain("core1");
        m.key('n');
        assertThat(row(m, " 2. ")).contains("core1.lab.example (198.18.1.1)");
        m.key('n');
        assertThat(row(m, " 2. ")).contains("core1.lab.example").doesNotContain("(198.18.1.1)");
    }

    @Test
    void jSwitchesToTheJitterFieldsAndBack() {
        ScreenModel m = watching("198.19.0.1");
        m.key('j');
        assertThat(row(m, " Host")).containsSubsequence("Drop", "Rcv", "Avg", "Gmean", "Jttr", "Javg", "Jmax", "Jint")
                .doesNotContain("StDev");
        assertThat(row(m, " 2. ")).containsSubsequence("0", "2", "2.0", "1.7", "2.0", "2.0", "2.0", "0.1");
        m.key('j');
        assertThat(row(m, " Host")).contains("StDev").doesNotContain("Jttr");
    }

    @Test
    void dCyclesTheTableTheStripChartAndTheLatencyChart() {
        ScreenModel m = watching("198.19.0.1");
        m.key('d');
        // one scale for every hop, 0.5 to 6 ms: hop 2's 1 and 3 ms, hop 3's 2 and 6 ms
        assertThat(row(m, " 2. ")).endsWith(" .4");
        assertThat(row(m, " 3. ")).endsWith(" 29");
        assertThat(screen(m)).contains("Scale:  .:<1.05 ms  1:<1.60 ms").doesNotContain("Loss%");
        m.key('d');
        assertThat(screen(m)).contains("RTT to hop 3 198.19.0.1, the last 2 rounds").contains("   6.00 | #")
                .contains("  0.375 |##")
                .doesNotContain("Scale:");
        m.key('d');
        assertThat(screen(m)).contains("Loss%");
    }

    @Test
    void rStartsTheStatisticsAgainFromTheNextRound() {
        ScreenModel m = watching("198.19.0.1");
        m.key('r');
        assertThat(screen(m)).contains("0 counted").doesNotContain(" 2. ");
        m.round("198.19.0.1", round(3, "198.19.0.1", ProbeStatus.REPLY, 5.0));
        assertThat(row(m, " 2. ")).containsSubsequence("0.0%", "1", "5.0", "5.0", "5.0", "5.0", "0.0");
    }

    @Test
    void pPausesAndSpaceResumes() {
        ScreenModel m = watching("198.19.0.1");
        m.key('p');
        m.round("198.19.0.1", round(3, "198.19.0.1", ProbeStatus.TIMEOUT, 1.0));
        assertThat(screen(m)).contains("PAUSED").contains("round 2, 2 counted");
        m.key(' ');
        m.round("198.19.0.1", round(4, "198.19.0.1", ProbeStatus.TIMEOUT, 1.0));
        assertThat(screen(m)).doesNotContain("PAUSED").contains("round 4, 3 counted");
        assertThat(row(m, " 2. ")).contains("33.3%");
    }

    @Test
    void eShowsTheMplsLabels() {
        ScreenModel m = watching("198.19.0.1");
        assertThat(screen(m)).doesNotContain("MPLS: ");
        m.key('e');
        assertThat(screen(m)).contains("    [MPLS: " + LABELS.get(0) + "]");
    }

    @Test
    void zTurnsTheAsColumnOnAndOffAndYCyclesTheInformation() {
        ScreenModel m = watching("198.19.0.1");
        m.key('z');
        assertThat(row(m, " 2. ")).contains("AS64500 core1.lab.example");
        assertThat(row(m, " 3. ")).contains("AS??? 198.19.0.1");
        assertThat(row(m, " Host")).startsWith(" Host (AS first)");
        m.key('y');
        assertThat(row(m, " 2. ")).contains("198.18.0.0/15 core1.lab.example");
        assertThat(row(m, " Host")).startsWith(" Host (prefix first)");
        m.key('y');
        assertThat(row(m, " 2. ")).contains("ZZ core1.lab.example");
        m.key('z');
        assertThat(row(m, " 2. ")).doesNotContain("ZZ").doesNotContain("AS64500");
    }

    @Test
    void oTakesAFieldOrderAndEscLeavesIt() {
        ScreenModel m = watching("198.19.0.1");
        m.key('o');
        assertThat(screen(m)).contains("Fields (").endsWith("): " + ScreenModel.FIELDS);
        for (int i = 0; i < ScreenModel.FIELDS.length(); i++) {
            m.key(127);
        }
        "dlnq".chars().forEach(m::key); // lower case taken, q is no field: dropped, and does not quit in the prompt
        m.key('\r');
        assertThat(row(m, " Host")).containsSubsequence("Drop", "Loss%", "Last").doesNotContain("Snt");
        m.key('o');
        m.key('S');
        m.key(27);
        assertThat(row(m, " Host")).doesNotContain("Snt");
    }

    @Test
    void tabGoesToTheNextTarget() {
        ScreenModel m = watching("198.19.0.1", "198.19.0.2");
        assertThat(screen(m)).contains("pathprobe mtr: 198.19.0.1").contains("target 1/2");
        m.key('\t');
        assertThat(screen(m)).contains("pathprobe mtr: 198.19.0.2").contains("target 2/2");
        assertThat(row(m, " 3. ")).contains("198.19.0.2");
        m.key('\t');
        assertThat(screen(m)).contains("target 1/2");
    }

    @Test
    void helpShowsTheKeysAndAnyKeyLeavesItButQQuits() {
        ScreenModel m = watching("198.19.0.1");
        for (char c : new char[] {'?', 'h'}) {
            assertThat(m.key(c)).isEqualTo(ScreenModel.Action.REDRAW);
            assertThat(screen(m)).contains("Keys, as mtr's:").doesNotContain("Loss%");
            m.key('x');
            assertThat(screen(m)).contains("Loss%");
        }
        m.key('?');
        assertThat(m.key('q')).isEqualTo(ScreenModel.Action.QUIT);
    }

    @Test
    void aRateLimitedProbeIsShownAsSuchNotAsLoss() {
        ScreenModel m = watching("198.19.0.1");
        m.round("198.19.0.1", round(3, "198.19.0.1", ProbeStatus.RATE_LIMITED, 1.0));
        assertThat(row(m, " 2. ")).contains("  0.0%");
        assertThat(screen(m)).contains("    (rate-limited: 1, not counted as loss)");
        m.key('d');
        assertThat(row(m, " 2. ")).endsWith(" .4r");
    }

    @Test
    void eventsShowInTheStatusLinesTheLatestThree() {
        ScreenModel m = watching("198.19.0.1");
        for (int i = 1; i <= 4; i++) {
            m.event("round " + i + ": destination lost since round " + i);
        }
        List<String> lines = m.lines(150, 40);
        assertThat(lines.subList(lines.size() - 3, lines.size())).containsExactly(
                "event: round 2: destination lost since round 2", "event: round 3: destination lost since round 3",
                "event: round 4: destination lost since round 4");
    }

    @Test
    void aControlCharacterInANameOrAnEventIsShownAsAQuestionMark() {
        ScreenModel m = watching("198.19.0.1");
        m.event("round 3: \u001b]0;pwned\u0007 \u009b2J\r\nline");
        assertThat(screen(m)).contains("event: round 3: ?]0;pwned? ?2J??line").doesNotContain("\u001b");
        assertThat(ScreenModel.printable("caf\u00e9 \u001b[31m")).isEqualTo("caf\u00e9 ?[31m");
    }

    @Test
    void aHopMaskedByMaskShowsAsMaskedWithItsStatistics() {
        ScreenModel m = new ScreenModel(List.of("198.19.0.1"), ScreenModel.Names.BOTH, true);
        MonitorRound r = round(1, "198.19.0.1", ProbeStatus.REPLY, 1.0);
        List<Hop> hops = r.trace().hops().stream().map(h -> h.ttl() <= 2 ? h.asMasked() : h).toList();
        TraceResult t = r.trace();
        m.round("198.19.0.1", new MonitorRound(1, new TraceResult(t.target(), t.destination(), t.protocol(),
                t.transport(), t.status(), hops, t.startedAt(), t.duration(), 0, Optional.empty(), FlowMode.PARIS, 1),
                MonitorPath.NONE, List.of()));
        assertThat(row(m, " 1. ")).contains("masked").containsSubsequence("0.0%", "1", "0.5");
        assertThat(row(m, " 2. ")).contains("masked");
        assertThat(screen(m)).doesNotContain("192.168.1.1").doesNotContain("198.18.1.1").doesNotContain("core1");
    }

    @Test
    void theScreenFitsTheTerminalItIsDrawnFor() {
        ScreenModel m = watching("198.19.0.1");
        for (int[] size : new int[][] {{150, 40}, {80, 24}, {60, 8}}) {
            List<String> lines = m.lines(size[0], size[1]);
            assertThat(lines).hasSizeLessThanOrEqualTo(size[1]).allMatch(l -> l.length() <= size[0]);
        }
        // the fields stand at the right edge: a narrower terminal moves them left
        assertThat(row(m, " Host").indexOf("Loss%")).isGreaterThan(m.lines(80, 24).stream()
                .filter(l -> l.startsWith(" Host")).findFirst().orElseThrow().indexOf("Loss%"));
        assertThat(m.lines(60, 8)).last().asString().startsWith("event:");
    }
}
