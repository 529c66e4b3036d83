package io.pathprobe.lab;

import io.pathprobe.lab.topology.ChainTopology;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Writes what makes and unmakes a lab, as text: the {@code ip -batch} that creates its namespaces
 * and links, the shell script (sysctls, an {@code ip -batch}, an nftables rule set) that configures
 * each node inside its namespace, and the batch that tears it down. Nothing here runs a process or
 * reads the machine: what it needs to know about the machine (IPv6 present, leftovers of a dead
 * process) is passed in. {@link Lab} runs the text.
 */
public final class LabProvisioner {
    /** Fixed interface indexes, different at the two ends of a pair: see {@code Lab.waitForLinks}. */
    public static final int UPLINK_INDEX = 2;
    public static final int DOWNLINK_INDEX = 3;
    /** Ends each here-document of a node's script. */
    static final String HEREDOC_END = "PATHPROBE_EOF";
    /** The nftables rule set of a silent router. */
    static final String SILENT_RULES = """
            table ip pathprobe {
                chain output {
                    type filter hook output priority filter; policy accept;
                    icmp type time-exceeded drop
                }
            }
            """;
    /** The nftables rule set of a silent router, for IPv6. */
    static final String SILENT_RULES6 = """
            table ip6 pathprobe6 {
                chain output {
                    type filter hook output priority filter; policy accept;
                    icmpv6 type time-exceeded drop
                }
            }
            """;
    /** A masquerading NAT: everything leaving toward the destination gets the router's outside address. */
    static final String MASQUERADE_RULES = """
            table ip pathprobe_nat {
                chain postrouting {
                    type nat hook postrouting priority srcnat; policy accept;
                    oifname "downlink" masquerade
                }
            }
            """;
    /** A firewall that ends the path for UDP: forwarded UDP from the host side is refused (admin-prohibited, !X). */
    static final String REJECT_UDP_RULES = """
            table inet pathprobe_reject {
                chain forward {
                    type filter hook forward priority filter; policy accept;
                    iifname "uplink" meta nfproto ipv4 meta l4proto udp reject with icmp type admin-prohibited
                    iifname "uplink" meta nfproto ipv6 meta l4proto udp reject with icmpv6 type admin-prohibited
                }
            }
            """;

    private final ChainTopology topology;
    private final LabSettings settings;
    private final boolean ipv6;
    private final boolean congestionControlByRoute;

    /**
     * @param ipv6 whether the kernel has IPv6 (/proc/sys/net/ipv6): then the lab turns it off in
     *     its namespaces and on {@value Lab#HOST_INTERFACE}
     */
    public LabProvisioner(ChainTopology topology, LabSettings settings, boolean ipv6) {
        this(topology, settings, ipv6, false);
    }

    /**
     * @param congestionControlByRoute whether the congestion control is set on the namespaces' routes
     *     ({@link #routeCongestionControl}) instead of their {@code tcp_congestion_control}, which a
     *     namespace may only set to a control the machine allows
     */
    public LabProvisioner(ChainTopology topology, LabSettings settings, boolean ipv6,
            boolean congestionControlByRoute) {
        this.topology = topology;
        this.settings = settings;
        this.ipv6 = ipv6;
        this.congestionControlByRoute = congestionControlByRoute;
    }

    /**
     * A script that gives every unicast route of the namespace it runs in (IPv4 and IPv6, every table;
     * only those through {@code device} when not null) the TCP congestion control {@code cc}
     * ({@code ip route change PREFIX congctl CC ...}): a TCP socket takes its route's control when it
     * connects or is accepted, whatever the namespace's default, and a route's control needs no
     * {@code tcp_allowed_congestion_control} (this kernel allows {@code reno} and {@code bbr} there;
     * {@code cubic} is refused to a namespace's sysctl but not to its routes). IPv6 link-local routes
     * are left alone ({@code ip -6 route change} of {@code fe80::/64} picks any device's).
     */
    static String routeCongestionControl(String cc, @Nullable String device) {
        String dev = device == null ? "" : " dev " + device;
        return "for f in 4 6; do\n"
                + "  ip -$f -o route show table all type unicast" + dev
                + " | sed 's/\\\\\t/ /g; s/ congctl [a-z0-9_]*//; s/ linkdown//g; s/ dead//g' | grep -v '^fe80:'"
                + " | while read -r prefix rest; do\n"
                + "    ip -$f route change $prefix congctl " + cc + dev + " $rest || exit 1\n"
                + "  done || exit 1\n"
                + "done\n";
    }

