package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.ping.PingError;
import io.pathprobe.ping.PingKind;
import io.pathprobe.ping.PingProbe;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingStatistics;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.probe.RttPercentiles;
import io.pathprobe.probe.RttStatistics;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** How ping prints a UDP ping's rate-limited probes and its fallback to UDP (issue 47), without a network. */
class PingOutputTest {
    private static final String NOTE = "fell back to UDP: ICMP not usable: linux-raw-icmp needs CAP_NET_RAW; "
            + "linux-icmp-dgram needs gid 65534 in net.ipv4.ping_group_range (now '1 0')";

    private static PingTargetResult udp(Optional<String> note) throws Exception {
        Duration ms = Duration.ofMillis(1);
        PingStatistics s = new PingStatistics(10, 4, 0, 0, 0, 0, 0, 0, 0.0, Optional.of(new RttStatistics(ms, ms, ms, ms, Duration.ZERO, Optional.of(new RttPercentiles(ms, ms, ms, ms, true)))), Optional.of(Duration.ZERO), 6);
        PingProbe refused = new PingProbe(9, Duration.ofSeconds(9), ProbeStatus.RATE_LIMITED, Optional.empty(),
                Optional.empty(), Optional.empty(), OptionalInt.empty());
        return new PingTargetResult(0, "198.18.0.10", Optional.of(InetAddress.getByName("198.18.0.10")), PingKind.UDP,
                "linux-udp-recverr", note, Optional.empty(), s, List.of(refused));
    }

    @Test
    void theSummarySaysHowManyWereRateLimitedAndThatTheyAreNotLoss() throws Exception {
        String text = PingCommand.summary(udp(Optional.empty()), Duration.ofMillis(9001));
        assertThat(text).contains("10 packets transmitted, 4 received, 6 rate-limited (not counted as loss), "
                + "0% packet loss, time 9001ms\n");
        assertThat(text).doesNotContain("note:");
    }

