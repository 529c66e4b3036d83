package io.pathprobe.lab;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The lab's address plan, as plain arithmetic on IPv4 addresses held in {@code long}s.
 *
 * <p>Node 0 is the probing host, nodes 1..hops-1 are routers, node {@code hops} is the destination.
 * Link {@code i} joins node {@code i} (address {@code .1} of the /30, "down" side) and node
 * {@code i+1} (address {@code .2}, "up" side): link i is {@code 198.18.0.0 + 4i}/30, so 250 links fit
 * in 198.18.0.0/22 and the host is 198.18.0.1. The destination address lives on the destination's
 * loopback in 198.19.0.0/16. {@link #UNROUTED} is in neither, so only the host's 198.18.0.0/15 route
 * covers it.
 */
public final class Addressing {
    /** 198.18.0.0: link {@code i} is the /30 starting at {@code LINK_BASE + 4 * i}. */
    public static final long LINK_BASE = 0xC612_0000L;
    /** 198.19.0.1, on the destination's loopback. */
    public static final long DESTINATION = 0xC613_0001L;
    /** Where the destination address lives; every router routes it toward the destination. */
    public static final String DESTINATION_NET = "198.19.0.0/16";
    /** What the host routes into the lab (router 1). */
    public static final String LAB_NET = "198.18.0.0/15";
    /** 198.18.255.1: routed by the host to router 1, by nobody beyond. */
    static final long UNROUTED = 0xC612_FF01L;
    /** Most {@code LabBuilder.destinationAliases}: 198.19.1.1 to 198.19.40.250. */
    static final int MAX_DESTINATION_ALIASES = 10_000;

    /** Largest supported chain: 250 links fit in 198.18.0.0/22. */
    public static final int MAX_HOPS = 250;

    /** The links between the host and a NAT router at hop 1 (a home LAN): link i is 192.168.0.0 + 4i/30. */
    public static final long INSIDE_HOME = 0xC0A8_0000L;
    static final String INSIDE_HOME_NET = "192.168.0.0/16";
    /** The links between the host and a NAT router beyond hop 1 (a carrier-grade NAT's inside, RFC 6598). */
    public static final long INSIDE_CGNAT = 0x6440_0000L;
    static final String INSIDE_CGNAT_NET = "100.64.0.0/10";
    /** 198.18.4.0/24: the ECMP branch links between the branching router and the middle routers. */
    public static final long BRANCH_IN = 0xC612_0400L;
    /** 198.18.5.0/24: the ECMP branch links between the middle routers and the merging router. */
    static final long BRANCH_OUT = 0xC612_0500L;

    /** IPv6: link i is 2001:db8:1:i::/64 (hex), the node toward the host ::1, the other ::2. */
    static final String LINK6 = "2001:db8:1:";
    /** 2001:db8:100::1, on the destination's loopback in a {@code ipv6()} lab. */
    public static final String DESTINATION6 = "2001:db8:100::1";
    public static final String DESTINATION6_NET = "2001:db8:100::/48";
    /** What the host routes into the lab over IPv6 (router 1). */
    static final String LAB_NET6 = "2001:db8::/32";

    private Addressing() {}

    /** The IPv6 address {@code side} (1: toward the host, 2: away from it) of link {@code i}. */
    public static String link6(int i, int side) {
        return LINK6 + Integer.toHexString(i) + "::" + side;
    }

    /** The IPv6 prefixes that cover exactly links {@code [from, to)}. */
    public static List<String> links6(int from, int to) {
        List<String> out = new ArrayList<>();
        for (long[] b : blocks(from, to)) {
            out.add(LINK6 + Long.toHexString(b[0]) + "::/" + (64 - Long.numberOfTrailingZeros(b[1])));
        }
        return out;
    }

    /** The host's address, on link 0. */
    static long host() {
        return LINK_BASE + 1;
    }

    /** Node {@code node}'s address on its link toward the host (link {@code node - 1}); node >= 1. */
    static long up(int node) {
        return LINK_BASE + 4L * (node - 1) + 2;
    }

    /** Node {@code node}'s address on its link toward the destination (link {@code node}). */
    static long down(int node) {
        return LINK_BASE + 4L * node + 1;
    }

    /**
     * The prefixes a node at {@code node} (1..hops) routes back toward the host: every link that is
     * not its own, between the host and its up-link (links 0..node-2). Empty for node 1, whose up-link
     * is link 0.
     */
    static List<String> hostSide(int node) {
        return cidrs(LINK_BASE, LINK_BASE + 4L * (node - 1));
    }

    /**
     * The prefixes a router at {@code node} (1..hops-1) routes forward: links node+1..hops-1 and the
     * destination network.
     */
    static List<String> destinationSide(int node, int hops) {
        List<String> out = new ArrayList<>(cidrs(LINK_BASE + 4L * (node + 1), LINK_BASE + 4L * hops));
        out.add(DESTINATION_NET);
        return out;
    }

    /** The fewest CIDR blocks that cover exactly {@code [from, to)}; empty when {@code from >= to}. */
    public static List<String> cidrs(long from, long to) {
        List<String> out = new ArrayList<>();
        for (long[] b : blocks(from, to)) {
            out.add(text(b[0]) + "/" + (32 - Long.numberOfTrailingZeros(b[1])));
        }
        return out;
    }

    /** The fewest aligned power-of-two blocks {start, size} that cover exactly {@code [from, to)}. */
    static List<long[]> blocks(long from, long to) {
        List<long[]> out = new ArrayList<>();
        long start = from;
        while (start < to) {
            // the largest aligned block that starts here and does not pass `to`
            long size = start == 0 ? 1L << 32 : Long.lowestOneBit(start);
            while (start + size > to) {
                size >>= 1;
            }
            out.add(new long[] {start, size});
            start += size;
        }
        return out;
    }

    public static InetAddress inet6(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal with ':' is never looked up
        } catch (UnknownHostException e) {
            throw new AssertionError("not an IPv6 literal: " + literal, e);
        }
    }

    /**
     * Destination alias {@code i} (from 0): 198.19.{1 + i / 250}.{1 + i % 250} (LabProvisioner writes them with a shell
     * loop of the same formula).
     */
    static long destinationAlias(int i) {
        return 0xC613_0000L + ((1L + i / 250) << 8) + 1 + i % 250;
    }

    public static String text(long address) {
        return ((address >> 24) & 0xFF) + "." + ((address >> 16) & 0xFF) + "." + ((address >> 8) & 0xFF) + "."
                + (address & 0xFF);
    }

    public static InetAddress inet(long address) {
        byte[] bytes = {(byte) (address >> 24), (byte) (address >> 16), (byte) (address >> 8), (byte) address};
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are always a valid address", e);
        }
    }

    /** The prefixes of the fabric's transitions {@code [from, to)}: one /24 (IPv4) or /48 (IPv6) each. */
    public static List<String> transitionNets(int from, int to, boolean v6) {
        List<String> out = new ArrayList<>();
        for (int t = from; t < to; t++) {
            out.add(v6 ? "2001:db8:" + Integer.toHexString(2 + t) + "::/48"
                    : text(BRANCH_IN + 256L * t) + "/24");
        }
        return out;
    }
}