    /** What a node's set-up runs in its namespace: a {@code sh -c} script, and the ip batch inside it. */
    public record NodeSetUp(String script, String ipBatch) {}

    /** The calling namespace's ping_group_range as the builder set it, as written to the sysctl. */
    String pingGroupRange() {
        return settings.pingGroupLow() + " " + settings.pingGroupHigh();
    }

    /**
     * One {@code ip -batch} for the calling namespace: every namespace, every veth pair (each end
     * created in its own namespace), and with a calling-namespace host its side of link 0.
     *
     * @param staleHostInterface whether a dead process's {@value Lab#HOST_INTERFACE} is still here (deleted first)
     * @param namespaceExists which of the lab's namespace names already exist (a dead process that
     *     had our pid made them: deleted first)
     */
    List<String> creationBatch(boolean staleHostInterface, Predicate<String> namespaceExists) {
        List<String> lines = new ArrayList<>();
        boolean current = topology.hostIsCallingNamespace();
        List<String> namespaces = topology.namespaces();
        if (current && staleHostInterface) {
            lines.add("link del " + Lab.HOST_INTERFACE);
        }
        for (String ns : namespaces) {
            if (!ns.isEmpty()) {
                if (namespaceExists.test(ns)) {
                    lines.add("netns del " + ns);
                }
                lines.add("netns add " + ns);
            }
        }
        for (String[] link : topology.links()) {
            int nearNode = Integer.parseInt(link[0]);
            String near = nearNode == 0 && current ? Lab.HOST_INTERFACE
                    : link[1] + " netns " + namespaces.get(nearNode);
            lines.add("link add " + near + " type veth peer name " + link[3] + " netns "
                    + namespaces.get(Integer.parseInt(link[2])));
        }
        if (current) {
            lines.add("link set dev " + Lab.HOST_INTERFACE + " alias " + topology.name());
            if (ipv6) {
                lines.add("link set dev " + Lab.HOST_INTERFACE + " addrgenmode none");
            }
            lines.add("addr add " + Addressing.text(topology.hostAddress()) + "/" + topology.linkLength(0) + " dev "
                    + Lab.HOST_INTERFACE);
            if (topology.ipv6()) {
                lines.add("addr add " + topology.hostAddress6() + "/64 dev " + Lab.HOST_INTERFACE + " nodad");
            }
            lines.add("link set dev " + Lab.HOST_INTERFACE + " up");
            lines.addAll(hostRoutes(" dev " + Lab.HOST_INTERFACE));
            lines.addAll(settings.injected().getOrDefault(0, List.of()));
        }
        return lines;
    }

    /** The host's routes into the lab: 198.18.0.0/15 (and a CGNAT inside network, and 2001:db8::/32) to router 1. */
    private List<String> hostRoutes(String dev) {
        List<String> lines = new ArrayList<>();
        String gw = Addressing.text(topology.firstHop());
        lines.add("route add " + Addressing.LAB_NET + " via " + gw + dev);
        for (String prefix : topology.hostExtraPrefixes()) {
            lines.add("route add " + prefix + " via " + gw + dev);
        }
        if (topology.ipv6()) {
            lines.add("route add " + Addressing.LAB_NET6 + " via " + topology.up6(1) + dev);
        }
        return lines;
    }

