package io.pathprobe.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.lab.server.DnsServer;
import io.pathprobe.lab.topology.ChainTopology;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The exact ip/nft input a lab is built and torn down with, without building one: no root, no processes. */
class LabProvisionerTest {
    private static final String NAME = "pathprobe-42-1";

    private static LabProvisioner provisioner(LabBuilder builder, boolean ipv6) {
        LabSettings settings = builder.settings();
        return new LabProvisioner(new ChainTopology(NAME, settings.hops(), settings.silent(), settings.currentNamespace()),
                settings, ipv6);
    }

    private static String lines(List<String> lines) {
        return String.join("\n", lines) + "\n";
    }

    @Test
    void creationBatchWithTheCallingNamespaceAsHost() {
        LabProvisioner p = provisioner(Lab.chain(3).silentHops(2).inCurrentNamespace().injectIpCommand(0, "addr add x"),
                true);
        assertThat(lines(p.creationBatch(false, ns -> false))).isEqualTo("""
                netns add pathprobe-42-1-r1
                netns add pathprobe-42-1-r2
                netns add pathprobe-42-1-d
                link add pathprobe0 type veth peer name uplink index 2 netns pathprobe-42-1-r1
                link add downlink index 3 netns pathprobe-42-1-r1 type veth peer name uplink index 2 netns pathprobe-42-1-r2
                link add downlink index 3 netns pathprobe-42-1-r2 type veth peer name uplink index 2 netns pathprobe-42-1-d
                link set dev pathprobe0 alias pathprobe-42-1
                link set dev pathprobe0 addrgenmode none
                addr add 198.18.0.1/30 dev pathprobe0
                link set dev pathprobe0 up
                route add 198.18.0.0/15 via 198.18.0.2 dev pathprobe0
                addr add x
                """);
    }

    @Test
    void creationBatchWithAHostNamespaceDeletesLeftoversOfADeadProcessFirst() {
        LabProvisioner p = provisioner(Lab.chain(2), false);
        // a stale host interface matters only when the host is the calling namespace
        assertThat(lines(p.creationBatch(true, Set.of("pathprobe-42-1-r1")::contains))).isEqualTo("""
                netns add pathprobe-42-1-h
                netns del pathprobe-42-1-r1
                netns add pathprobe-42-1-r1
                netns add pathprobe-42-1-d
                link add downlink index 3 netns pathprobe-42-1-h type veth peer name uplink index 2 netns pathprobe-42-1-r1
                link add downlink index 3 netns pathprobe-42-1-r1 type veth peer name uplink index 2 netns pathprobe-42-1-d
                """);
        LabProvisioner here = provisioner(Lab.chain(1).inCurrentNamespace(), false);
        assertThat(here.creationBatch(true, ns -> false)).startsWith("link del pathprobe0", "netns add pathprobe-42-1-d")
                .doesNotContain("link set dev pathprobe0 addrgenmode none");
    }

    @Test
    void aSilentRouterForwardsDropsItsTimeExceededAndRoutesBothWays() {
        LabProvisioner.NodeSetUp r2 = provisioner(Lab.chain(3).silentHops(2).icmpUnlimited("what the provisioner writes for an unlimited lab"), true).nodeSetUp(2);
        assertThat(r2.script()).isEqualTo("""
                set -e
                echo '0' > /proc/sys/net/ipv4/conf/all/rp_filter
                echo '0' > /proc/sys/net/ipv4/conf/uplink/rp_filter
                echo '0' > /proc/sys/net/ipv4/conf/downlink/rp_filter
                echo '1' > /proc/sys/net/ipv6/conf/all/disable_ipv6
                echo '1' > /proc/sys/net/ipv4/ip_forward
                echo '0' > /proc/sys/net/ipv4/icmp_ratemask
                ethtool -K uplink tx off >/dev/null
                ethtool -K downlink tx off >/dev/null
                ip -o -batch - <<'PATHPROBE_EOF'
                link set dev lo up
                addr add 198.18.0.6/30 dev uplink
                addr add 198.18.0.9/30 dev downlink
                link set dev uplink up
                link set dev downlink up
                route add 198.18.0.0/30 via 198.18.0.5
                route add 198.19.0.0/16 via 198.18.0.10
                link show
                PATHPROBE_EOF
                nft -f - <<'PATHPROBE_EOF'
                table ip pathprobe {
                    chain output {
                        type filter hook output priority filter; policy accept;
                        icmp type time-exceeded drop
                    }
                }
                PATHPROBE_EOF
                """);
        assertThat(r2.ipBatch()).startsWith("link set dev lo up\n").endsWith("\nlink show\n");
        assertThat(r2.script()).contains(r2.ipBatch());
    }

