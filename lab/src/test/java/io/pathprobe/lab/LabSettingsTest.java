package io.pathprobe.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.lab.runner.Traceroute;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The builder's settings land where they should, read back from the kernel. */
@LabTest
class LabSettingsTest {
    private static final Path PING_GROUP_RANGE = Path.of("/proc/sys/net/ipv4/ping_group_range");

    private static String sysctl(Lab lab, int ttl, String name) {
        return Processes.output(lab.command(ttl, List.of("cat", "/proc/sys/net/ipv4/" + name))).strip();
    }

    @Test
    void icmpRateLimitIsSetInEveryRouterAndTheDestination() {
        try (Lab lab = Lab.chain(4).icmpRateLimit(Duration.ofMillis(500)).build()) {
            for (int ttl = 1; ttl <= 4; ttl++) {
                assertThat(sysctl(lab, ttl, "icmp_ratelimit")).as("TTL %d", ttl).isEqualTo("500");
                assertThat(sysctl(lab, ttl, "icmp_ratemask")).as("TTL %d", ttl).isEqualTo("6168"); // kernel default
            }
            assertThat(sysctl(lab, 1, "ip_forward")).isEqualTo("1");
            assertThat(sysctl(lab, 3, "ip_forward")).isEqualTo("1");
            assertThat(sysctl(lab, 4, "ip_forward")).isEqualTo("0");
            assertThat(sysctl(lab, 2, "conf/all/rp_filter")).isEqualTo("0");
        }
    }

    @Test
    void kernelDefaultsUnlessToldAndUnlimitedIcmp() {
        try (Lab lab = Lab.chain(2).build(); Lab unlimited = Lab.chain(2).icmpUnlimited("the unlimited lab under test").build()) {
            assertThat(sysctl(lab, 1, "icmp_ratelimit")).isEqualTo("1000");
            assertThat(sysctl(unlimited, 1, "icmp_ratemask")).isEqualTo("0");
            assertThat(sysctl(unlimited, 2, "icmp_ratemask")).isEqualTo("0");
        }
    }

    @Test
    void theKernelRateLimitBlanksRoutersFromTheThirdTraceOnUnlessIcmpIsUnlimited() {
        try (Lab limited = Lab.chain(4).build(); Lab unlimited = Lab.chain(4).icmpUnlimited("the unlimited lab under test").build()) {
            for (int i = 0; i < 2; i++) { // 6 Time Exceeded per router: the kernel's burst
                assertThat(Traceroute.run(limited, List.of("-I"), limited.destination())).isEqualTo(limited.expectedPath());
            }
            Traceroute.Result third = Traceroute.trace(limited, List.of("-I"), limited.destination());
            assertThat(third.hops().subList(0, 3)).anySatisfy(hop ->
                    assertThat(hop.probes()).contains(Traceroute.Probe.LOST));

            for (int i = 0; i < 8; i++) {
                Traceroute.Result r = Traceroute.trace(unlimited, List.of("-I"), unlimited.destination());
                assertThat(r.path()).isEqualTo(unlimited.expectedPath());
                assertThat(r.hops()).allSatisfy(hop -> assertThat(hop.probes()).allMatch(Traceroute.Probe::answered));
            }
        }
    }

    @Test
    void hostPingGroupRangeInTheLabsHostNamespace() {
        try (Lab everyone = Lab.chain(1).build(); Lab some = Lab.chain(1).hostPingGroupRange(100, 200).build()) {
            assertThat(sysctl(everyone, 0, "ping_group_range")).isEqualTo("0\t2147483647");
            assertThat(sysctl(some, 0, "ping_group_range")).isEqualTo("100\t200");
        }
    }

    @Test
    void hostPingGroupRangeInThisNamespaceIsRestoredOnClose() throws Exception {
        String before = LabHost.readSysctl(PING_GROUP_RANGE);
        try (Lab lab = Lab.chain(2).hostPingGroupRange(1, 0).inCurrentNamespace().build()) {
            assertThat(LabHost.readSysctl(PING_GROUP_RANGE)).isEqualTo("1\t0");
            assertThat(sysctl(lab, 0, "ping_group_range")).isEqualTo("1\t0");
        }
        assertThat(LabHost.readSysctl(PING_GROUP_RANGE)).isEqualTo(before);
        try (Lab lab = Lab.chain(2).inCurrentNamespace().build()) {
            assertThat(LabHost.readSysctl(PING_GROUP_RANGE)).isEqualTo("0\t2147483647");
        }
        assertThat(LabHost.readSysctl(PING_GROUP_RANGE)).isEqualTo(before);
    }

    @Test
    void commandRunsInTheLabsOwnHostNamespace() {
        try (Lab lab = Lab.chain(3).build()) {
            assertThat(lab.hostNamespace()).isEqualTo(lab.name() + "-h").isEqualTo(lab.namespace(0));
            assertThat(lab.hostInterface()).isEqualTo("downlink");
            String routes = Processes.output(lab.command(List.of("ip", "-4", "route")));
            assertThat(routes).contains("198.18.0.0/15 via 198.18.0.2 dev downlink").doesNotContain("default");
            String netns = Processes.output(lab.command(List.of("ip", "netns", "identify")));
            assertThat(netns.strip()).isEqualTo(lab.hostNamespace());
            // this JVM's namespace has no route into the lab
            assertThat(Processes.output("ip", "-4", "route")).doesNotContain("198.18.0.0/15");
            assertThat(Traceroute.run(lab, List.of("-I"), lab.destination())).isEqualTo(lab.expectedPath());
        }
    }

    @Test
    void noRouteLeadsAnywhereButThroughTheChain() {
        try (Lab lab = Lab.chain(4).build()) {
            for (int ttl = 0; ttl <= 4; ttl++) {
                String routes = Processes.output(lab.command(ttl, List.of("ip", "-4", "route")));
                assertThat(routes).as("TTL %d", ttl).doesNotContain("default");
                for (String line : routes.strip().split("\n")) {
                    assertThat(line).as("TTL %d", ttl).containsAnyOf("198.18.", "198.19.");
                }
            }
            String ipv6 = Processes.output(lab.command(2, List.of("ip", "-6", "addr")));
            assertThat(ipv6).doesNotContain("inet6");
        }
    }
}