    /** The commands that turn checksum offload off on these interfaces (see {@link Lab}). */
    public static String offloadOff(List<String> interfaces) {
        StringBuilder sb = new StringBuilder();
        for (String iface : interfaces) {
            sb.append("ethtool -K ").append(iface).append(" tx off >/dev/null\n");
        }
        return sb.toString();
    }

    /**
     * The set-up of one node in its own namespace: sysctls, checksum offload off on its veth ends,
     * then one {@code ip -o -batch} (addresses, links up, routes, and last {@code link show}, whose
     * listing tells which links are up yet), then the nftables rules of its role (silent, ECMP,
     * NAT, UDP reject) and its bottleneck qdisc (tc tbf).
     *
     * @throws IllegalArgumentException if the node has no namespace of the lab's (a calling-namespace host)
     */
    public NodeSetUp nodeSetUp(int node) {
        if (topology.namespace(node).isEmpty()) {
            throw new IllegalArgumentException("node " + node
                    + " is the calling namespace: it is set up by the creation batch");
        }
        int hops = topology.hops();
        int ttl = topology.ttl(node);
        boolean v6 = topology.ipv6();
        List<ChainTopology.Iface> ifaces = topology.interfaces(node);
        List<String> names = topology.interfaceNames(node);

        StringBuilder script = new StringBuilder("set -e\n");
        sysctl(script, "net/ipv4/conf/all/rp_filter", "0");
        for (String iface : names) {
            sysctl(script, "net/ipv4/conf/" + iface + "/rp_filter", "0");
        }
        if (v6) {
            sysctl(script, "net/ipv6/conf/all/disable_ipv6", "0");
            sysctl(script, "net/ipv6/conf/all/accept_dad", "0");
            sysctl(script, "net/ipv6/conf/default/accept_dad", "0");
            for (String iface : names) {
                sysctl(script, "net/ipv6/conf/" + iface + "/accept_dad", "0");
            }
        } else if (ipv6) {
            sysctl(script, "net/ipv6/conf/all/disable_ipv6", "1");
        }
        String cc = settings.congestionControl();
        if (cc != null && !congestionControlByRoute) {
            script.append("echo '").append(cc)
                    .append("' > /proc/sys/net/ipv4/tcp_congestion_control || { echo \"congestion control '")
                    .append(cc)
                    .append("' refused; this namespace allows: $(cat "
                    + "/proc/sys/net/ipv4/tcp_allowed_congestion_control)\" >&2; exit 1; }\n");
        }
        if (topology.forwards(node)) {
            sysctl(script, "net/ipv4/ip_forward", "1");
            if (v6) {
                sysctl(script, "net/ipv6/conf/all/forwarding", "1");
            }
        }
        if (node > 0) {
            if (settings.icmpRateLimitMillis() >= 0) {
                sysctl(script, "net/ipv4/icmp_ratelimit", Integer.toString(settings.icmpRateLimitMillis()));
                if (v6) {
                    sysctl(script, "net/ipv6/icmp/ratelimit", Integer.toString(settings.icmpRateLimitMillis()));
                }
            }
            if (settings.icmpUnlimited() || (node == hops && settings.destinationIcmpUnlimited())) {
                sysctl(script, "net/ipv4/icmp_ratemask", "0");
                if (v6) {
                    sysctl(script, "net/ipv6/icmp/ratelimit", "0");
                    sysctl(script, "net/ipv6/icmp/ratemask", "");
                }
            }
            if (settings.perRouterLimit() != null && (node != hops || settings.destinationLimitedLikeRouters())) {
                // the vendor-like profile: nftables limits this router's errors (nftRules), the
                // kernel's per-destination bucket and namespace-wide budget are off
                sysctl(script, "net/ipv4/icmp_ratemask", "0");
                if (v6) {
                    sysctl(script, "net/ipv6/icmp/ratelimit", "0");
                    sysctl(script, "net/ipv6/icmp/ratemask", "");
                }
            }
            Lab.RateLimit limit = settings.rateLimitedHop();
            if (limit != null && limit.ttl() == ttl) {
                // this one router keeps (or gets) kernel rate limits whatever the others have
                sysctl(script, "net/ipv4/icmp_ratelimit", Long.toString(limit.interval().toMillis()));
                sysctl(script, "net/ipv4/icmp_ratemask", "6168");
                sysctl(script, "net/ipv4/icmp_msgs_per_sec", Integer.toString(limit.messagesPerSecond()));
                sysctl(script, "net/ipv4/icmp_msgs_burst", Integer.toString(limit.burst()));
                if (v6) {
                    sysctl(script, "net/ipv6/icmp/ratelimit", Long.toString(limit.interval().toMillis()));
                    sysctl(script, "net/ipv6/icmp/ratemask", "0-1,3-127");
                }
            }
            if (topology.balances(node) && settings.ecmpHash() == EcmpHash.LINUX_L4) {
                // policy 3 hashes the packet's own fields; policy 1 takes an L4 hash the skb already
                // carries, and through veth that is the sending socket's random txhash (a new TCP
                // socket per probe would then pick a new branch whatever its ports)
                sysctl(script, "net/ipv4/fib_multipath_hash_policy", "3");
                sysctl(script, "net/ipv4/fib_multipath_hash_fields", "0x37");
                if (v6) {
                    sysctl(script, "net/ipv6/fib_multipath_hash_policy", "3");
                    sysctl(script, "net/ipv6/fib_multipath_hash_fields", "0x3f");
                }
                if (node != settings.ecmpTtl() - 1) {
                    // a balancer inside a fabric: without a seed of its own it would hash every flow
                    // exactly as the branching router did (one kernel-wide random key), so its choice
                    // would follow the branching router's and cross links would never be taken
                    sysctl(script, "net/ipv4/fib_multipath_hash_seed", Long.toString(hashSeed(node)));
                }
            }
        } else {
            sysctl(script, "net/ipv4/ping_group_range", pingGroupRange());
        }
        if (settings.offloadOff()) {
            script.append(offloadOff(names));
        }

        List<String> batch = new ArrayList<>();
        batch.add("link set dev lo up");
        if (node == hops) {
            batch.add("addr add " + Addressing.text(Addressing.DESTINATION) + "/32 dev lo");
            if (v6) {
                batch.add("addr add " + Addressing.DESTINATION6 + "/128 dev lo nodad");
            }
        }
        for (String a : topology.loopback(node, false)) {
            batch.add("addr add " + a + " dev lo");
        }
        if (v6) {
            for (String a : topology.loopback(node, true)) {
                batch.add("addr add " + a + " dev lo nodad");
            }
        }
        for (ChainTopology.Iface iface : ifaces) {
            batch.add("addr add " + Addressing.text(iface.v4()) + "/" + iface.v4Length() + " dev " + iface.name());
            if (iface.v6() != null) {
                batch.add("addr add " + iface.v6() + "/64 dev " + iface.name() + " nodad");
            }
        }
        for (String iface : names) {
            batch.add("link set dev " + iface + " up");
        }
        List<String> rules6 = new ArrayList<>();
        if (node == 0) {
            batch.addAll(hostRoutes(""));
        } else {
            addRoutes(batch, topology.routes(node), "rule add");
            if (v6) {
                addRoutes(batch, topology.routes6(node), null);
                for (ChainTopology.Route r : topology.routes6(node)) {
                    if (r.table() != 0) {
                        rules6.add("rule add fwmark " + (r.table() - ChainTopology.BRANCH_TABLE)
                                + " table " + r.table());
                    }
                }
            }
        }
        batch.addAll(settings.injected().getOrDefault(node, List.of()));
        batch.add("link show");
        String batchText = String.join("\n", batch) + "\n";
        heredoc(script, "ip -o -batch -", batchText);
        if (node == hops && settings.destinationAliases() > 0) {
            // written out by the shell, not listed here: 10,000 "addr add" lines would make the set-up script
            // longer than the kernel takes for one argument (MAX_ARG_STRLEN, 128 KiB); Addressing.destinationAlias
            script.append("i=0; while [ $i -lt ").append(settings.destinationAliases())
                    .append(" ]; do echo \"addr add 198.19.$((1 + i / 250)).$((1 + i % 250))/32 dev "
                    + "lo\"; i=$((i + 1)); done")
                    .append(" | ip -batch -\n");
        }
        if (!rules6.isEmpty()) {
            heredoc(script, "ip -6 -batch -", String.join("\n", rules6) + "\n");
        }
        String rules = nftRules(node);
        if (!rules.isEmpty()) {
            heredoc(script, "nft -f -", rules);
        }
        Lab.Bottleneck bottleneck = settings.bottleneck();
        if (bottleneck != null && node != 0 && node < hops && ttl == bottleneck.hop()) {
            script.append(String.join(" ", bottleneck.tcCommand(ChainTopology.DOWNLINK))).append('\n');
            if (bottleneck.bothWays()) {
                script.append(String.join(" ", bottleneck.tcCommand(ChainTopology.UPLINK))).append('\n');
            }
        }
        return new NodeSetUp(script.toString(), batchText);
    }

