package io.pathprobe.lab;

import io.pathprobe.lab.topology.HomeSegment;
import java.net.InetAddress;
import org.jspecify.annotations.Nullable;

/**
 * One hop of the home lab ({@link Lab#homeHops()}): what a trace should show at its TTL and what
 * enrichment should say about it, as the lab's DNS server ({@link LabBuilder#dnsServer()}) serves it.
 *
 * @param ttl the TTL at which it answers (the destination's is {@link Lab#hops()})
 * @param address its IPv4 address toward the host: what a trace shows (for a silent hop: what it
 *     would show; the trace shows nothing)
 * @param address6 its IPv6 address toward the host in an {@link LabBuilder#ipv6()} lab, else null
 * @param hostname the name its PTR record gives (both families), e.g. {@code core1.isp.lab.example}
 * @param asn the AS number of its IPv4 address as the Cymru-style origin TXT record gives it; 0 when
 *     there is none (RFC 1918 and CGNAT addresses: NXDOMAIN)
 * @param asn6 the AS number of its IPv6 address (origin6), 0 without IPv6
 * @param asName the AS name of {@code asn}, or else of {@code asn6} ({@code AS<asn>.asn.cymru.com} TXT, the part
 *     before ", ZZ"), "" if none
 * @param prefix the IPv4 prefix of the origin record, "" if none
 * @param prefix6 the IPv6 prefix of its origin6 record (every IPv6 address of the lab has one), "" without IPv6
 * @param segment its expected IPv4 segment (for a silent hop: after the "sandwich" rule)
 * @param segment6 its expected IPv6 segment: the home LAN is global 2001:db8:1:100::/64 inside the
 *     ISP's 2001:db8:1::/48, so the home router is ISP there
 * @param silent whether it drops its Time Exceeded (a {@link HomeOption})
 */
public record HomeHop(int ttl, InetAddress address, @Nullable InetAddress address6, String hostname, int asn,
        int asn6, String asName, String prefix, String prefix6, HomeSegment segment,
        HomeSegment segment6, boolean silent) {}
