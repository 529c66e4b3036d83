package io.pathprobe.lab;

import io.pathprobe.lab.topology.EcmpFabric;

/**
 * How the branching router of an ECMP diamond ({@link LabBuilder#ecmp(int, int, EcmpHash)}), and every
 * router of an {@link EcmpFabric} with several successors, picks one of its next hops for a packet.
 */
public enum EcmpHash {
    /**
     * The Linux kernel's own multipath hash: an N-way {@code nexthop} route with
     * {@code net.ipv4.fib_multipath_hash_policy=3} and {@code fib_multipath_hash_fields=0x37} (source
     * and destination address, protocol, source and destination port: the fields of policy 1, but
     * always read from the packet; policy 1 reuses an L4 hash the packet already carries, which
     * through veth is the sending socket's random hash) and, for IPv6, policy 3 with
     * {@code fib_multipath_hash_fields=0x3f} (the same fields plus the flow label). UDP and TCP flows
     * spread by their ports (and IPv6 flow label); ICMP never spreads (no ports; Linux ignores the
     * echo identifier and checksum).
     */
    LINUX_L4,
    /**
     * Like many hardware routers: a hash of the first 4 bytes of the transport header. nftables
     * {@code meta mark set jhash @th,0,32 mod N seed 0x0 offset 1} on packets arriving from the host
     * side, then {@code ip rule fwmark K table 100+K} with one route per table. UDP and TCP spread by
     * their ports, ICMP echo by type, code and checksum (so a per-probe checksum change moves the
     * probe; a Paris ICMP flow with a constant checksum stays on one branch). The seed is fixed: the
     * same bytes always take the same branch (inside an {@link EcmpFabric} every further balancer has
     * a seed of its own, so it hashes independently).
     */
    FIRST_4_BYTES,
    /**
     * Per-packet load balancing, which Linux never does by itself: nftables
     * {@code meta mark set numgen random mod N offset 1} on packets arriving from the host side, then
     * the same fwmark tables as {@link #FIRST_4_BYTES}. Every packet picks a branch at random,
     * whatever its flow: a Paris flow sees several next hops at one TTL, and a multipath discovery
     * must say so rather than count a width.
     */
    PER_PACKET
}