    @Test
    void theHostNamespaceGetsItsPingGroupRangeAndTheRouteIntoTheLab() {
        LabProvisioner p = provisioner(Lab.chain(3).hostPingGroupRange(100, 200), false);
        assertThat(p.pingGroupRange()).isEqualTo("100 200");
        assertThat(p.nodeSetUp(0).script()).isEqualTo("""
                set -e
                echo '0' > /proc/sys/net/ipv4/conf/all/rp_filter
                echo '0' > /proc/sys/net/ipv4/conf/downlink/rp_filter
                echo '100 200' > /proc/sys/net/ipv4/ping_group_range
                ethtool -K downlink tx off >/dev/null
                ip -o -batch - <<'PATHPROBE_EOF'
                link set dev lo up
                addr add 198.18.0.1/30 dev downlink
                link set dev downlink up
                route add 198.18.0.0/15 via 198.18.0.2
                link show
                PATHPROBE_EOF
                """);
        assertThat(provisioner(Lab.chain(3), false).pingGroupRange()).isEqualTo("0 2147483647");
    }

    @Test
    void theDestinationAnswersOnLoopbackAndRoutesEverythingBackTowardTheHost() {
        LabProvisioner p = provisioner(Lab.chain(3).icmpRateLimit(Duration.ofMillis(500)).injectIpCommand(3, "route add y"),
                false);
        assertThat(p.nodeSetUp(3).script()).isEqualTo("""
                set -e
                echo '0' > /proc/sys/net/ipv4/conf/all/rp_filter
                echo '0' > /proc/sys/net/ipv4/conf/uplink/rp_filter
                echo '500' > /proc/sys/net/ipv4/icmp_ratelimit
                ethtool -K uplink tx off >/dev/null
                ip -o -batch - <<'PATHPROBE_EOF'
                link set dev lo up
                addr add 198.19.0.1/32 dev lo
                addr add 198.18.0.10/30 dev uplink
                link set dev uplink up
                route add 198.18.0.0/29 via 198.18.0.9
                route add y
                link show
                PATHPROBE_EOF
                """);
    }

    @Test
    void everyRouterRoutesEveryLinkButItsOwnTwoAndTheDestinationNetwork() {
        LabProvisioner p = provisioner(Lab.chain(29), false);
        for (int node = 1; node < 29; node++) {
            String batch = p.nodeSetUp(node).ipBatch();
            List<String> routes = batch.lines().filter(l -> l.startsWith("route add ")).toList();
            assertThat(routes).as("router %d", node).contains("route add 198.19.0.0/16 via "
                    + Addressing.text(Addressing.up(node + 1)));
            assertThat(routes).as("router %d", node).noneMatch(l -> l.contains("default"));
            assertThat(batch).as("router %d", node).contains("addr add " + Addressing.text(Addressing.up(node)) + "/30 dev uplink");
        }
    }