    /** Route lines; an IPv4 policy-routing table also gets its {@code fwmark} rule (once per table). */
    private static void addRoutes(List<String> batch, List<ChainTopology.Route> routes, @Nullable String ruleAdd) {
        for (ChainTopology.Route r : routes) {
            if (r.table() != 0 && ruleAdd != null) {
                batch.add(ruleAdd + " fwmark " + (r.table() - ChainTopology.BRANCH_TABLE) + " table " + r.table());
            }
            String table = r.table() == 0 ? "" : " table " + r.table();
            for (String prefix : r.prefixes()) {
                if (r.gateways().size() == 1) {
                    batch.add("route add " + prefix + " via " + r.gateways().get(0) + table);
                } else {
                    StringBuilder line = new StringBuilder("route add " + prefix + table);
                    r.gateways().forEach(gw -> line.append(" nexthop via ").append(gw));
                    batch.add(line.toString());
                }
            }
        }
    }

    /**
     * The nftables rule set of a node: silent, ECMP (first 4 bytes), NAT, UDP reject, router loss, and
     * the destination's loss and duplication rules; "" for none.
     */
    public String nftRules(int node) {
        StringBuilder rules = new StringBuilder();
        int ttl = topology.ttl(node);
        if (topology.isSilent(node)) {
            rules.append(SILENT_RULES);
            if (topology.ipv6()) {
                rules.append(SILENT_RULES6);
            }
        }
        if (node != 0 && topology.balances(node) && settings.ecmpHash() != EcmpHash.LINUX_L4) {
            int n = topology.outEdges(node).size();
            // the branching router hashes with seed 0; balancers inside a fabric each with their own
            // seed, so their choices are independent of the branching router's
            String pick = settings.ecmpHash() == EcmpHash.PER_PACKET ? "numgen random mod " + n
                    : "jhash @th,0,32 mod " + n + " seed 0x"
                    + Long.toHexString(node == settings.ecmpTtl() - 1 ? 0 : hashSeed(node));
            rules.append("""
                    table inet pathprobe_ecmp {
                        chain prerouting {
                            type filter hook prerouting priority mangle; policy accept;
                            iifname "up*" meta mark set %s offset 1
                        }
                    }
                    """.formatted(pick));
        }
        if (topology.ipv6() && node != 0 && topology.inEdges(node).size() > 1) {
            // a router with several links toward the host (a diamond's merging router, a meshed
            // fabric's): IPv4 answers from its address on the link of its route back, but ICMPv6
            // errors take the address of the link the probe came in on; one address per router, as
            // in IPv4 (stateless, the ICMPv6 checksum is updated for the new pseudo-header)
            rules.append("""
                    table ip6 pathprobe_src6 {
                        chain output {
                            type filter hook output priority filter; policy accept;
                            icmpv6 type { destination-unreachable, packet-too-big, time-exceeded, parameter-problem } \
                    ip6 saddr set %s
                        }
                    }
                    """.formatted(topology.up6(node)));
        }
        Lab.PerRouterLimit perRouter = settings.perRouterLimit();
        if (perRouter != null && node != 0 && (node != topology.hops() || settings.destinationLimitedLikeRouters())) {
            rules.append(perRouterLimitRules(perRouter));
        }
        if (topology.isNat(node)) {
            rules.append(MASQUERADE_RULES);
        }
        if (node != 0 && node < topology.hops() && ttl == settings.rejectUdpHop()) {
            rules.append(REJECT_UDP_RULES);
        }
        Lab.Impairments impairments = settings.impairments();
        // a router: not the host, not the destination (a diamond's routers beyond the first have ids above hops)
        if (node != 0 && node != topology.hops() && ttl == impairments.dropRouterTtl()
                && (impairments.dropRouterBranch() == 0 || topology.branch(node) == impairments.dropRouterBranch())) {
            rules.append(routerLossRules(impairments.dropAtRouter(), impairments.dropRouterBothWays()));
        }
        if (node == topology.hops()) {
            rules.append(destinationRules(impairments));
        }
        return rules.toString();
    }

