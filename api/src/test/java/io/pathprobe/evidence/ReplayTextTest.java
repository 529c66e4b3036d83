package io.pathprobe.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.ping.PingRequest;
import io.pathprobe.trace.TraceRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A replay's summary names each measurement by its targets, whole: the reviewers saw it cut the request's text
 * mid-word ("trace of TraceRequest{198.19.0.1, automatic [ICMP, UDP], ttl 1..30, 3/hop, timeout 1 s, d: identical
 * ..."); a replay that left the record says where in one line, and does not give its result as the recorded one.
 */
class ReplayTextTest {
    private static ReplayedMeasurement trace(String recorded, String replayed) {
        TraceRequest r = TraceRequest.builder("198.19.0.1").maxTtl(20).probeTimeout(Duration.ofMillis(500)).build();
        return new ReplayedMeasurement("trace", r, Optional.of("a result"), Optional.empty(), Optional.of(recorded),
                Optional.of(replayed));
    }

    private static ReplayResult replay(Optional<ReplayDivergence> d, ReplayedMeasurement... m) {
        return new ReplayResult("run.ndjson", 2, "pathprobe 0.1.0", Instant.parse("2026-11-27T19:35:16Z"), "", 1, 177,
                false, d, List.of(m), Masking.NONE);
    }

    @Test
    void eachMeasurementIsNamedByItsWholeTargets() {
        assertThat(trace("{}", "{}").toString()).isEqualTo("trace of 198.19.0.1: identical to the recorded result");
        PingRequest many = PingRequest.builder("198.19.0.1", "198.19.0.2", "198.19.0.3", "198.19.0.4", "198.19.0.5")
                .build();
        ReplayedMeasurement ping = new ReplayedMeasurement("ping", many, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
        assertThat(ping.what()).isEqualTo("ping of 198.19.0.1, 198.19.0.2, 198.19.0.3 and 2 more");
        assertThat(replay(Optional.empty(), trace("{}", "{}")).toString()).isEqualTo("""
                replay of run.ndjson (format 2, pathprobe 0.1.0, recorded 2026-11-27T19:35:16Z, 177 lines)
                  trace of 198.19.0.1: identical to the recorded result""");
    }

    @Test
    void aReplayThatLeftTheRecordSaysWhereInOneLineAndRefusesItsResult() {
        ReplayDivergence d = new ReplayDivergence("the engine sent another probe to 198.19.0.1 than the recording did",
                Duration.ofMillis(1204), 14, 19, "sent probe 15 ttl 4 flow 0");
        assertThat(d.toString()).isEqualTo("left the record 1.204 s into the recording, after 14 of its 19 probes: the "
                + "engine sent another probe to 198.19.0.1 than the recording did [sent probe 15 ttl 4 flow 0]")
                .doesNotContain("\n");
        ReplayedMeasurement m = trace("{\"a\":1}", "{\"a\":2}");
        ReplayResult r = replay(Optional.of(d), m);
        assertThat(r.toString()).contains("\n  " + d + "\n  trace of 198.19.0.1: differs from the recorded result");
        assertThat(m.result()).isPresent();
        assertThatThrownBy(() -> m.result(String.class)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not the recorded one");
        assertThat(trace("{}", "{}").result(String.class)).isEqualTo("a result");
    }

    @Test
    void aRecordCutAfterItsResultsIsNotComparedAndSaysSo() {
        ReplayDivergence end = new ReplayDivergence("the recording ends (after line 35) before the measurement "
                + "did: the rest ran on fake time with no answers", Duration.ofMillis(670), 3, 3, "", true);
        ReplayResult cut = replay(Optional.of(end), trace("{\"a\":1}", "{\"a\":2}"));
        assertThat(cut.cutAfterItsResults()).isTrue();
        assertThat(cut.toString()).endsWith("\n  " + end + "\n  trace of 198.19.0.1: not compared: the recording "
                + "holds its result but not the engine's last acts").doesNotContain("differs");
        // the engine off the record, the record ended before a result, or before its probes: not that case
        ReplayDivergence off = new ReplayDivergence("the engine sent another probe", Duration.ofMillis(670), 3, 3, "");
        assertThat(off.recordEnded()).isFalse();
        assertThat(replay(Optional.of(off), trace("{\"a\":1}", "{\"a\":2}")).cutAfterItsResults()).isFalse();
        ReplayDivergence early = new ReplayDivergence("the recording ends", Duration.ofMillis(670), 2, 3, "", true);
        assertThat(replay(Optional.of(early), trace("{\"a\":1}", "{\"a\":2}")).cutAfterItsResults()).isFalse();
        assertThat(replay(Optional.empty(), trace("{\"a\":1}", "{\"a\":2}")).cutAfterItsResults()).isFalse();
    }
}
