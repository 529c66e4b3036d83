package io.pathprobe.evidence;

import static io.pathprobe.json.MaskedJsonTestAccess.assertHides;
import static io.pathprobe.json.MaskedJsonTestAccess.assertShows;
import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.monitor.MonitorEvent;
import io.pathprobe.monitor.MonitorPath;
import io.pathprobe.testing.Samples;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The masked text forms: the statement, hidden hops printed {@code masked} (never {@code *}), the rest intact. */
class MaskedTextTest {
    @Test
    void theTraceTextMasksHopsOneAndTwo() {
        String text = Masking.firstHops(2).apply(Samples.trace()).toString();
        assertHides(text, List.of("192.168.1.1", "198.18.1.1", "192.168.1.10", "198.18.0.2",
                "router.home.lab.example", "core1.isp.lab.example"));
        assertShows(text, List.of("198.18.2.1", "198.51.100.10"));
        assertThat(text).contains("\nhops 1-2 and the source address masked\n");
        assertThat(text).contains("\n 1  masked  0.500 ms  0.250 ms  0.125 ms\n");
        assertThat(text).contains("\n 2  masked  1.000 ms  *  2.500 ms  (loss: 0 forward, 1 backward)\n");
        assertThat(text).contains("public address masked (behind NAT)");
        assertThat(text).contains("\n 3  198.18.2.1  3.000 ms !H");
        assertThat(Masking.NONE.apply(Samples.trace()).toString()).isEqualTo(Samples.trace().toString());
    }

    @Test
    void aSilentHiddenHopIsMaskedNotSilent() {
        String text = Masking.firstHops(2).apply(Samples.trace6()).toString();
        assertThat(text).contains("\n 2  masked  *\n").doesNotContain("\n 2  *");
        assertHides(text, List.of("2001:db8:0:1::1"));
        assertShows(text, List.of("2001:db8::10"));
    }

    @Test
    void theMultipathTextMasksTheHiddenTtls() {
        String text = Masking.firstHops(1).apply(Samples.multipath()).toText(100);
        assertThat(text).startsWith("hop 1 and the source address masked\n").contains("\n  1    masked\n");
        assertHides(text, List.of("198.18.0.1"));
        assertShows(text, List.of("198.18.1.1", "198.18.2.1", "198.18.10.1"));
        assertThat(text).as("the paths' table keeps its rows").containsPattern("(?m)^  1 +10\\.0% ")
                .containsPattern("(?m)^  2 +100\\.0% ");
    }

    @Test
    void theMtrReportMasksTheHiddenRows() {
        String text = Masking.firstHops(2).apply(Samples.monitor()).toString();
        assertThat(text).contains("hops 1-2 and the source address masked");
        assertThat(text).containsPattern("(?m)^ 1\\.\\|-- masked +0\\.0%").containsPattern("(?m)^ 2\\.\\|-- masked ");
        assertHides(text, List.of("198.18.1.2", "198.18.2.2", "r1a.lab.example"));
        assertShows(text, List.of("198.19.0.1"));
        assertThat(text).doesNotContain("???");
    }

    @Test
    void aRunningMonitorHidesWhatAHopThatChangedAtAHiddenTtlNamedWhereverItShowsLater() {
        MonitorMasking mask = new MonitorMasking(Masking.firstHops(1));
        Set<InetAddress> old = Set.of(Samples.ip("198.18.9.9"));
        Set<InetAddress> now = Set.of(Samples.ip("198.18.1.2"));
        MonitorEvent change = mask.apply(new MonitorEvent.HopChanged(7, 1, old, now));
        assertThat(change).hasToString("round 7: hop 1 changed masked → masked");
        MonitorPath later = new MonitorPath(1, List.of(now, old, Set.of(), Set.of(Samples.ip("198.19.0.1"))), true);
        MonitorEvent moved = mask.apply(new MonitorEvent.PathChanged(8, MonitorPath.NONE, later));
        assertThat(moved).hasToString("round 8: path changed: (no path) ⇒ masked → masked → * → 198.19.0.1");
        String json = io.pathprobe.json.PathProbeJson.write(io.pathprobe.json.MonitorJson.tree(moved));
        assertHides(json + change + io.pathprobe.json.MonitorJson.tree(change), List.of("198.18.9.9", "198.18.1.2"));
        assertShows(json, List.of("198.19.0.1"));
        assertThat(new MonitorMasking(Masking.NONE).apply(new MonitorEvent.HopChanged(7, 1, old, now)))
                .hasToString("round 7: hop 1 changed 198.18.9.9 → 198.18.1.2");
    }

    @Test
    void theMtuAndCompareTextsMaskTheHiddenHops() {
        String mtu = Masking.firstHops(2).apply(Samples.mtu()).toString();
        assertHides(mtu, List.of("198.18.0.2", "198.18.0.6"));
        assertShows(mtu, List.of("198.18.0.10", "198.19.0.1"));
        assertThat(mtu).contains(" 1:  masked");
        String compare = Masking.firstHops(2).apply(io.pathprobe.json.MaskedJsonTestAccess.twoProtocols())
                .toString();
        assertHides(compare, List.of("192.168.1.1", "198.18.1.1", "router.home.lab.example"));
        assertShows(compare, List.of("198.18.2.1"));
        assertThat(compare).startsWith("hops 1-2 and the source address masked\n");
    }
}