    /**
     * The vendor-like per-router ICMP error limit ({@link LabBuilder#icmpRateLimitPerRouter}): one
     * named nftables limit shared by ICMP and ICMPv6, matched "over" so what exceeds it is dropped
     * in the output hook (where the kernel's locally generated errors pass).
     */
    static String perRouterLimitRules(Lab.PerRouterLimit limit) {
        return """
                table inet pathprobe_icmp_limit {
                    limit errors { rate over %d/second burst %d packets }
                    chain output {
                        type filter hook output priority filter; policy accept;
                        icmp type { destination-unreachable, time-exceeded, parameter-problem } \
                limit name "errors" counter drop
                        icmpv6 type { destination-unreachable, time-exceeded, parameter-problem } \
                limit name "errors" counter drop
                    }
                }
                """.formatted(limit.perSecond(), limit.burst());
    }

    /** A fixed, non-zero hash seed of a fabric balancer, different for every node. */
    static long hashSeed(int node) {
        return (0x9E3779B1L * (node + 1)) & 0x7FFF_FFFFL | 1;
    }

    /**
     * {@code numgen random mod 10000 < n }: true for {@code percent} % of packets (resolution 0.01 %); "" for 100 %.
     */
    static String randomPercent(double percent) {
        long n = Math.round(percent * 100);
        return n >= 10_000 ? "" : "numgen random mod 10000 < " + n + " ";
    }

