package io.pathprobe.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Writes what makes and unmakes a lab, as text: the {@code ip -batch} that creates its namespaces
 * and links, the shell script (sysctls, an {@code ip -batch}, an nftables rule set) that configures
 * each node inside its namespace, and the batch that tears it down. Nothing here runs a process or
 * reads the machine: what it needs to know about the machine (IPv6 present, leftovers of a dead
 * process) is passed in. {@link Lab} runs the text.
 */
final class LabProvisioner {
    /** Fixed interface indexes, different at the two ends of a pair: see {@code Lab.waitForLinks}. */
    static final int UPLINK_INDEX = 2;
    static final int DOWNLINK_INDEX = 3;
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

    private final ChainTopology topology;
    private final Lab.Settings settings;
    private final boolean ipv6;

    /**
     * @param ipv6 whether the kernel has IPv6 (/proc/sys/net/ipv6): then the lab turns it off in
     *     its namespaces and on {@value Lab#HOST_INTERFACE}
     */
    LabProvisioner(ChainTopology topology, Lab.Settings settings, boolean ipv6) {
        this.topology = topology;
        this.settings = settings;
        this.ipv6 = ipv6;
    }

    /** What a node's set-up runs in its namespace: a {@code sh -c} script, and the ip batch inside it. */
    record NodeSetUp(String script, String ipBatch) {}

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
        int hops = topology.hops();
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
        for (int link = 0; link < hops; link++) {
            String near = link == 0 && current ? Lab.HOST_INTERFACE
                    : ChainTopology.DOWNLINK + " index " + DOWNLINK_INDEX + " netns " + namespaces.get(link);
            lines.add("link add " + near + " type veth peer name " + ChainTopology.UPLINK + " index " + UPLINK_INDEX
                    + " netns " + namespaces.get(link + 1));
        }
        if (current) {
            lines.add("link set dev " + Lab.HOST_INTERFACE + " alias " + topology.name());
            if (ipv6) {
                lines.add("link set dev " + Lab.HOST_INTERFACE + " addrgenmode none");
            }
            lines.add("addr add " + Addressing.text(Addressing.host()) + "/30 dev " + Lab.HOST_INTERFACE);
            lines.add("link set dev " + Lab.HOST_INTERFACE + " up");
            lines.add("route add " + Addressing.LAB_NET + " via " + Addressing.text(Addressing.up(1)) + " dev "
                    + Lab.HOST_INTERFACE);
            lines.addAll(settings.injected().getOrDefault(0, List.of()));
        }
        return lines;
    }

    /**
     * The set-up of one node in its own namespace: sysctls, then one {@code ip -o -batch} (addresses,
     * links up, routes, and last {@code link show}, whose listing tells which links are up yet), then
     * for a silent router the nftables rule that drops its Time Exceeded.
     *
     * @throws IllegalArgumentException if the node has no namespace of the lab's (a calling-namespace host)
     */
    NodeSetUp nodeSetUp(int node) {
        if (topology.namespace(node).isEmpty()) {
            throw new IllegalArgumentException("node " + node + " is the calling namespace: it is set up by the creation batch");
        }
        int hops = topology.hops();
        List<String> ifaces = topology.interfaces(node);

        StringBuilder script = new StringBuilder("set -e\n");
        sysctl(script, "net/ipv4/conf/all/rp_filter", "0");
        for (String iface : ifaces) {
            sysctl(script, "net/ipv4/conf/" + iface + "/rp_filter", "0");
        }
        if (ipv6) {
            sysctl(script, "net/ipv6/conf/all/disable_ipv6", "1");
        }
        if (topology.forwards(node)) {
            sysctl(script, "net/ipv4/ip_forward", "1");
        }
        if (node > 0) {
            if (settings.icmpRateLimitMillis() >= 0) {
                sysctl(script, "net/ipv4/icmp_ratelimit", Integer.toString(settings.icmpRateLimitMillis()));
            }
            if (settings.icmpUnlimited()) {
                sysctl(script, "net/ipv4/icmp_ratemask", "0");
            }
        } else {
            sysctl(script, "net/ipv4/ping_group_range", pingGroupRange());
        }

        List<String> batch = new ArrayList<>();
        batch.add("link set dev lo up");
        if (node == hops) {
            batch.add("addr add " + Addressing.text(Addressing.DESTINATION) + "/32 dev lo");
        }
        if (node > 0) {
            batch.add("addr add " + Addressing.text(Addressing.up(node)) + "/30 dev " + ChainTopology.UPLINK);
        }
        if (node < hops) {
            batch.add("addr add " + Addressing.text(Addressing.down(node)) + "/30 dev " + ChainTopology.DOWNLINK);
        }
        for (String iface : ifaces) {
            batch.add("link set dev " + iface + " up");
        }
        if (node == 0) {
            batch.add("route add " + Addressing.LAB_NET + " via " + Addressing.text(Addressing.up(1)));
        } else {
            String towardHost = Addressing.text(Addressing.down(node - 1));
            for (String prefix : Addressing.hostSide(node)) {
                batch.add("route add " + prefix + " via " + towardHost);
            }
            if (node < hops) {
                String towardDestination = Addressing.text(Addressing.up(node + 1));
                for (String prefix : Addressing.destinationSide(node, hops)) {
                    batch.add("route add " + prefix + " via " + towardDestination);
                }
            }
        }
        batch.addAll(settings.injected().getOrDefault(node, List.of()));
        batch.add("link show");
        String batchText = String.join("\n", batch) + "\n";
        heredoc(script, "ip -o -batch -", batchText);
        if (topology.isSilent(node)) {
            heredoc(script, "nft -f -", SILENT_RULES);
        }
        return new NodeSetUp(script.toString(), batchText);
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
