package io.pathprobe;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.enrich.Lookup;
import io.pathprobe.monitor.MonitorEvent;
import io.pathprobe.monitor.MonitorHop;
import io.pathprobe.monitor.MonitorPath;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.monitor.MonitorResponder;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.monitor.MonitorRound;
import io.pathprobe.monitor.MonitorStatistics;
import io.pathprobe.monitor.MonitorStatus;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.RttPercentiles;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.testing.Samples;
import io.pathprobe.trace.FlowMode;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
/** The monitor's types print as mtr does, never as record defaults; the request checks its input. */
class MonitorTextTest {
    private static final InetAddress R1 = Samples.ip("198.18.0.2");
    private static final InetAddress DEST = Samples.ip("198.19.0.1");

    private static Duration ms(double v) {
        return Duration.ofNanos(Math.round(v * 1e6));
    }

    @Test
    void mtrReportText() {
        MonitorStatistics s = new MonitorStatistics(10, 9, 0, Optional.of(new RttStatistics(ms(0.1), ms(0.1), ms(0.15), ms(0.3), ms(0.05), Optional.of(new RttPercentiles(ms(0.1), ms(0.3), ms(0.3), ms(0.3), true)))), ms(0.02));
        assertThat(s.loss()).isEqualTo(0.1);
        assertThat(s).hasToString(" 10.0%    10    0.1   0.2   0.1   0.3   0.1  jitter 0.0, p50/p90/p99 0.1/0.3/0.3 ms");
        // nothing received: mtr's columns read 0.0 as mtr prints them, but no jitter nor percentile is made up
        assertThat(new MonitorStatistics(5, 0, 0, Optional.empty(), Duration.ZERO))
                .hasToString("100.0%     5    0.0   0.0   0.0   0.0   0.0  no answer");
        MonitorHop h1 = new MonitorHop(1, List.of(new MonitorResponder(R1, 9, 1.0, Lookup.found("gw.lab.example"),
                Lookup.off())), s, s);
        assertThat(h1.toString()).startsWith(" 1.|-- gw.lab.example").contains(" 10.0%    10");
        // a responder names itself as a trace's does (name, address, AS, place, exchange), then its share
        assertThat(h1.responders().get(0)).hasToString("gw.lab.example (198.18.0.2) 100.0%");
        assertThat(new MonitorResponder(R1, 3, 0.75, Lookup.notFound(), Lookup.found(Samples.ISP)))
                .hasToString("198.18.0.2 " + Samples.ISP.shortText() + " 75.0%");
        MonitorHop h2 = new MonitorHop(2, List.of(new MonitorResponder(DEST, 10, 1.0, Lookup.off(), Lookup.off())),
                s, s);
        MonitorPath path = new MonitorPath(1, List.of(Set.of(R1), Set.of(DEST)), true);
        assertThat(path).hasToString("198.18.0.2 → 198.19.0.1");
        assertThat(new MonitorPath(1, List.of(Set.of(R1), Set.of()), false))
                .hasToString("198.18.0.2 → * (destination not reached)");
        MonitorRequest req = MonitorRequest.builder("198.19.0.1").rounds(10).build();
        MonitorResult r = new MonitorResult("198.19.0.1", Optional.of(DEST), ProbeProtocol.ICMP, "linux-icmp",
                MonitorStatus.COMPLETED, 10, Instant.EPOCH, Duration.ofSeconds(9), List.of(h1, h2), s, 2, 2.0, 2, path,
                0, Optional.empty(), req, io.pathprobe.probe.MaskStatement.NONE);
        String text = r.toString();
        // as mtr: the start in local time to the second with its offset, and this host's name (not the target)
        java.util.regex.Matcher start = java.util.regex.Pattern.compile(
                "^Start: (\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[+-]\\d{4})  198\\.19\\.0\\.1 \\(198\\.19\\.0\\.1\\) "
                        + "ICMP, 10 rounds, COMPLETED\\R").matcher(text);
        assertThat(start.find()).as(text).isTrue();
        assertThat(java.time.OffsetDateTime.parse(start.group(1), java.time.format.DateTimeFormatter
                .ofPattern("yyyy-MM-dd'T'HH:mm:ssZ")).toInstant()).isEqualTo(Instant.EPOCH);
        assertThat(text).contains("HOST: " + io.pathprobe.util.LocalHost.name() + " ").doesNotContain("HOST: 198.19.0.1")
                .contains("Loss%   Snt   Last   Avg  Best  Wrst StDev").contains(" 2.|-- 198.19.0.1")
                .contains("end to end:").contains("hops 2/2.0/2 (min/avg/max), 0 path changes");
        // no round reached the destination: no hop count of 0 is made up
        String unreached = new MonitorResult("198.19.0.1", Optional.of(DEST), ProbeProtocol.ICMP, "linux-icmp",
                MonitorStatus.COMPLETED, 10, Instant.EPOCH, Duration.ofSeconds(9), List.of(h1), s, 0, 0.0, 0,
                new MonitorPath(1, List.of(Set.of(R1), Set.of()), false), 0, Optional.empty(), req,
                io.pathprobe.probe.MaskStatement.NONE).toString();
        assertThat(unreached).contains("hops unknown (no round reached the destination), 0 path changes")
                .doesNotContain("hops 0/");
        List<Object> all = List.of(s, h1, path, r, req, h1.responders().get(0),
                new MonitorEvent.HopChanged(3, 1, Set.of(R1), Set.of(DEST)),
                new MonitorEvent.PathChanged(3, path, path), new MonitorEvent.DestinationLost(5, 3),
                new MonitorEvent.DestinationRegained(8, 3),
                new MonitorEvent.ThresholdCrossed(4, 2, MonitorEvent.ThresholdKind.LOSS, 0.25, 0.2, true),
                new MonitorRound(1, Samples.trace(), path, List.of()));
        for (Object o : all) {
            assertThat(o.toString()).as(o.getClass().getName()).doesNotContainPattern(
                    "Optional(Int|Long|Double)?\\[|Optional\\.empty|\\bPT[0-9]|\\b[A-Z]\\w*\\[\\w+=|@[0-9a-f]{5,}\\b");
        }
        assertThat(new MonitorEvent.ThresholdCrossed(4, 2, MonitorEvent.ThresholdKind.LOSS, 0.25, 0.2, true))
                .hasToString("round 4: hop 2 loss 25.0% ≥ 20.0%");
        assertThat(new MonitorEvent.HopChanged(3, 1, Set.of(R1), Set.of(DEST)))
                .hasToString("round 3: hop 1 changed 198.18.0.2 → 198.19.0.1");
    }