    /**
     * A router that drops a share of what it forwards away from the host: what arrives on its
     * host-side interface ({@value ChainTopology#UPLINK}, or up1..upN of a merging router); {@code bothWays}, also
     * what it forwards toward the host (arriving on {@value ChainTopology#DOWNLINK} or down1..downN).
     */
    static String routerLossRules(double percent, boolean bothWays) {
        String drop = randomPercent(percent) + "drop";
        String towardHost = bothWays ? "        iifname \"down*\" " + drop + "\n" : "";
        return """
                table inet pathprobe_loss {
                    chain forward {
                        type filter hook forward priority filter; policy accept;
                        iifname "up*" %s
                %s    }
                }
                """.formatted(drop, towardHost);
    }

    /**
     * Appends chain {@code name} at {@code hook}: what crosses {@code link} with the destination's address as its
     * {@code direction} ({@code daddr} or {@code saddr}; IPv6 too when {@code v6}) is dropped with
     * {@code random}'s chance.
     */
    private static void lossChain(StringBuilder rules, String name, String hook, String link, String direction,
            String random, boolean v6) {
        rules.append("    chain ").append(name).append(" {\n        type filter hook ").append(hook)
                .append(" priority raw; policy accept;\n");
        rules.append("        ").append(link).append(" ip ").append(direction).append(' ')
                .append(Addressing.text(Addressing.DESTINATION)).append(' ').append(random).append("drop\n");
        if (v6) {
            rules.append("        ").append(link).append(" ip6 ").append(direction).append(' ')
                    .append(Addressing.DESTINATION6).append(' ').append(random).append("drop\n");
        }
        rules.append("    }\n");
    }