    @Test
    void theCallingNamespaceHostHasNoSetUpScriptOfItsOwn() {
        LabProvisioner p = provisioner(Lab.chain(2).inCurrentNamespace(), true);
        assertThatThrownBy(() -> p.nodeSetUp(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(p.nodeSetUp(1).script()).doesNotContain("ping_group_range");
    }

    @Test
    void teardownDeletesTheHostInterfaceThenTheNamespaces() {
        assertThat(LabProvisioner.teardownBatch(List.of("pathprobe-42-1-r1", "pathprobe-42-1-d"), true)).isEqualTo("""
                link del pathprobe0
                netns del pathprobe-42-1-r1
                netns del pathprobe-42-1-d
                """);
        assertThat(LabProvisioner.teardownBatch(List.of("pathprobe-42-1-h"), false)).isEqualTo("netns del pathprobe-42-1-h\n");
        assertThat(LabProvisioner.teardownBatch(List.of(), false)).isEmpty();
    }

    private static LabProvisioner full(LabBuilder builder) {
        LabSettings settings = builder.settings();
        return new LabProvisioner(new ChainTopology(NAME, settings), settings, true);
    }

    @Test
    void theDestinationDropsAndDuplicatesWithNftables() {
        LabProvisioner p = full(Lab.chain(3).ipv6().dropToDestination(30).dropFromDestination(0.5).duplicateFromDestination());
        assertThat(p.nftRules(3)).isEqualTo("""
                table inet pathprobe_loss {
                    chain toward {
                        type filter hook prerouting priority raw; policy accept;
                        iifname "uplink" ip daddr 198.19.0.1 numgen random mod 10000 < 3000 drop
                        iifname "uplink" ip6 daddr 2001:db8:100::1 numgen random mod 10000 < 3000 drop
                    }
                    chain from {
                        type filter hook output priority raw; policy accept;
                        oifname "uplink" ip saddr 198.19.0.1 numgen random mod 10000 < 50 drop
                        oifname "uplink" ip6 saddr 2001:db8:100::1 numgen random mod 10000 < 50 drop
                    }
                }
                table ip pathprobe_dup {
                    chain output {
                        type filter hook output priority filter; policy accept;
                        oifname "uplink" ip saddr 198.19.0.1 dup to 198.18.0.9 device "uplink"
                    }
                }
                table ip6 pathprobe_dup6 {
                    chain output {
                        type filter hook output priority filter; policy accept;
                        oifname "uplink" ip6 saddr 2001:db8:100::1 dup to 2001:db8:1:2::1 device "uplink"
                    }
                }
                """);
        assertThat(p.nftRules(1)).isEmpty();
        assertThat(p.nftRules(2)).isEmpty();
        // one hop: the copy goes straight to the host
        assertThat(full(Lab.chain(1).duplicateFromDestination(25)).nftRules(1))
                .contains("oifname \"uplink\" ip saddr 198.19.0.1 numgen random mod 10000 < 2500 dup to 198.18.0.1 device \"uplink\"")
                .doesNotContain("ip6");
    }

    @Test
    void aLossyRouterDropsWhatItForwardsAwayFromTheHost() {
        LabProvisioner p = full(Lab.diamond(2, EcmpHash.LINUX_L4).dropAtRouter(3, 12.34));
        assertThat(p.nftRules(3)).isEqualTo("""
                table inet pathprobe_loss {
                    chain forward {
                        type filter hook forward priority filter; policy accept;
                        iifname "up*" numgen random mod 10000 < 1234 drop
                    }
                }
                """);
        assertThat(p.nftRules(4)).isEmpty();
        assertThat(full(Lab.chain(3).dropAtRouter(1, 100)).nftRules(1)).contains("iifname \"up*\" drop");
        assertThat(full(Lab.chain(3).dropAtRouterBothWays(2, 30)).nftRules(2)).isEqualTo("""
                table inet pathprobe_loss {
                    chain forward {
                        type filter hook forward priority filter; policy accept;
                        iifname "up*" numgen random mod 10000 < 3000 drop
                        iifname "down*" numgen random mod 10000 < 3000 drop
                    }
                }
                """);
    }

    @Test
    void theDnsServerIsToldEverythingOnItsCommandLine() {
        List<java.net.InetAddress> destination = List.of(Addressing.inet(Addressing.DESTINATION),
                Addressing.inet6(Addressing.DESTINATION6));
        List<String> args = DnsServer.arguments(destination, java.util.Map.of("destination.lab.example", destination));
        assertThat(DnsServer.configuration(java.util.Map.of("AS64500.asn.cymru.com", "64500 | ZZ | lab | 2024-01-01 | LAB-ISP, ZZ")))
                .isEqualTo("txt-record=AS64500.asn.cymru.com,\"64500 | ZZ | lab | 2024-01-01 | LAB-ISP, ZZ\"\n");
        assertThat(args).contains("--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
                "--bind-interfaces", "--port=53", "--local-ttl=300", "--log-queries", "--cache-size=0",
                "--listen-address=198.19.0.1", "--listen-address=2001:db8:100:0:0:0:0:1",
                "--host-record=destination.lab.example,198.19.0.1,2001:db8:100:0:0:0:0:1");
        assertThat(args).noneMatch(a -> a.startsWith("--dhcp") || a.startsWith("--resolv-file"));
        // it passes queries only to servers on its namespace's loopback: the authoritative one, the
        // SERVFAIL helper and a port nobody listens on
        assertThat(args.stream().filter(a -> a.startsWith("--server"))).isNotEmpty()
                .allMatch(a -> a.matches("--server=(/[^/]+)+/127\\.0\\.0\\.1#530[012]"));
        assertThat(DnsServer.authArguments()).contains("--listen-address=127.0.0.1", "--port=5300", "--auth-ttl=60")
                .noneMatch(a -> a.startsWith("--server"));
    }

    @Test
    void destinationAliasesGoOnTheDestinationsLoopback250PerSlash24() throws Exception {
        LabProvisioner p = provisioner(Lab.chain(3).destinationAliases(1000), false);
        List<String> aliases = aliasLines(p.nodeSetUp(3).script());
        assertThat(aliases).hasSize(1000).doesNotHaveDuplicates().allMatch(l -> l.endsWith("/32 dev lo"));
        assertThat(aliases.get(0)).isEqualTo("addr add 198.19.1.1/32 dev lo");
        assertThat(aliases.get(249)).isEqualTo("addr add 198.19.1.250/32 dev lo");
        assertThat(aliases.get(250)).isEqualTo("addr add 198.19.2.1/32 dev lo");
        assertThat(aliases.get(999)).isEqualTo("addr add 198.19.4.250/32 dev lo");
        for (int router = 1; router < 3; router++) {
            assertThat(p.nodeSetUp(router).ipBatch()).doesNotContain("198.19.1.1/32");
        }
        assertThat(Addressing.text(Addressing.destinationAlias(9_999))).isEqualTo("198.19.40.250");
        // the most there may be: the set-up script stays short (one argument of sh -c, at most 128 KiB), and the
        // shell writes the addresses Addressing.destinationAlias names
        LabProvisioner most = provisioner(Lab.chain(3).destinationAliases(10_000), false);
        assertThat(most.nodeSetUp(3).script().length()).isLessThan(64 * 1024);
        List<String> all = aliasLines(most.nodeSetUp(3).script());
        assertThat(all).hasSize(10_000);
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i)).isEqualTo("addr add " + Addressing.text(Addressing.destinationAlias(i)) + "/32 dev lo");
        }
        assertThatThrownBy(() -> Lab.chain(3).destinationAliases(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lab.chain(3).destinationAliases(10_001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lab.chain(3).destinationAliases(2).destinationAliases(3))
                .isInstanceOf(IllegalStateException.class);
    }

    /** The "addr add" lines the set-up script's alias loop writes, run through sh (without ip). */
    private static List<String> aliasLines(String script) throws Exception {
        String loop = script.lines().filter(l -> l.startsWith("i=0; while")).findFirst().orElseThrow();
        String echoOnly = loop.substring(0, loop.lastIndexOf(" | ip -batch -"));
        Process sh = new ProcessBuilder("sh", "-c", echoOnly).redirectErrorStream(true).start();
        String out = new String(sh.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(sh.waitFor()).as(out).isZero();
        return out.lines().toList();
    }
}