    @Test
    void requestDefaultsAndChecks() {
        MonitorRequest r = MonitorRequest.of("198.19.0.1");
        assertThat(r.interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(r.rounds()).isEmpty();
        assertThat(r.window()).isEqualTo(100);
        assertThat(r.deadline()).isEmpty();
        assertThat(r.trace().probesPerTtl()).isEqualTo(1);
        assertThat(r.trace().flowMode()).isEqualTo(FlowMode.PARIS);
        assertThat(r.lossThreshold()).isEmpty();
        assertThat(r.toBuilder().build().toString()).isEqualTo(r.toString());
        assertThat(r.toBuilder().rounds(3).build().rounds()).hasValue(3);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MonitorRequest.builder("x").interval(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MonitorRequest.builder("x").latencyThreshold(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MonitorRequest.builder("x").window(MonitorRequest.MAX_WINDOW + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** As mtr's report: each column title ends where the values under it end, however long a host name is. */
    @Test
    void theHeadersTitlesStandAboveTheRowsValues() {
        MonitorStatistics s = new MonitorStatistics(10, 9, 0, Optional.of(new RttStatistics(Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ZERO, Optional.of(new RttPercentiles(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(2), Duration.ofMillis(2), true)))), Duration.ZERO);
        for (String name : List.of("gw", "a-much-longer-router-name.transit.lab.example")) {
            MonitorHop h1 = new MonitorHop(1, List.of(new MonitorResponder(R1, 10, 1.0, Lookup.found(name), Lookup.off())), s, s);
            MonitorHop h2 = new MonitorHop(12, List.of(new MonitorResponder(DEST, 10, 1.0, Lookup.off(), Lookup.off())), s, s);
            MonitorResult r = new MonitorResult("198.19.0.1", Optional.of(DEST), ProbeProtocol.ICMP, "linux-icmp",
                    MonitorStatus.COMPLETED, 10, Instant.EPOCH, Duration.ofSeconds(9), List.of(h1, h2), s, 2, 2.0, 2,
                    new MonitorPath(1, List.of(Set.of(R1), Set.of(DEST)), true), 0, Optional.empty(),
                    MonitorRequest.builder("198.19.0.1").rounds(10).build(), io.pathprobe.probe.MaskStatement.NONE);
            List<String> lines = r.toString().lines().toList();
            String header = lines.get(1);
            for (String row : lines.subList(2, 4)) {
                assertThat(row.indexOf('%')).as("%s%n%s", header, row).isEqualTo(header.indexOf("Loss%") + 4);
                assertThat(row.length()).as("%s%n%s", header, row).isEqualTo(header.length());
            }
        }
    }
}
