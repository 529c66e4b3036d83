package io.pathprobe.lab.topology;

import io.pathprobe.lab.Addressing;
import io.pathprobe.lab.HomeHop;
import io.pathprobe.lab.HomeOption;
import io.pathprobe.lab.Lab;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The address plan of the home lab ({@link Lab#home(HomeOption...)}), as plain data: a host on a home
 * LAN, the home router (NAT), the ISP's CGNAT router (a second NAT), optionally a silent ISP router,
 * the ISP core, transit, optionally a silent transit router, and the destination.
 *
 * <pre>
 * node  name                       IPv4 toward the host   IPv6 toward the host     AS     segment
 * 0     host.home.lab.example      192.168.1.100/24       2001:db8:1:100::100      -      (the host)
 * 1     gw.home.lab.example        192.168.1.1/24         2001:db8:1:100::1        -/64500 LAN (v6: ISP)
 * 2     cgnat.isp.lab.example      100.64.0.1/30          2001:db8:1:ff00::1       -/64500 ISP
 *       (its outside: cgnat-out.isp.lab.example 198.18.0.1, the host's public address)
 * [3]   agg1.isp.lab.example       198.18.0.2/30 (silent) 2001:db8:1:1::2          64500  ISP (sandwich)
 * n     core1.isp.lab.example      198.18.0.2 or .6/30    2001:db8:1:1::2 or 2::2  64500  ISP
 *       (and the ISP's resolver ns.isp.lab.example 198.18.53.53, 2001:db8:1:53::53 on its loopback)
 * n+1   tr1.transit.lab.example    198.19.128.2/30        2001:db8:2:1::2          64501  TRANSIT
 * [n+2] tr2.transit.lab.example    198.19.128.6/30 (silent) 2001:db8:2:2::2        64501  UNKNOWN
 * last  dst.dest.lab.example       198.19.0.1 (loopback)  2001:db8:100::1          64510  DESTINATION
 * </pre>
 *
 * The AS prefixes: 64500 LAB-ISP 198.18.0.0/16 and 2001:db8:1::/48; 64501 LAB-TRANSIT 198.19.128.0/17
 * and 2001:db8:2::/48; 64510 LAB-DEST 198.19.0.0/17 and 2001:db8:100::/48. The link into the
 * destination is the destination's (198.19.127.252/30, 2001:db8:100:ffff::/64), a peering link the
 * next network's (core1–tr1 is transit's 198.19.128.0/30).
 */
public final class HomePlan {
    static final String ZONE = Lab.DNS_ZONE;
    public static final String DNS_ADDRESS = "198.18.53.53";
    public static final String DNS_ADDRESS6 = "2001:db8:1:53::53";
    public static final String DNS_NAME = "ns.isp." + ZONE;
    static final String PUBLIC_NAME = "cgnat-out.isp." + ZONE;
    static final String HOST_NAME = "host.home." + ZONE;
    static final String DESTINATION_NAME = "dst.dest." + ZONE;
    /** The CGNAT inside network, which the host routes into the lab too. */
    static final String CGNAT_NET = "100.64.0.0/10";

    /** An autonomous system of the lab. */
    record As(int number, String name, String prefix, String prefix6) {
        long base() {
            return parse(prefix.substring(0, prefix.indexOf('/')));
        }

        int length() {
            return Integer.parseInt(prefix.substring(prefix.indexOf('/') + 1));
        }

        boolean contains(long address) {
            long mask = (0xFFFF_FFFFL << (32 - length())) & 0xFFFF_FFFFL;
            return (address & mask) == base();
        }
    }

    static final As ISP = new As(64500, "LAB-ISP", "198.18.0.0/16", "2001:db8:1::/48");
    static final As TRANSIT = new As(64501, "LAB-TRANSIT", "198.19.128.0/17", "2001:db8:2::/48");
    static final As DEST = new As(64510, "LAB-DEST", "198.19.0.0/17", "2001:db8:100::/48");
    static final List<As> SYSTEMS = List.of(ISP, TRANSIT, DEST);

    /** A link: node {@code i} ("down", toward the destination) to node {@code i+1} ("up"). */
    record Link(long down, long up, int length, String net6, String down6, String up6) {
        String cidr() {
            long mask = (0xFFFF_FFFFL << (32 - length)) & 0xFFFF_FFFFL;
            return Addressing.text(down & mask) + "/" + length;
        }
    }

    /** A node: its name (the PTR of its address toward the host), role, whether silent. */
    record Node(String hostname, HomeSegment segment, HomeSegment segment6, boolean silent) {}

    private final List<Node> nodes = new ArrayList<>();
    private final List<Link> links = new ArrayList<>();
    private final int coreNode;
    private final Set<HomeOption> options;

    public HomePlan(Set<HomeOption> options) {
        this.options = Set.copyOf(options);
        boolean ispSilent = options.contains(HomeOption.SILENT_ISP_HOP);
        boolean transitSilent = options.contains(HomeOption.SILENT_TRANSIT_HOP);
        nodes.add(new Node(HOST_NAME, HomeSegment.LAN, HomeSegment.LAN, false));
        nodes.add(new Node("gw.home." + ZONE, HomeSegment.LAN, HomeSegment.ISP, false));
        nodes.add(new Node("cgnat.isp." + ZONE, HomeSegment.ISP, HomeSegment.ISP, false));
        links.add(new Link(parse("192.168.1.100"), parse("192.168.1.1"), 24, "2001:db8:1:100::/64",
                "2001:db8:1:100::100", "2001:db8:1:100::1"));
        links.add(new Link(parse("100.64.0.2"), parse("100.64.0.1"), 30, "2001:db8:1:ff00::/64",
                "2001:db8:1:ff00::2", "2001:db8:1:ff00::1"));
        int isp = 0;
        if (ispSilent) {
            nodes.add(new Node("agg1.isp." + ZONE, HomeSegment.ISP, HomeSegment.ISP, true));
            links.add(ispLink(isp++));
        }
        nodes.add(new Node("core1.isp." + ZONE, HomeSegment.ISP, HomeSegment.ISP, false));
        coreNode = nodes.size() - 1;
        links.add(ispLink(isp));
        nodes.add(new Node("tr1.transit." + ZONE, HomeSegment.TRANSIT, HomeSegment.TRANSIT, false));
        links.add(new Link(parse("198.19.128.1"), parse("198.19.128.2"), 30, "2001:db8:2:1::/64", "2001:db8:2:1::1",
                "2001:db8:2:1::2"));
        if (transitSilent) {
            nodes.add(new Node("tr2.transit." + ZONE, HomeSegment.UNKNOWN, HomeSegment.UNKNOWN, true));
            links.add(new Link(parse("198.19.128.5"), parse("198.19.128.6"), 30, "2001:db8:2:2::/64",
                    "2001:db8:2:2::1", "2001:db8:2:2::2"));
        }
        nodes.add(new Node(DESTINATION_NAME, HomeSegment.DESTINATION, HomeSegment.DESTINATION, false));
        links.add(new Link(parse("198.19.127.253"), parse("198.19.127.254"), 30, "2001:db8:100:ffff::/64",
                "2001:db8:100:ffff::1", "2001:db8:100:ffff::2"));
    }

    /** ISP link k: 198.18.0.{4k}/30 (the first: the CGNAT's outside .1), 2001:db8:1:{k+1}::/64. */
    private static Link ispLink(int k) {
        String net6 = "2001:db8:1:" + Integer.toHexString(k + 1) + "::";
        return new Link(Addressing.LINK_BASE + 4L * k + 1, Addressing.LINK_BASE + 4L * k + 2, 30, net6 + "/64",
                net6 + "1", net6 + "2");
    }

    public Set<HomeOption> options() {
        return options;
    }

    /** The destination's TTL. */
    public int hops() {
        return nodes.size() - 1;
    }

    /** The TTLs of the silent routers. */
    public List<Integer> silent() {
        List<Integer> out = new ArrayList<>();
        for (int i = 1; i < nodes.size(); i++) {
            if (nodes.get(i).silent()) {
                out.add(i);
            }
        }
        return out;
    }

    /** The NAT routers: the home router (1) and the CGNAT (2). */
    boolean isNat(int node) {
        return node == 1 || node == 2;
    }

    /** The ISP core, where the DNS server runs. */
    public int coreNode() {
        return coreNode;
    }

    Link link(int i) {
        return links.get(i);
    }

    long up(int node) {
        return links.get(node - 1).up();
    }

    long down(int node) {
        return links.get(node).down();
    }

    String up6(int node) {
        return links.get(node - 1).up6();
    }

    String down6(int node) {
        return links.get(node).down6();
    }

    /** The CGNAT's outside address: the source of everything the host sends beyond it. */
    public long publicAddress() {
        return down(2);
    }

    /** Addresses on a node's loopback beyond the destination's own: the ISP resolver's, on the core. */
    List<String> loopback(int node, boolean v6) {
        if (node != coreNode) {
            return List.of();
        }
        return v6 ? List.of(DNS_ADDRESS6 + "/128") : List.of(DNS_ADDRESS + "/32");
    }

    /** The routes of a lab node: back toward the host (never into a NAT's inside), then on. */
    List<ChainTopology.Route> routes(int node, boolean v6) {
        int hops = hops();
        List<ChainTopology.Route> out = new ArrayList<>();
        int hidden = 0;
        if (!v6) {
            for (int h = 1; h < node; h++) {
                if (isNat(h)) {
                    hidden = h; // a NAT at h: the links before it are its inside
                }
            }
        }
        List<String> back = new ArrayList<>();
        for (int j = hidden; j <= node - 2; j++) {
            back.add(v6 ? links.get(j).net6() : links.get(j).cidr());
        }
        for (int n = 1; n < node; n++) {
            back.addAll(loopback(n, v6));
        }
        if (!back.isEmpty()) {
            out.add(new ChainTopology.Route(back, List.of(v6 ? down6(node - 1) : Addressing.text(down(node - 1))), 0));
        }
        if (node == hops) {
            return out;
        }
        List<String> ahead = new ArrayList<>();
        for (int j = node + 1; j < hops; j++) {
            ahead.add(v6 ? links.get(j).net6() : links.get(j).cidr());
        }
        ahead.add(v6 ? Addressing.DESTINATION6_NET : Addressing.DESTINATION_NET);
        for (int n = node + 1; n < hops; n++) {
            ahead.addAll(loopback(n, v6));
        }
        out.add(new ChainTopology.Route(ahead, List.of(v6 ? up6(node + 1) : Addressing.text(up(node + 1))), 0));
        return out;
    }

    /** The AS an IPv4 address belongs to, or null (RFC 1918, CGNAT). */
    static @Nullable As asOf(long address) {
        for (As as : SYSTEMS) {
            if (as.contains(address)) {
                return as;
            }
        }
        return null;
    }

    /** The AS of an IPv6 address of the plan (by its /48). */
    static @Nullable As asOf6(String address) {
        String a = Addressing.inet6(address).getHostAddress();
        for (As as : SYSTEMS) {
            String p = Addressing.inet6(as.prefix6().substring(0, as.prefix6().indexOf('/'))).getHostAddress();
            // a /48: the first three groups
            if (groups(a, 3).equals(groups(p, 3))) {
                return as;
            }
        }
        return null;
    }

    private static String groups(String full, int n) {
        String[] g = full.split(":");
        return String.join(":", java.util.Arrays.copyOf(g, n));
    }

    /** Every hop, TTL 1 to the destination. */
    public List<HomeHop> hops(boolean ipv6) {
        List<HomeHop> out = new ArrayList<>();
        for (int n = 1; n < nodes.size(); n++) {
            Node node = nodes.get(n);
            boolean dst = n == hops();
            long v4 = dst ? Addressing.DESTINATION : up(n);
            String v6 = dst ? Addressing.DESTINATION6 : up6(n);
            As as = asOf(v4);
            As as6 = ipv6 ? asOf6(v6) : null;
            As named = as != null ? as : as6;
            out.add(new HomeHop(n, Addressing.inet(v4), ipv6 ? Addressing.inet6(v6) : null, node.hostname(),
                    as == null ? 0 : as.number(), as6 == null ? 0 : as6.number(), named == null ? "" : named.name(),
                    as == null ? "" : as.prefix(), as6 == null ? "" : as6.prefix6(), node.segment(),
                    node.segment6(), node.silent()));
        }
        return List.copyOf(out);
    }

    /** The A/AAAA (+ PTR) records: every hop, the host, the CGNAT's outside and the resolver. */
    public Map<String, List<InetAddress>> records(boolean ipv6) {
        Map<String, List<InetAddress>> r = new LinkedHashMap<>();
        r.put(HOST_NAME, ipv6 ? List.of(Addressing.inet(down(0)), Addressing.inet6(down6(0)))
                : List.of(Addressing.inet(down(0))));
        for (HomeHop hop : hops(ipv6)) {
            r.put(hop.hostname(), hop.address6() == null ? List.of(hop.address())
                    : List.of(hop.address(), hop.address6()));
        }
        r.put(PUBLIC_NAME, List.of(Addressing.inet(publicAddress())));
        r.put(DNS_NAME, ipv6 ? List.of(Addressing.inet(parse(DNS_ADDRESS)), Addressing.inet6(DNS_ADDRESS6))
                : List.of(Addressing.inet(parse(DNS_ADDRESS))));
        return r;
    }

    /**
     * The Team-Cymru-style TXT records, name to text: {@code <reversed v4>.origin.asn.cymru.com} and
     * {@code <nibbles>.origin6.asn.cymru.com} for every address of {@link #records} in an AS (none
     * for RFC 1918 and CGNAT space), and {@code AS<n>.asn.cymru.com} for each AS.
     */
    public Map<String, String> txtRecords(boolean ipv6) {
        Map<String, String> txt = new LinkedHashMap<>();
        records(ipv6).values().forEach(addresses -> addresses.forEach(a -> {
            byte[] b = a.getAddress();
            if (b.length == 4) {
                As as = asOf(parse(a.getHostAddress()));
                if (as != null) {
                    txt.put(reverse4(b) + ".origin.asn.cymru.com", origin(as.number(), as.prefix()));
                }
            } else {
                As as = asOf6(a.getHostAddress());
                if (as != null) {
                    txt.put(nibbles(b) + ".origin6.asn.cymru.com", origin(as.number(), as.prefix6()));
                }
            }
        }));
        for (As as : SYSTEMS) {
            txt.put("AS" + as.number() + ".asn.cymru.com",
                    as.number() + " | ZZ | lab | 2024-01-01 | " + as.name() + ", ZZ");
        }
        return txt;
    }

    /** {@return the text of an origin TXT record: {@code "64500 | 198.18.0.0/16 | ZZ | lab | 2024-01-01"}} */
    public static String origin(int asn, String prefix) {
        return asn + " | " + prefix + " | ZZ | lab | 2024-01-01";
    }

    /** {@code d.c.b.a} of a.b.c.d. */
    public static String reverse4(byte[] b) {
        return (b[3] & 0xFF) + "." + (b[2] & 0xFF) + "." + (b[1] & 0xFF) + "." + (b[0] & 0xFF);
    }

    /** The 32 nibbles of an IPv6 address, last first, dot-separated (as in ip6.arpa). */
    public static String nibbles(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = b.length - 1; i >= 0; i--) {
            sb.append(Integer.toHexString(b[i] & 0xF)).append('.').append(Integer.toHexString((b[i] >> 4) & 0xF));
            if (i > 0) {
                sb.append('.');
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    public static long parse(String dotted) {
        String[] p = dotted.split("\\.");
        return (Long.parseLong(p[0]) << 24) | (Long.parseLong(p[1]) << 16) | (Long.parseLong(p[2]) << 8)
                | Long.parseLong(p[3]);
    }
}
