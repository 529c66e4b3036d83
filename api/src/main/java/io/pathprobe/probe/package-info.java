/**
 * The values every measurement shares: protocol, IP version, ICMP message, MPLS label, RTT statistics and
 * address text.
 */
@NullMarked
package io.pathprobe.probe;

import org.jspecify.annotations.NullMarked;
