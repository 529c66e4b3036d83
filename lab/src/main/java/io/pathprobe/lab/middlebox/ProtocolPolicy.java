package io.pathprobe.lab.middlebox;

import io.pathprobe.lab.Addressing;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabBuilder;
import io.pathprobe.lab.LabException;
import io.pathprobe.lab.LabProvisioner;
import io.pathprobe.lab.namespace.Exec;
import io.pathprobe.lab.namespace.Namespaces;
import io.pathprobe.lab.topology.ChainTopology;
import java.time.Duration;
import java.util.List;

/**
 * Paths that depend on the protocol, in a built chain lab ({@link LabBuilder#protocolBranch},
 * {@link LabBuilder#dropTcpPortAfter}, {@link LabBuilder#rewriteDscpAt(int, int, int)}): TCP to one port
 * policy-routed over a router of its own between two hops, silently dropped by a firewall, or re-marked. What
 * {@code PathTracer.compare} is proved against.
 *
 * @param kind what is changed
 * @param ttl the branch router's TTL, or the firewall's, or the re-marking router's
 * @param port the TCP destination port concerned
 * @param dscp the DSCP the re-marking router sets; 0 for the other kinds
 */
public record ProtocolPolicy(Kind kind, int ttl, int port, int dscp) {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** The branch router's routing table on the router before it. */
    static final int TABLE = 202;
    /** The branch's links: router ttl-1 .1, branch router .2 (in); branch router .5, router ttl+1 .6 (out). */
    static final String BEFORE = "198.18.200.1";
    static final String BRANCH_IN = "198.18.200.2";
    static final String BRANCH_OUT = "198.18.200.5";
    static final String AFTER = "198.18.200.6";

    public enum Kind {
        /**
         * TCP to {@code port} takes a router of its own at {@code ttl}: the router at {@code ttl - 1} routes it (ip
         * rule: arriving on its uplink, ipproto tcp, dport) to the branch router, which hands it to the router at
         * {@code ttl + 1}; everything else, and every answer, keeps to the chain. IPv4.
         */
        BRANCH,
        /** The router at {@code ttl} silently drops TCP to {@code port} it would forward away from the host. */
        DROP,
        /**
         * The router at {@code ttl} sets the DSCP of TCP to {@code port} it forwards away from the host to
         * {@code dscp}, keeping the ECN bits (nftables, forward hook, IPv4 and IPv6): the router at {@code ttl + 1}
         * is the first to quote it; ICMP, UDP and other ports keep their marking.
         */
        DSCP
    }

    public ProtocolPolicy(Kind kind, int ttl, int port) {
        this(kind, ttl, port, 0);
    }

    /** The branch router's namespace: named as an ECMP middle router's, so a dead process's lab is reaped alike. */
    static String branchNamespace(Lab lab, int ttl) {
        return lab.name() + "-r" + ttl + "b99";
    }

    /** Applies the policies to a built lab; on a failure the lab is closed and the failure thrown. */
    public static Lab apply(Lab lab, List<ProtocolPolicy> policies) {
        try {
            for (ProtocolPolicy p : policies) {
                p.apply(lab);
            }
            return lab;
        } catch (RuntimeException e) {
            Exec.closeAfterFailure(e, lab::close);
            throw e;
        }
    }

