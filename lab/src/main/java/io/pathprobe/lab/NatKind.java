package io.pathprobe.lab;

import io.pathprobe.lab.topology.NatRouter;

/** What the NAT router of {@link LabBuilder#natAt(int, NatKind)} does. */
public enum NatKind {
    /**
     * nftables {@code masquerade} (conntrack) on the router's outside interface. The kernel translates
     * the packet quoted in ICMP errors back exactly, inner transport checksum included, so a NAT test
     * that compares the quoted checksum with the sent one (Dublin traceroute) cannot see this NAT.
     */
    MASQUERADE,
    /**
     * A NAT that, like many CPE boxes, rewrites the outer addresses of ICMP errors but leaves the
     * quoted transport checksum as translated, so the quoted checksum differs from the sent one. A
     * user-space element attached to the NAT router's interfaces ({@link NatRouter}). Not wired yet:
     * building such a lab throws {@link UnsupportedOperationException}.
     */
    QUOTE_PRESERVING
}
