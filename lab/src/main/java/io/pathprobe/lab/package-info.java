/**
 * A real routed test network built from Linux network namespaces: a chain of kernel routers joined
 * by veth pairs, with silent hops, ICMP rate limits and a "no route" target, IPv6, ECMP diamonds,
 * NAT, a UDP-rejecting firewall and a TCP listener, built and torn down from Java in well under a
 * second; and {@link io.pathprobe.lab.PacketCapture} to see what crossed a link. It is the test bed for pathprobe's own
 * tests, its CLI demo and its benchmarks.
 *
 * <p>{@link io.pathprobe.lab.Lab} builds and owns one lab; {@link io.pathprobe.lab.LabExtension}
 * gives one to a JUnit 5 test class; {@link io.pathprobe.lab.runner.Traceroute} runs Linux traceroute as the
 * reference to compare against. Needs Linux, root (CAP_NET_ADMIN and CAP_SYS_ADMIN) and iproute2;
 * nftables for silent hops.
 *
 * <p>This package holds what tests and tools use (the lab, its builder and JUnit extension, the data-file writers,
 * packet capture); the parts behind it live in rooms: {@code topology}, {@code server}, {@code runner} (the peer
 * tools), {@code middlebox} and {@code namespace}.
 */
@NullMarked
package io.pathprobe.lab;

import org.jspecify.annotations.NullMarked;
