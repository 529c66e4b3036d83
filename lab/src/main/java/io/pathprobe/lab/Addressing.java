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
final class Addressing {
    /** 198.18.0.0: link {@code i} is the /30 starting at {@code LINK_BASE + 4 * i}. */
    static final long LINK_BASE = 0xC612_0000L;
    /** 198.19.0.1, on the destination's loopback. */
    static final long DESTINATION = 0xC613_0001L;
    /** Where the destination address lives; every router routes it toward the destination. */
    static final String DESTINATION_NET = "198.19.0.0/16";
    /** What the host routes into the lab (router 1). */
    static final String LAB_NET = "198.18.0.0/15";
    /** 198.18.255.1: routed by the host to router 1, by nobody beyond. */
    static final long UNROUTED = 0xC612_FF01L;
    /** Largest supported chain: 250 links fit in 198.18.0.0/22. */
    static final int MAX_HOPS = 250;

    private Addressing() {}

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
    static List<String> cidrs(long from, long to) {
        List<String> out = new ArrayList<>();
        long start = from;
        while (start < to) {
            // the largest aligned block that starts here and does not pass `to`
            long size = start == 0 ? 1L << 32 : Long.lowestOneBit(start);
            while (start + size > to) {
                size >>= 1;
            }
            out.add(text(start) + "/" + (32 - Long.numberOfTrailingZeros(size)));
            start += size;
        }
        return out;
    }

    static String text(long address) {
        return ((address >> 24) & 0xFF) + "." + ((address >> 16) & 0xFF) + "." + ((address >> 8) & 0xFF) + "."
                + (address & 0xFF);
    }

    static InetAddress inet(long address) {
        byte[] bytes = {(byte) (address >> 24), (byte) (address >> 16), (byte) (address >> 8), (byte) address};
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are always a valid address", e);
        }
    }
}
