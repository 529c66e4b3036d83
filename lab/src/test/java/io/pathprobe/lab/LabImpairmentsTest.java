package io.pathprobe.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.lab.runner.Ping;
import io.pathprobe.lab.runner.Traceroute;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Random loss and duplication ({@link LabBuilder#dropToDestination}, {@link LabBuilder#dropFromDestination},
 * {@link LabBuilder#dropAtRouter}, {@link LabBuilder#duplicateFromDestination}), measured with fping and
 * iputils ping from the lab's host.
 *
 * <p>The loss bands: n probes, each lost independently with probability p, lose a binomial
 * number of them, mean np and standard deviation σ = √(np(1−p)); the tests accept np ± 4σ (for
 * n = 200, p = 0.3: 60 ± 25.9, so 35..85 lost, 17.5 %..42.5 %), which a correct lab misses with
 * probability about 6·10⁻⁵ per run.
 */
@LabTest
class LabImpairmentsTest {
    private static final int PROBES = 200;

    /** Asserts that {@code lost} (or duplicated) of {@code n} is within np ± 4σ. */
    private static void assertBinomial(String what, int lost, int n, double p) {
        double mean = n * p;
        double sigma = Math.sqrt(n * p * (1 - p));
        System.out.printf(Locale.ROOT, "%s: %d of %d (%.1f %%), band %.1f..%.1f%n", what, lost, n, 100.0 * lost / n,
                mean - 4 * sigma, mean + 4 * sigma);
        assertThat((double) lost).as("%s: %d of %d, expected %.1f ± 4·%.2f", what, lost, n, mean, sigma)
                .isBetween(mean - 4 * sigma, mean + 4 * sigma);
    }

    /** A counter of the destination's /proc/net/snmp, e.g. ("Icmp", "InEchos"). */
    private static long snmp(Lab lab, int ttl, String group, String counter) {
        List<String> lines = Processes.output(lab.command(ttl, List.of("cat", "/proc/net/snmp"))).lines()
                .filter(l -> l.startsWith(group + ":")).toList();
        List<String> names = Arrays.asList(lines.get(0).split("\\s+"));
        String[] values = lines.get(1).split("\\s+");
        return Long.parseLong(values[names.indexOf(counter)]);
    }

    private static List<String> fpingCount(int count) {
        return List.of("-q", "-c", Integer.toString(count), "-p", "10");
    }

    @Test
    void thirtyPercentTowardTheDestinationIsLostInTheBinomialBandAndNothingWithout() {
        try (Lab lossy = Lab.chain(3).dropToDestination(30).build(); Lab clean = Lab.chain(3).build()) {
            assertThat(lossy.impairments().dropToDestination()).isEqualTo(30.0);
            Ping.FpingTarget f = Ping.fping(lossy, fpingCount(PROBES), lossy.destination()).target(lossy.destination());
            assertThat(f.sent()).isEqualTo(PROBES);
            assertBinomial("fping -c 200 -p 10, 30 % toward the destination", f.sent() - f.received(), PROBES, 0.3);
            // the requests were dropped on the way in: the destination saw exactly the answered ones
            assertThat(snmp(lossy, lossy.hops(), "Icmp", "InEchos")).isEqualTo(f.received());

            Ping.Result p = Ping.ping(lossy, List.of("-q", "-c", Integer.toString(PROBES), "-i", "0.01"), lossy.destination());
            System.out.println(p.output().strip());
            assertBinomial("ping -c 200 -i 0.01, 30 % toward the destination", p.transmitted() - p.received(), PROBES, 0.3);

            // only what is addressed to the destination: router 2 (its address on link 1) loses nothing
            InetAddress router2 = lossy.expectedResponder(2).orElseThrow();
            assertThat(Ping.fping(lossy, fpingCount(PROBES), router2).target(router2).received()).isEqualTo(PROBES);

            Ping.FpingTarget none = Ping.fping(clean, fpingCount(PROBES), clean.destination()).target(clean.destination());
            System.out.println("without loss: " + none);
            assertThat(none.received()).isEqualTo(PROBES);
            assertThat(none.lossPercent()).isZero();
        }
    }

    @Test
    void thirtyPercentFromTheDestinationLosesAnswersNotRequests() {
        try (Lab lab = Lab.chain(3).dropFromDestination(30).ipv6().build()) {
            Ping.FpingTarget f = Ping.fping(lab, fpingCount(PROBES), lab.destination()).target(lab.destination());
            assertBinomial("fping, 30 % from the destination", f.sent() - f.received(), PROBES, 0.3);
            assertThat(snmp(lab, lab.hops(), "Icmp", "InEchos")).as("every request arrived").isEqualTo(PROBES);
            Ping.FpingTarget f6 = Ping.fping(lab, fpingCount(PROBES), lab.destination6()).target(lab.destination6());
            assertBinomial("fping -6, 30 % from the destination", f6.sent() - f6.received(), PROBES, 0.3);
        }
    }

    @Test
    void lossAtARouterHitsWhatItForwardsNotWhatItAnswers() {
        try (Lab lab = Lab.chain(4).dropAtRouter(2, 30).icmpUnlimited("the injected loss alone is counted").build()) {
            assertLossBeyondRouter2(lab, "a 30 % router 2", 0.3);
        }
    }

    /**
     * A lossy link behind router 2, both ways: what it forwards away from the host and every answer from beyond it cross
     * 30 % each, so a probe to router 3 or the destination is answered 49 % of the time (0.7 squared); router 2's own
     * answers are never dropped.
     */
    @Test
    void lossBothWaysAtARouterHitsWhatGoesBeyondItAndWhatComesBack() {
        try (Lab lab = Lab.chain(4).dropAtRouterBothWays(2, 30).icmpUnlimited("the injected loss alone is counted")
                .build()) {
            assertThat(lab.impairments().dropRouterBothWays()).isTrue();
            assertThat(lab.impairments().toString()).contains("30.0 % dropped at router 2 both ways");
            assertLossBeyondRouter2(lab, "a link losing 30 % each way", 0.51);
        }
    }

    /**
     * fping to routers 1 to 3 and the destination of a 4-hop chain: routers 1 and 2 answer every probe (router 2's own
     * address is not forwarded), router 3 and the destination lose {@code rate} of them (behind {@code behind}); a
     * probe expiring at router 2 is answered, never dropped.
     */
    private static void assertLossBeyondRouter2(Lab lab, String behind, double rate) {
        InetAddress r1 = lab.expectedResponder(1).orElseThrow();
        InetAddress r2 = lab.expectedResponder(2).orElseThrow();
        InetAddress r3 = lab.expectedResponder(3).orElseThrow();
        Ping.FpingResult r = Ping.fping(lab, List.of("-q", "-c", Integer.toString(PROBES), "-p", "10", "-i", "1"),
                r1, r2, r3, lab.destination());
        assertThat(r.target(r1).received()).isEqualTo(PROBES);
        assertThat(r.target(r2).received()).as("router 2's own address: nothing forwarded").isEqualTo(PROBES);
        assertBinomial("router 3 behind " + behind, PROBES - r.target(r3).received(), PROBES, rate);
        assertBinomial("destination behind " + behind, PROBES - r.target(lab.destination()).received(), PROBES, rate);
        Traceroute.Result t = Traceroute.trace(lab, List.of("-I", "-f", "2", "-m", "2", "-q", "10"), lab.destination());
        assertThat(t.hop(2).orElseThrow().probes()).as(t.output()).allMatch(Traceroute.Probe::answered);
    }

    @Test
    void everyAnswerOfTheDestinationArrivesTwice() {
        try (Lab lab = Lab.chain(3).duplicateFromDestination().ipv6().build()) {
            // fping waits for its timeout after the last probe: every duplicate is seen
            Ping.FpingTarget f = Ping.fping(lab, List.of("-q", "-c", "5", "-p", "20"), lab.destination())
                    .target(lab.destination());
            System.out.println("fping -c 5: " + f);
            assertThat(f.received()).isEqualTo(5);
            assertThat(f.duplicates()).isEqualTo(5);

            // iputils ping with a deadline and no count waits too
            Ping.Result deadline = Ping.ping(lab, List.of("-i", "0.2", "-w", "1"), lab.destination());
            System.out.println(deadline.output().strip());
            assertThat(deadline.received()).isGreaterThanOrEqualTo(4);
            assertThat(deadline.duplicates()).isEqualTo(deadline.received());
            assertThat(deadline.replies()).filteredOn(Ping.Reply::duplicate).hasSize(deadline.received());

            // with -c 5 it stops at the 5th reply, before reading that reply's duplicate
            Ping.Result count = Ping.ping(lab, List.of("-c", "5", "-i", "0.2"), lab.destination());
            System.out.println(count.output().strip());
            assertThat(count.received()).isEqualTo(5);
            assertThat(count.duplicates()).isBetween(4, 5);

            Ping.Result v6 = Ping.ping(lab, List.of("-i", "0.2", "-w", "1"), lab.destination6());
            System.out.println(v6.output().strip());
            assertThat(v6.received()).isGreaterThanOrEqualTo(4);
            assertThat(v6.duplicates()).isEqualTo(v6.received());
        }
    }

    @Test
    void partialDuplicationAndDropBeforeDuplication() {
        try (Lab lab = Lab.chain(2).duplicateFromDestination(50).dropFromDestination(100).build();
                Lab half = Lab.chain(2).duplicateFromDestination(50).build()) {
            // what the drop takes is not duplicated
            Ping.FpingTarget none = Ping.fping(lab, List.of("-q", "-c", "20", "-p", "10"), lab.destination())
                    .target(lab.destination());
            assertThat(none.received()).isZero();
            assertThat(none.duplicates()).isZero();
            Ping.FpingTarget f = Ping.fping(half, fpingCount(PROBES), half.destination()).target(half.destination());
            assertThat(f.received()).isEqualTo(PROBES);
            assertBinomial("duplicated at 50 %", f.duplicates(), PROBES, 0.5);
        }
    }

    @Test
    void impairmentsAreValidated() {
        assertThatThrownBy(() -> Lab.chain(3).dropToDestination(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lab.chain(3).dropFromDestination(100.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lab.chain(3).duplicateFromDestination(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lab.chain(3).dropAtRouter(3, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lab.chain(3).dropToDestination(5).dropToDestination(6))
                .isInstanceOf(IllegalStateException.class);
        assertThat(Lab.chain(3).settings().impairments()).isEqualTo(Lab.Impairments.NONE);
        assertThat(Lab.chain(3).dropAtRouter(2, 12.5).settings().impairments())
                .isEqualTo(new Lab.Impairments(0, 0, 2, 12.5, 0));
        assertThat(Lab.chain(3).dropAtRouterBothWays(2, 12.5).settings().impairments())
                .isEqualTo(new Lab.Impairments(0, 0, 2, 12.5, 0, 0, true));
        assertThatThrownBy(() -> Lab.chain(3).dropAtRouter(2, 5).dropAtRouterBothWays(2, 5))
                .isInstanceOf(IllegalStateException.class);
    }
}