    private void apply(Lab lab) {
        if (kind == Kind.DROP) {
            run(lab.namespace(ttl), List.of("nft", "-f", "-"), """
                    table inet pathprobe_tcp_drop_%2$d {
                        chain forward {
                            type filter hook forward priority filter; policy accept;
                            iifname "%1$s" meta l4proto tcp th dport %2$d counter drop
                        }
                    }
                    """.formatted(ChainTopology.UPLINK, port));
            return;
        }
        if (kind == Kind.DSCP) {
            run(lab.namespace(ttl), List.of("nft", "-f", "-"), """
                    table inet pathprobe_tcp_dscp_%2$d {
                        chain forward {
                            type filter hook forward priority filter; policy accept;
                            iifname "%1$s" meta l4proto tcp th dport %2$d ip dscp set %3$d
                            iifname "%1$s" meta l4proto tcp th dport %2$d ip6 dscp set %3$d
                        }
                    }
                    """.formatted(ChainTopology.UPLINK, port, dscp));
            return;
        }
        String branch = branchNamespace(lab, ttl);
        String before = lab.namespace(ttl - 1);
        String after = lab.namespace(ttl + 1);
        Exec.check("creating the protocol branch's namespace", List.of("ip", "netns", "add", branch),
                "ip netns add " + branch, null, null, TIMEOUT);
        lab.attachments.add(new AutoCloseable() {
            @Override
            public void close() {
                Namespaces.delete(List.of(branch), List.of(), TIMEOUT);
            }

            @Override
            public String toString() {
                return "protocol branch " + branch;
            }
        });
        run(before, List.of("ip", "link", "add", "pbranch", "type", "veth", "peer", "name", ChainTopology.UPLINK,
                "netns", branch), null);
        run(after, List.of("ip", "link", "add", "pbranch", "type", "veth", "peer", "name", ChainTopology.DOWNLINK,
                "netns", branch), null);
        run(branch, List.of("sh", "-c", "set -e\n"
                + "echo 0 > /proc/sys/net/ipv4/conf/all/rp_filter\n"
                + "echo 0 > /proc/sys/net/ipv4/conf/default/rp_filter\n"
                + "echo 1 > /proc/sys/net/ipv4/ip_forward\n"
                + "echo 0 > /proc/sys/net/ipv4/icmp_ratelimit\n"
                + LabProvisioner.offloadOff(List.of(ChainTopology.UPLINK, ChainTopology.DOWNLINK))
                + "ip link set lo up\n"
                + "ip addr add " + BRANCH_IN + "/30 dev " + ChainTopology.UPLINK + "\n"
                + "ip addr add " + BRANCH_OUT + "/30 dev " + ChainTopology.DOWNLINK + "\n"
                + "ip link set " + ChainTopology.UPLINK + " up\n"
                + "ip link set " + ChainTopology.DOWNLINK + " up\n"
                + "ip route add " + Addressing.DESTINATION_NET + " via " + AFTER + "\n"
                + "ip route add " + Addressing.LAB_NET + " via " + BEFORE + "\n"), null);
        run(before, List.of("sh", "-c", "set -e\n"
                + "echo 0 > /proc/sys/net/ipv4/conf/pbranch/rp_filter\n"
                + LabProvisioner.offloadOff(List.of("pbranch"))
                + "ip addr add " + BEFORE + "/30 dev pbranch\n"
                + "ip link set pbranch up\n"
                + "ip route add " + Addressing.DESTINATION_NET + " via " + BRANCH_IN + " table " + TABLE + "\n"
                + "ip rule add iif " + ChainTopology.UPLINK + " ipproto tcp dport " + port + " lookup " + TABLE + "\n"),
                null);
        run(after, List.of("sh", "-c", "set -e\n"
                + "echo 0 > /proc/sys/net/ipv4/conf/pbranch/rp_filter\n"
                + LabProvisioner.offloadOff(List.of("pbranch"))
                + "ip addr add " + AFTER + "/30 dev pbranch\n"
                + "ip link set pbranch up\n"), null);
        waitUp(branch);
    }

    /** Polls until both of the branch router's links can transmit (as the lab waits for its own). */
    private static void waitUp(String ns) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            String out = Exec.run(List.of("ip", "-n", ns, "-o", "link", "show"), null, TIMEOUT).stdout();
            long up = out.lines().filter(l -> l.contains("state UP") && !l.contains("NO-CARRIER")).count();
            if (up >= 2) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new LabException("the protocol branch's links did not come up: " + out.strip());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LabException("interrupted while waiting for the protocol branch", e);
            }
        }
    }

    private static void run(String ns, List<String> command, @org.jspecify.annotations.Nullable String stdin) {
        Exec.check("setting up a protocol policy in " + ns, Namespaces.in(ns, command),
                String.join(" ", command).replace("\n", "; "),
                stdin, null, TIMEOUT);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case BRANCH -> "TCP port " + port + " over a router of its own at TTL " + ttl;
            case DROP -> "TCP port " + port + " dropped after router " + ttl;
            case DSCP -> "DSCP of TCP port " + port + " set to " + dscp + " at router " + ttl;
        };
    }
}
