package io.pathprobe.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.lab.runner.Ping;
import io.pathprobe.lab.runner.Traceroute;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The vendor-like ICMP profile ({@link LabBuilder#icmpRateLimitPerRouter}): counted from the host,
 * a router answers a burst of its bucket's size, then its steady rate, and the kernel's
 * per-destination bucket (6) plays no part. The bounds are counts derived from the time ping itself
 * reports, with room for a busy machine; no duration is compared with a bar.
 */
@LabTest
class LabRateLimitTest {
    private static final int PER_SECOND = 5;
    private static final int BURST = 12;

    private static String sysctl(Lab lab, int ttl, String name) {
        return Processes.output(lab.command(ttl, List.of("cat", "/proc/sys/net/ipv4/" + name))).strip();
    }

    /** Time Exceeded answers to {@code count} echo requests with TTL {@code ttl}, {@code interval} apart. */
    private static Ping.Result timeExceeded(Lab lab, int ttl, int count, String interval) {
        return Ping.ping(lab, List.of("-t", Integer.toString(ttl), "-c", Integer.toString(count), "-i", interval, "-W", "1"),
                lab.destination());
    }

    private static int sequence(String errorLine) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("icmp_seq=(\\d+)").matcher(errorLine);
        if (!m.find()) {
            throw new AssertionError("no icmp_seq in " + errorLine);
        }
        return Integer.parseInt(m.group(1));
    }

    private static double seconds(Ping.Result r) {
        return r.time().orElseThrow(() -> new AssertionError("no time in: " + r.output())).toMillis() / 1000.0;
    }

    @Test
    void aRouterAnswersItsBurstThenItsSteadyRateWhoeverAsks() {
        try (Lab lab = Lab.chain(3).icmpRateLimitPerRouter(PER_SECOND, BURST).build()) {
            assertThat(sysctl(lab, 1, "icmp_ratemask")).isEqualTo("0");
            assertThat(sysctl(lab, 2, "icmp_ratemask")).isEqualTo("0");
            assertThat(sysctl(lab, 3, "icmp_ratemask")).as("the destination is a host: kernel defaults").isEqualTo("6168");

            // a burst far above the bucket: the bucket's worth, plus what refills while it is sent
            Ping.Result burst = timeExceeded(lab, 1, 40, "0.002");
            double t = seconds(burst);
            assertThat(burst.errors()).as(burst.output())
                    .isGreaterThan(6) // more than the kernel's per-destination burst: that bucket is off
                    .isGreaterThanOrEqualTo(BURST)
                    .isLessThanOrEqualTo(BURST + (int) Math.ceil(PER_SECOND * t) + 1);
            assertThat(burst.errorLines()).allMatch(l -> l.contains("Time to live exceeded"));

            // then at 20/s, four times the limit: once what refilled since is spent (the first
            // half), the steady rate; counted over the second half, whose length ping's own time gives
            Ping.Result steady = timeExceeded(lab, 1, 40, "0.05");
            double secondHalf = seconds(steady) / 39 * 20;
            long late = steady.errorLines().stream().filter(l -> sequence(l) > 20).count();
            assertThat(late).as("%.2f s: %s", secondHalf, steady.output())
                    .isBetween((long) Math.floor(PER_SECOND * secondHalf) - 2, (long) Math.ceil(PER_SECOND * secondHalf) + 2);

            // per router: the next router's bucket is its own, full while router 1's is empty
            Ping.Result next = timeExceeded(lab, 2, 40, "0.002");
            assertThat(next.errors()).as(next.output()).isGreaterThanOrEqualTo(BURST);
            assertThat(next.errorLines()).allMatch(l -> l.startsWith("From " + lab.expectedPath().get(1).orElseThrow().getHostAddress()));
        }
    }

    @Test
    void echoRepliesAreNotLimited() {
        try (Lab lab = Lab.chain(3).icmpRateLimitPerRouter(PER_SECOND, BURST).build()) {
            Ping.Result r = Ping.ping(lab, List.of("-c", "60", "-i", "0.002", "-W", "1"), lab.destination());
            assertThat(r.received()).as(r.output()).isEqualTo(60);
        }
    }

    /**
     * {@link LabBuilder#destinationIcmpUnlimited}: 10 UDP probes at once to the destination's TTL all get their
     * Port Unreachable, while the same burst at router 1's TTL gets at most the kernel's burst and what refills.
     */
    @Test
    void anUnlimitedDestinationAnswersEveryUdpProbeWhileTheRoutersKeepTheirLimits() {
        try (Lab lab = Lab.chain(3).destinationIcmpUnlimited("the lab feature under test").build()) {
            assertThat(sysctl(lab, 1, "icmp_ratemask")).as("a router keeps the kernel's limits").isEqualTo("6168");
            assertThat(sysctl(lab, 3, "icmp_ratemask")).as("the destination's are off").isEqualTo("0");
            assertThat(lab.toString()).contains("the destination's ICMP unlimited (the lab feature under test)");
            List<String> burst = List.of("-n", "-U", "-q", "10", "-N", "10", "-w", "2");
            Traceroute.Result atDestination = Traceroute.trace(lab, concat(burst, "-f", "3", "-m", "3"),
                    lab.destination());
            assertThat(atDestination.hop(3).orElseThrow().probes()).as(atDestination.output())
                    .hasSize(10).allMatch(Traceroute.Probe::answered);
            Traceroute.Result atRouter = Traceroute.trace(lab, concat(burst, "-f", "1", "-m", "1"), lab.destination());
            assertThat(atRouter.hop(1).orElseThrow().probes().stream().filter(Traceroute.Probe::answered).count())
                    .as(atRouter.output()).isLessThan(10);
        }
        assertThatThrownBy(() -> Lab.chain(3).destinationIcmpUnlimited(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reason");
        assertThatThrownBy(() -> Lab.chain(3).icmpRateLimitPerRouter(5, 10).destinationLimitedLikeTheRouters()
                .destinationIcmpUnlimited("the contradiction under test")).isInstanceOf(IllegalStateException.class);
    }

    private static List<String> concat(List<String> a, String... b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(List.of(b));
        return all;
    }

    @Test
    void unlimitedIcmpNamesWhy() {
        assertThatThrownBy(() -> Lab.chain(3).icmpUnlimited(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reason");
        assertThatThrownBy(() -> Lab.chain(3).icmpUnlimited("a").icmpUnlimited("b")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theProfileContradictsUnlimitedIcmp() {
        assertThatThrownBy(() -> Lab.chain(3).icmpUnlimited("the contradiction under test").icmpRateLimitPerRouter(5, 10))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Lab.chain(3).icmpRateLimitPerRouter(5, 10).icmpUnlimited("the contradiction under test"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Lab.chain(3).icmpRateLimitPerRouter(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThat(LabProvisioner.perRouterLimitRules(new Lab.PerRouterLimit(5, 10)))
                .contains("rate over 5/second burst 10 packets");
    }
}