    @Test
    void theHeaderOfAnAutomaticPingSaysItFellBackToUdp() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream out = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
        PingCommand.Lines automatic = new PingCommand.Lines(out, true);
        automatic.targetStarted(0, "198.18.0.10", InetAddress.getByName("198.18.0.10"), PingKind.UDP, "linux-udp-recverr",
                Optional.of(NOTE));
        automatic.finish(udp(Optional.of(NOTE)));
        PingCommand.Lines asked = new PingCommand.Lines(out, false);
        asked.targetStarted(0, "198.18.0.11", InetAddress.getByName("198.18.0.11"), PingKind.UDP, "linux-udp-recverr",
                Optional.empty());
        asked.finish(udp(Optional.empty()));
        // the first line says it fell back, in one line naming what would let ICMP be used
        assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(
                "PING 198.18.0.10 (198.18.0.10): udp via linux-udp-recverr, " + NOTE + "\n"
                        + "PING 198.18.0.11 (198.18.0.11): udp via linux-udp-recverr\n");
    }

    @Test
    void aPingThatFellBackToUdpSaysSo() throws Exception {
        String text = PingCommand.summary(udp(Optional.of(NOTE)), Duration.ofMillis(9001));
        assertThat(text).contains("\nnote: " + NOTE + "\n");
        assertThat(PingCommand.summary(udp(Optional.of(NOTE)), Duration.ofMillis(9001), false))
                .as("said on the PING line: not again").doesNotContain("note:");
        assertThat(udp(Optional.of(NOTE)).toString()).isEqualTo(
                "198.18.0.10 : xmt/rcv/%loss = 4/4/0% [6 rate-limited, not loss], min/avg/max = 1.000/1.000/1.000");
    }

    /** Issue 68: misses the destination's limit may have refused, though its answers did not show it, are a range. */
    @Test
    void missesALimitCouldExplainAreLostAndTheLossARange() throws Exception {
        Duration ms = Duration.ofMillis(1);
        PingStatistics s = new PingStatistics(5, 2, 3, 0, 0, 0, 0, 0, 0.6, Optional.of(new RttStatistics(ms, ms, ms, ms,
                Duration.ZERO, Optional.empty())), Optional.empty(), 0, 3);
        PingTargetResult t = new PingTargetResult(0, "198.19.0.1", Optional.of(InetAddress.getByName("198.19.0.1")),
                PingKind.UDP, "linux-udp-recverr", Optional.of(NOTE), Optional.empty(), s, List.of());
        assertThat(PingCommand.summary(t, Duration.ofMillis(4004), false))
                .contains("5 packets transmitted, 2 received, 60% packet loss (0-60 %: 3 may be refusals), time 4004ms\n");
        assertThat(t.toString()).isEqualTo("198.19.0.1 : xmt/rcv/%loss = 5/2/60% [loss 0-60%: 3 may be refusals], "
                + "min/avg/max = 1.000/1.000/1.000");
        PingResult r = new PingResult(List.of(t), io.pathprobe.ping.PingStatus.COMPLETED, java.time.Instant.EPOCH,
                Duration.ofSeconds(4), io.pathprobe.ping.PingRequest.builder("198.19.0.1").build());
        assertThat(PingCommand.limitNotes(r)).singleElement().asString().startsWith("3 misses could be refusals")
                .contains("ping slower (-i 1) or with ICMP");
    }

    /** Issue 68: a dead host pinged over UDP is lost whole, with no range and no rate-limited probe. */
    @Test
    void aTargetThatNeverAnsweredReadsAHundredPercent() throws Exception {
        PingStatistics s = new PingStatistics(5, 0, 5, 0, 0, 0, 0, 0, 1.0, Optional.empty(), Optional.empty(), 0, 0);
        PingTargetResult t = new PingTargetResult(0, "198.19.0.99", Optional.of(InetAddress.getByName("198.19.0.99")),
                PingKind.UDP, "linux-udp-recverr", Optional.of(NOTE), Optional.empty(), s, List.of());
        assertThat(PingCommand.summary(t, Duration.ofMillis(4004), false))
                .contains("5 packets transmitted, 0 received, 100% packet loss, time 4004ms\n");
        assertThat(t.toString()).isEqualTo("198.19.0.99 : xmt/rcv/%loss = 5/0/100%");
    }

    /** A router's ICMP error for a dead network is named on the target's line, as fping names it. */
    @Test
    void aTargetARouterRefusedNamesTheError() throws Exception {
        PingStatistics s = new PingStatistics(3, 0, 3, 0, 0, 0, 0, 0, 1.0, Optional.empty(), Optional.empty(), 0, 0);
        PingTargetResult t = new PingTargetResult(0, "198.18.0.99", Optional.of(InetAddress.getByName("198.18.0.99")),
                PingKind.ICMP, "linux-raw-icmp", Optional.empty(),
                Optional.of(PingError.of(PingError.Type.UNREACHABLE, "from 198.18.0.2: network unreachable")), s,
                List.of());
        assertThat(t.toString())
                .isEqualTo("198.18.0.99 : xmt/rcv/%loss = 3/0/100% [from 198.18.0.2: network unreachable]");
    }

    /**
     * Issue 67: a router's Fragmentation Needed names the MTU it reported, as iputils' "Frag needed and DF set (mtu =
     * 1400)"; a send the system refused names the errno and the path MTU, with no sequence (nothing left with it); the
     * summary counts the errors as iputils' "+N errors".
     */
    @Test
    void fragmentationNeededAndARefusedSendNameTheMtu() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream out = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
        PingCommand.Lines lines = new PingCommand.Lines(out, false);
        InetAddress dest = InetAddress.getByName("198.19.0.1");
        lines.targetStarted(0, "198.19.0.1", dest, PingKind.ICMP, "linux-raw-icmp");
        lines.probeCompleted(0, "198.19.0.1", new PingProbe(0, Duration.ZERO, ProbeStatus.UNREACHABLE, Optional.empty(),
                Optional.of(InetAddress.getByName("198.18.0.10")), Optional.of(new io.pathprobe.probe.IcmpMessage(3, 4,
                        false)), OptionalInt.of(62), OptionalInt.empty(), OptionalInt.of(1400), Optional.empty()));
        lines.probeCompleted(0, "198.19.0.1", new PingProbe(1, Duration.ofMillis(200), ProbeStatus.SEND_FAILED,
                Optional.empty(), Optional.empty(), Optional.empty(), OptionalInt.empty(), OptionalInt.empty(),
                OptionalInt.of(1400), Optional.of("sendmsg: EMSGSIZE (Message too long), beyond the path MTU 1400")));
        assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList()).containsExactly(
                "PING 198.19.0.1 (198.19.0.1): icmp via linux-raw-icmp",
                "From 198.18.0.10 icmp_seq=1 fragmentation needed (mtu = 1400)",
                "local error: sendmsg: EMSGSIZE (Message too long), beyond the path MTU 1400");
        Duration ms = Duration.ofMillis(1);
        PingStatistics s = new PingStatistics(3, 2, 1, 0, 0, 0, 0, 1, 1 / 3.0, Optional.of(new RttStatistics(ms, ms, ms,
                ms, Duration.ZERO, Optional.empty())), Optional.empty(), 0);
        PingTargetResult t = new PingTargetResult(0, "198.19.0.1", Optional.of(dest), PingKind.ICMP, "linux-raw-icmp",
                Optional.empty(), Optional.empty(), s, List.of());
        assertThat(PingCommand.summary(t, Duration.ofMillis(400)))
                .contains("3 packets transmitted, 2 received, +1 errors, 33.3% packet loss, time 400ms");
    }
}
