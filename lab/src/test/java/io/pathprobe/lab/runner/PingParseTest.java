package io.pathprobe.lab.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link Ping}'s parsers on outputs recorded from iputils ping 20221126 and fping 5.1 (Debian 12) in
 * two namespaces joined by a veth, with nftables loss (30 % toward 198.19.0.1) and duplication (every
 * other answer) at the far end: {@code src/test/resources/io/pathprobe/lab/ping/}.
 */
class PingParseTest {

    private static String recorded(String name) {
        try (InputStream in = PingParseTest.class.getResourceAsStream("ping/" + name)) {
            return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Duration ms(double millis) {
        return Duration.ofNanos(Math.round(millis * 1_000_000));
    }

    @Test
    void pingWithLossAndADuplicate() {
        Ping.Result r = Ping.parse(recorded("ping-loss-dup.txt"));
        assertThat(r.transmitted()).isEqualTo(10);
        assertThat(r.received()).isEqualTo(4);
        assertThat(r.duplicates()).isEqualTo(1);
        assertThat(r.errors()).isZero();
        assertThat(r.lossPercent()).isEqualTo(60.0);
        assertThat(r.lossFraction()).isEqualTo(0.6, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(r.time()).contains(Duration.ofMillis(144));
        assertThat(r.rtt()).contains(new Ping.Rtt(ms(0.035), ms(0.048), ms(0.054), ms(0.007)));
        assertThat(r.replies()).hasSize(5);
        assertThat(r.replies().get(0)).isEqualTo(new Ping.Reply("198.19.0.1", 1, 64, Optional.of(ms(0.035)), false));
        assertThat(r.replies().get(2)).isEqualTo(new Ping.Reply("198.19.0.1", 2, 64, Optional.of(ms(0.054)), true));
        assertThat(r.replies()).filteredOn(Ping.Reply::duplicate).hasSize(1);
        assertThat(r.replies()).extracting(Ping.Reply::sequence).containsExactly(1, 2, 2, 4, 9);
    }

    @Test
    void quietPingHasOnlyTheSummary() {
        Ping.Result r = Ping.parse(recorded("ping-quiet.txt"));
        assertThat(r.transmitted()).isEqualTo(20);
        assertThat(r.received()).isEqualTo(12);
        assertThat(r.duplicates()).isEqualTo(9);
        assertThat(r.lossPercent()).isEqualTo(40.0);
        assertThat(r.replies()).isEmpty();
        assertThat(r.rtt().orElseThrow().mdev()).isEqualTo(ms(0.013));
    }

    @Test
    void pingWithoutAnswersHasNoRttLine() {
        Ping.Result r = Ping.parse(recorded("ping-none.txt"));
        assertThat(r.transmitted()).isEqualTo(3);
        assertThat(r.received()).isZero();
        assertThat(r.lossPercent()).isEqualTo(100.0);
        assertThat(r.rtt()).isEmpty();
        assertThat(r.lossFraction()).isEqualTo(1.0);
    }

    @Test
    void pingErrorsAreCountedAndKept() {
        Ping.Result r = Ping.parse(recorded("ping-unreach.txt"));
        assertThat(r.transmitted()).isEqualTo(3);
        assertThat(r.received()).isZero();
        assertThat(r.errors()).isEqualTo(2);
        assertThat(r.errorLines()).containsExactly("From 198.18.0.2 icmp_seq=1 Destination Net Unreachable",
                "From 198.18.0.2 icmp_seq=2 Destination Net Unreachable");
        assertThat(r.replies()).isEmpty();
    }

    @Test
    void pingOverIpv6() {
        Ping.Result r = Ping.parse(recorded("ping6.txt"));
        assertThat(r.transmitted()).isEqualTo(3);
        assertThat(r.received()).isEqualTo(3);
        assertThat(r.replies()).extracting(Ping.Reply::from).containsOnly("2001:db8:100::1");
        assertThat(r.replies().get(0).rtt()).contains(ms(0.066));
        assertThat(r.rtt().orElseThrow().avg()).isEqualTo(ms(0.055));
    }

    @Test
    void fractionalLossAndMissingSummary() {
        Ping.Result r = Ping.parse("""
                --- 198.19.0.1 ping statistics ---
                3 packets transmitted, 2 received, 33.3333% packet loss, time 2003ms
                rtt min/avg/max/mdev = 0.040/0.045/0.050/0.005 ms, pipe 2
                """);
        assertThat(r.lossPercent()).isEqualTo(33.3333);
        assertThat(r.rtt().orElseThrow().max()).isEqualTo(ms(0.05));
        assertThatThrownBy(() -> Ping.parse("ping: connect: Network is unreachable\n"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fpingCountSummaries() {
        Ping.FpingResult r = Ping.parseFping(recorded("fping-c.stdout.txt"), recorded("fping-c.stderr.txt"));
        assertThat(r.targets().keySet()).containsExactly("198.19.0.1", "198.19.0.9", "198.18.0.2");
        Ping.FpingTarget lossy = r.target("198.19.0.1");
        assertThat(lossy.sent()).isEqualTo(10);
        assertThat(lossy.received()).isEqualTo(2);
        assertThat(lossy.lossPercent()).isEqualTo(80);
        assertThat(lossy.min()).contains(ms(0.050));
        assertThat(lossy.avg()).contains(ms(0.051));
        assertThat(lossy.max()).contains(ms(0.052));
        assertThat(lossy.rtts()).isEmpty();
        Ping.FpingTarget silent = r.target("198.19.0.9");
        assertThat(silent.received()).isZero();
        assertThat(silent.lossPercent()).isEqualTo(100);
        assertThat(silent.min()).isEmpty();
        assertThat(r.target("198.18.0.2").lossFraction()).isZero();
    }

    @Test
    void fpingQuietCountWithDuplicates() {
        Ping.FpingResult r = Ping.parseFping(recorded("fping-cq.stdout.txt"), recorded("fping-cq.stderr.txt"));
        Ping.FpingTarget t = r.target("198.19.0.1");
        assertThat(t.sent()).isEqualTo(10);
        assertThat(t.received()).isEqualTo(7);
        assertThat(t.lossPercent()).isEqualTo(30);
        assertThat(t.duplicates()).isEqualTo(3);
        assertThat(r.target("198.18.0.2").duplicates()).isZero();
    }

    @Test
    void fpingPerProbeRtts() {
        Ping.FpingResult r = Ping.parseFping(recorded("fping-C.stdout.txt"), recorded("fping-C.stderr.txt"));
        Ping.FpingTarget t = r.target("198.19.0.1");
        assertThat(t.rtts()).containsExactly(Optional.empty(), Optional.of(ms(0.050)), Optional.empty(),
                Optional.of(ms(0.060)), Optional.empty(), Optional.of(ms(0.041)));
        assertThat(t.sent()).isEqualTo(6);
        assertThat(t.received()).isEqualTo(3);
        assertThat(t.lossFraction()).isEqualTo(0.5);
        assertThat(r.target("198.19.0.9").received()).isZero();
        assertThat(r.target("198.18.0.2").rtts()).allMatch(Optional::isPresent).hasSize(6);

        Ping.FpingResult q = Ping.parseFping(recorded("fping-Cq.stdout.txt"), recorded("fping-Cq.stderr.txt"));
        assertThat(q.target("198.19.0.1").duplicates()).isEqualTo(2);
        assertThat(q.target("198.19.0.1").rtts()).hasSize(6).filteredOn(Optional::isEmpty).hasSize(1);
    }

    @Test
    void fpingUnreachableAndIpv6() {
        Ping.FpingResult r = Ping.parseFping(recorded("fping-unreach.stdout.txt"), recorded("fping-unreach.stderr.txt"));
        assertThat(r.targets().keySet()).containsExactly("198.18.255.1"); // the ICMP error lines are not summaries
        assertThat(r.target("198.18.255.1").received()).isZero();
        Ping.FpingResult v6 = Ping.parseFping(recorded("fping6.stdout.txt"), recorded("fping6.stderr.txt"));
        Ping.FpingTarget t = v6.target("2001:db8:100::1");
        assertThat(t.sent()).isEqualTo(3);
        assertThat(t.received()).isEqualTo(3);
        assertThat(t.avg()).contains(ms(0.052));
        assertThatThrownBy(() -> v6.target("2001:db8:100::2")).isInstanceOf(IllegalArgumentException.class);
    }
}