    /**
     * The destination's loss and duplication ("" for none): drops in prerouting (toward it, what
     * arrives on {@value ChainTopology#UPLINK} for its address) and in output (from its address out
     * of {@value ChainTopology#UPLINK}), both at priority raw; then the duplication in output at
     * priority filter, so what the drop lets through is duplicated. The copy is sent to the next hop
     * toward the host through {@value ChainTopology#UPLINK}.
     */
    String destinationRules(Lab.Impairments impairments) {
        boolean v6 = topology.ipv6();
        String dst = Addressing.text(Addressing.DESTINATION);
        String uplink = "\"" + ChainTopology.UPLINK + "\"";
        StringBuilder rules = new StringBuilder();
        if (impairments.dropToDestination() > 0 || impairments.dropFromDestination() > 0) {
            rules.append("table inet pathprobe_loss {\n");
            if (impairments.dropToDestination() > 0) {
                lossChain(rules, "toward", "prerouting", "iifname " + uplink, "daddr",
                        randomPercent(impairments.dropToDestination()), v6);
            }
            if (impairments.dropFromDestination() > 0) {
                lossChain(rules, "from", "output", "oifname " + uplink, "saddr",
                        randomPercent(impairments.dropFromDestination()), v6);
            }
            rules.append("}\n");
        }
        if (impairments.duplicateFromDestination() > 0) {
            int gateway = topology.hops() - 1; // the node before the destination; the host in a one-hop lab
            String r = randomPercent(impairments.duplicateFromDestination());
            // dup has no inet form: one table per family
            rules.append(duplicateTable("ip", "pathprobe_dup", "ip saddr " + dst, r,
                    Addressing.text(topology.down(gateway))));
            if (v6) {
                rules.append(duplicateTable("ip6", "pathprobe_dup6", "ip6 saddr " + Addressing.DESTINATION6, r,
                        topology.down6(gateway)));
            }
        }
        return rules.toString();
    }

    private static String duplicateTable(String family, String table, String match, String random, String gateway) {
        return """
                table %s %s {
                    chain output {
                        type filter hook output priority filter; policy accept;
                        oifname "%s" %s %sdup to %s device "%s"
                    }
                }
                """.formatted(family, table, ChainTopology.UPLINK, match, random, gateway, ChainTopology.UPLINK);
    }

    /**
     * The NAT router's rules. A {@link NatKind#QUOTE_PRESERVING} NAT has none here: it is a
     * user-space element that {@code Lab.attachNat} starts.
     */
    static String natRules(@Nullable NatKind kind) {
        return kind == NatKind.MASQUERADE ? MASQUERADE_RULES : "";
    }

    /**
     * The {@code ip -force -batch} that removes a lab: the calling namespace's
     * {@value Lab#HOST_INTERFACE} (when {@code hostInterface}; its route goes with it), then the
     * namespaces (their veth ends go with them). Empty when there is nothing to remove.
     */
    static String teardownBatch(List<String> namespaces, boolean hostInterface) {
        StringBuilder batch = new StringBuilder();
        if (hostInterface) {
            batch.append("link del ").append(Lab.HOST_INTERFACE).append('\n');
        }
        namespaces.forEach(ns -> batch.append("netns del ").append(ns).append('\n'));
        return batch.toString();
    }

    private static void sysctl(StringBuilder script, String path, String value) {
        script.append("echo '").append(value).append("' > /proc/sys/").append(path).append('\n');
    }

    private static void heredoc(StringBuilder script, String command, String input) {
        script.append(command).append(" <<'" + HEREDOC_END + "'\n").append(input).append(HEREDOC_END + "\n");
    }
}
