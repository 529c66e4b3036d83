package io.pathprobe.lab;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A chain of real Linux routers in network namespaces, joined by veth pairs and forwarding with the
 * kernel's own IP stack: what a trace through it shows is what a trace through real routers shows.
 *
 * <pre>{@code
 * try (Lab lab = Lab.chain(29).silentHops(5, 12, 20).build()) {
 *     Process p = lab.command(List.of("traceroute", "-n", "-I", "198.19.0.1")).inheritIO().start();
 *     p.waitFor();
 *     // compare with lab.expectedPath()
 * }
 * }</pre>
 *
 * <h2>Topology</h2>
 * Node 0 is the probing host (198.18.0.1), nodes 1..hops-1 are routers (net.ipv4.ip_forward=1),
 * node {@code hops} is the destination (198.19.0.1 on its loopback). Link {@code i} joins node
 * {@code i} and node {@code i+1}: a /30 carved from 198.18.0.0/16, node {@code i} being {@code .1} and
 * node {@code i+1} {@code .2} of it. The host routes 198.18.0.0/15 to router 1; each router routes the
 * links behind it back toward the host, and the links beyond it plus 198.19.0.0/16 forward. There is
 * no default route anywhere, and the lab's namespaces are connected to nothing but each other (and,
 * for {@link Builder#inCurrentNamespace()}, to the calling process's namespace): no packet can leave
 * the machine. A router answers from its address on the link toward the host, so
 * {@link #expectedPath()} is exactly what a correct trace shows. Unless {@link Builder#ipv6()} asks
 * for dual stack, IPv6 is disabled in the lab's namespaces and {@value #HOST_INTERFACE} gets no IPv6
 * address (no link-local addresses, DAD or router solicitations on the links). Every veth end, the
 * host's included, has transmit checksum offload off ({@code ethtool -K <dev> tx off}): otherwise
 * Linux leaves UDP/TCP checksums partial across veths, and routers quote those partial values.
 *
 * <h2>Other shapes</h2>
 * An ECMP diamond ({@link #diamond}, {@link Builder#ecmp}: {@link #expectedResponders(int)} is every
 * middle router), a NAT router ({@link Builder#natAt}, {@link #nat()}), a firewall that rejects UDP
 * ({@link Builder#rejectUdpAt}), a TCP listener at the destination ({@link Builder#tcpListener}, or one
 * that keeps its connections: {@link Builder#tcpService}), SYN-flood protection that limits new TCP
 * connections at one router ({@link Builder#limitNewTcpConnections}), one rate-limited router ({@link
 * Builder#icmpRateLimitedHop}), a bottleneck link with a deep queue ({@link Builder#bottleneck}: tc tbf), destinations
 * that answer from another address or elsewhere ({@link Builder#dnatDestination}, {@link
 * Builder#destinationAnswersFromOwnAddress}, {@link Builder#anycastSite(int)}); {@link PacketCapture} captures in any
 * lab namespace.
 *
 * <h2>Loss, duplication, servers</h2>
 * Random loss toward the destination, from it, or at one router ({@link Builder#dropToDestination},
 * {@link Builder#dropFromDestination}, {@link Builder#dropAtRouter}) and duplicated answers
 * ({@link Builder#duplicateFromDestination}), all nftables rules in the lab's namespaces; a DNS server
 * ({@link Builder#dnsServer()}, dnsmasq with only the lab's records, {@link #dnsRecords()}) and an
 * HTTP/1.1 server ({@link Builder#httpServer(int)}) at the destination. {@link Ping} runs iputils
 * ping and fping in the lab and parses what they print.
 *
 * <h2>Names, parallel runs, teardown</h2>
 * The namespaces are named {@code pathprobe-<pid>-<n>-h|r<ttl>|d} after the building process and a
 * per-process counter, so parallel runs (other threads, other JVMs) never collide. veth ends are
 * created directly in their namespaces; nothing appears in the calling namespace except, with
 * {@code inCurrentNamespace()}, the host's interface {@value #HOST_INTERFACE}. {@link #close()}
 * deletes every namespace (their veths go with them) and is also run by a JVM shutdown hook; labs of
 * a process that died without closing are deleted by the next {@link Builder#build()} anywhere on the
 * machine ({@link #reapStale()}).
 *
 * <h2>ICMP rate limits</h2>
 * Every router and the destination keep the kernel's ICMP rate limits unless told otherwise: per
 * source, a burst of 6 Time Exceeded / Unreachable messages and then one per
 * {@code net.ipv4.icmp_ratelimit} (1000 ms), plus a namespace-wide {@code icmp_msgs_per_sec} budget
 * (1000/s, burst 50). So the third traceroute (3 probes per hop) through the same lab within a second
 * or two shows {@code * * *} at every router. That is how routers are, and what a tracer must cope
 * with: a test keeps these limits unless it names why not, e.g. one that traces the same lab
 * many times and asserts every answer; such a test builds it with {@link Builder#icmpUnlimited(String)}.
 * {@link Chaos#drainIcmpBudgets()} empties the buckets before a measurement, as another tracer's burst
 * would. {@link Builder#icmpRateLimitPerRouter(int, int)} gives the routers a vendor-like limit
 * instead: a fixed number of ICMP errors per second per router.
 *
 * <p>Building needs Linux, root (CAP_NET_ADMIN and CAP_SYS_ADMIN), iproute2's {@code ip} and
 * {@code sh}; nftables' {@code nft} for silent hops. A lab is thread-safe; a {@link Builder} is not.
 */
public final class Lab implements AutoCloseable {
    /** The host's interface on link 0 when the host is the calling namespace. */
    public static final String HOST_INTERFACE = "pathprobe0";
    /** The zone of the lab's DNS names ({@link #dnsRecords()}): a reserved name (RFC 6761), never delegated. */
    public static final String DNS_ZONE = "lab.example";
    /** The name of {@link #destination()} in the lab's DNS server. */
    public static final String DESTINATION_NAME = "destination." + DNS_ZONE;
    /** A name under {@value #DNS_ZONE} that the lab's DNS server answers NXDOMAIN for. */
    public static final String DNS_UNKNOWN_NAME = "nonexistent." + DNS_ZONE;

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    /** How long the links may take to come up (normally microseconds after the last end is up). */
    private static final Duration LINK_UP_TIMEOUT = Duration.ofSeconds(5);
    private static final Path PING_GROUP_RANGE = Path.of("/proc/sys/net/ipv4/ping_group_range");
    private static final Path CONGESTION_CONTROL = Path.of("/proc/sys/net/ipv4/tcp_congestion_control");
    private static final Path AVAILABLE_CONGESTION_CONTROL =
            Path.of("/proc/sys/net/ipv4/tcp_available_congestion_control");
    private static final Path ALLOWED_CONGESTION_CONTROL = Path.of("/proc/sys/net/ipv4/tcp_allowed_congestion_control");
    private static final Pattern LINK_LINE =
            Pattern.compile("^\\d+:\\s+([^:@\\s]+)(?:@\\S+)?:\\s+<([^>]*)>.*?\\bstate\\s+(\\S+)");
    private static final Pattern ALIAS = Pattern.compile("\\balias\\s+(\\S+)");
    private static final AtomicInteger COUNTER = new AtomicInteger();

    /** The name of the lab that uses this JVM's own namespace as its host, if any. */
    private static final AtomicReference<@Nullable String> CURRENT_NAMESPACE_LAB = new AtomicReference<>();

    private final String name;
    private final Settings settings;
    private final ChainTopology topology;
    private final Thread shutdownHook;
    private volatile @Nullable String savedPingGroupRange;
    private volatile @Nullable String savedCongestionControl;
    /** What runs beside the namespaces (the TCP listener, a NAT element): stopped first by {@link #close()}. */
    private final List<AutoCloseable> attachments = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile @Nullable DnsServer dns;
    private boolean closed; // guarded by this
    /** The TCP listener keeps the connections it accepts ({@link Builder#tcpService(int)}); set before set-up. */
    private boolean holdTcpConnections;
    /** {@link Builder#limitNewTcpConnections}; set before set-up. */
    private @Nullable NewConnectionLimit newConnectionLimit;

    private Lab(String name, Settings settings) {
        this.name = name;
        this.settings = settings;
        this.topology = new ChainTopology(name, settings);
        this.shutdownHook = new Thread(this::closeOnExit, "pathprobe-lab-teardown-" + name);
    }

    /**
     * A chain whose destination is at TTL {@code hops} (1..250): hops-1 routers, then the destination
     * host.
     *
     * @throws IllegalArgumentException if {@code hops} is out of range
     */
    public static Builder chain(int hops) {
        if (hops < 1 || hops > Addressing.MAX_HOPS) {
            throw new IllegalArgumentException("hops must be 1.." + Addressing.MAX_HOPS + ", was " + hops);
        }
        return new Builder(hops);
    }

    /**
     * The classic diamond: host → router 1 → {@code width} parallel routers (TTL 2) → router 3 →
     * destination (TTL 4); {@code chain(4).ecmp(2, width, hash)}. Add options as for a chain.
     */
    public static Builder diamond(int width, EcmpHash hash) {
        return chain(4).ecmp(2, width, hash);
    }

    /**
     * A diamond after a diamond: host → router 1 → {@code first} parallel routers (TTL 2) → router 3,
     * where they meet and branch again → {@code second} parallel routers (TTL 4) → router 5 →
     * destination (TTL 6); {@code chain(6).fabric(2, EcmpFabric.nested(first, second), hash)}.
     */
    public static Builder nestedDiamond(int first, int second, EcmpHash hash) {
        return chain(6).fabric(2, EcmpFabric.nested(first, second), hash);
    }

    /**
     * Unequal widths: router 1 → {a, b} (TTL 2); a → {a1, a2}, b → {b1} (TTL 3) → router 4 →
     * destination (TTL 5); {@code chain(5).fabric(2, EcmpFabric.asymmetric(), hash)}.
     */
    public static Builder asymmetricDiamond(EcmpHash hash) {
        return chain(5).fabric(2, EcmpFabric.asymmetric(), hash);
    }

    /**
     * A meshed diamond: router 1 → {@code width} routers (TTL 2), each of which spreads over all of
     * {@code width} routers at TTL 3 → router 4 → destination (TTL 5);
     * {@code chain(5).fabric(2, EcmpFabric.meshed(width), hash)}.
     */
    public static Builder meshedDiamond(int width, EcmpHash hash) {
        return chain(5).fabric(2, EcmpFabric.meshed(width), hash);
    }

    /**
     * A lab like a real home ({@link HomePlan} has the full plan): the host on a home LAN
     * (192.168.1.100/24) → the home router {@code gw.home.lab.example} (192.168.1.1, masquerade NAT)
     * → the ISP's CGNAT router {@code cgnat.isp.lab.example} (100.64.0.1, a second masquerade; its
     * outside address 198.18.0.1 is the host's {@link #publicAddress()}) → [a silent ISP router] →
     * the ISP core {@code core1.isp.lab.example} (AS 64500) → transit {@code tr1.transit.lab.example}
     * (AS 64501) → [a silent transit router] → the destination {@code dst.dest.lab.example}
     * (198.19.0.1, AS 64510). {@link #homeHops()} lists what each hop should be named, its AS and
     * segment. Add options as for a chain, typically {@code .dnsServer()} (the ISP's resolver at
     * 198.18.53.53 on the core, with PTR and Cymru-style TXT records), {@code .stunServer()},
     * {@code .ipv6()} (a global, un-NATed home LAN 2001:db8:1:100::/64) and {@code .icmpUnlimited(reason)};
     * {@code natAt} and ECMP are not available.
     */
    public static Builder home(HomeOption... options) {
        java.util.EnumSet<HomeOption> set = java.util.EnumSet.noneOf(HomeOption.class);
        set.addAll(Arrays.asList(options));
        HomePlan plan = new HomePlan(set);
        Builder b = new Builder(plan.hops());
        b.home = plan;
        if (!plan.silent().isEmpty()) {
            b.silent = plan.silent();
        }
        return b;
    }

    /** Whether this is a {@link #home} lab. */
    public boolean isHome() {
        return settings.home() != null;
    }

    /**
     * What each hop of a {@link #home} lab is, TTL 1 to the destination: address, name (PTR), AS,
     * prefix and segment as the lab's DNS server serves them.
     *
     * @throws IllegalStateException if this is not a home lab
     */
    public List<HomeHop> homeHops() {
        return requireHome().hops(settings.ipv6());
    }

    /**
     * The host's address as servers beyond the lab's NATs see it (what STUN reports): the CGNAT's
     * outside address 198.18.0.1 in a {@link #home} lab, the NAT's outside address with
     * {@link Builder#natAt}, else {@link #hostAddress()}.
     */
    public InetAddress publicAddress() {
        HomePlan home = settings.home();
        if (home != null) {
            return Addressing.inet(home.publicAddress());
        }
        return nat().map(NatRouter::outsideAddress).orElseGet(this::hostAddress);
    }

    private HomePlan requireHome() {
        HomePlan home = settings.home();
        if (home == null) {
            throw new IllegalStateException("lab " + name + " is not a home lab: build it with Lab.home()");
        }
        return home;
    }

    /** The TTL of the destination: the number of routers plus one. */
    public int hops() {
        return settings.hops();
    }

    /** The lab's name, {@code pathprobe-<pid>-<n>}: the prefix of all its namespaces. */
    public String name() {
        return name;
    }

    /** 198.19.0.1, on the destination namespace's loopback. */
    public InetAddress destination() {
        return Addressing.inet(Addressing.DESTINATION);
    }

    /**
     * The extra addresses of {@link Builder#destinationAliases(int)} on the destination's loopback,
     * in order (198.19.1.1, 198.19.1.2, ...); empty without that option.
     */
    public List<InetAddress> destinationAliases() {
        List<InetAddress> all = new ArrayList<>(settings.destinationAliases());
        for (int i = 0; i < settings.destinationAliases(); i++) {
            all.add(Addressing.inet(Addressing.destinationAlias(i)));
        }
        return List.copyOf(all);
    }

    /**
     * The destination host's own address on its link toward the last router (198.18.0.4(hops-1)+2):
     * the address a {@link Builder#dnatDestination DNAT} forwards to and a destination that
     * {@link Builder#destinationAnswersFromOwnAddress answers from its own address} answers from.
     */
    public InetAddress destinationHostAddress() {
        return Addressing.inet(Addressing.up(hops()));
    }

    /**
     * The probing host's address (on {@link #hostInterface()}): 198.18.0.1; with a NAT at hop 1
     * 192.168.0.1, with a NAT further on 100.64.0.1.
     */
    public InetAddress hostAddress() {
        return Addressing.inet(topology.hostAddress());
    }

    /** 2001:db8:100::1, on the destination's loopback in an {@link Builder#ipv6()} lab. */
    public InetAddress destination6() {
        requireIpv6();
        return Addressing.inet6(Addressing.DESTINATION6);
    }

    /** 2001:db8:1:0::1, the host's IPv6 address in an {@link Builder#ipv6()} lab. */
    public InetAddress hostAddress6() {
        requireIpv6();
        return Addressing.inet6(topology.hostAddress6());
    }

    /** Whether the lab is dual-stack ({@link Builder#ipv6()}). */
    public boolean ipv6() {
        return settings.ipv6();
    }

    /** The host's interface on link 0: {@value #HOST_INTERFACE} in the calling namespace, else "downlink". */
    public String hostInterface() {
        return topology.hostInterface();
    }

    /** The TTLs of the silent routers, ascending. */
    public List<Integer> silentHops() {
        return settings.silent();
    }

    /**
     * What a correct trace shows at this TTL: the router's address on its link toward the host (the
     * source of its Time Exceeded), empty for a silent router, {@link #destination()} at
     * {@code ttl == hops()}, empty beyond.
     *
     * @throws IllegalArgumentException if {@code ttl < 1}
     * @throws IllegalStateException at the TTL of an ECMP diamond, which has several: see {@link
     * #expectedResponders(int)}
     */
    public Optional<InetAddress> expectedResponder(int ttl) {
        return topology.expectedResponder(ttl, false);
    }

    /** {@link #expectedResponder(int)} for every TTL: index 0 is TTL 1, the last is the destination. */
    public List<Optional<InetAddress>> expectedPath() {
        return topology.expectedPath(false);
    }

    /**
     * Every address that may answer a probe expiring at this TTL: one router (a chain), all
     * {@code width} middle routers at the TTL of an ECMP diamond, none for silent routers and beyond
     * the destination, the destination at {@code hops()}.
     */
    public Set<InetAddress> expectedResponders(int ttl) {
        return topology.expectedResponders(ttl, false);
    }

    /** {@link #expectedResponder(int)} over IPv6 ({@link Builder#ipv6()}). */
    public Optional<InetAddress> expectedResponder6(int ttl) {
        requireIpv6();
        return topology.expectedResponder(ttl, true);
    }

    /**
     * {@link #expectedPath()} over IPv6 ({@link Builder#ipv6()}): link addresses 2001:db8:1:i::2, the destination
     * 2001:db8:100::1.
     */
    public List<Optional<InetAddress>> expectedPath6() {
        requireIpv6();
        return topology.expectedPath(true);
    }

    /** {@link #expectedResponders(int)} over IPv6 ({@link Builder#ipv6()}). */
    public Set<InetAddress> expectedResponders6(int ttl) {
        requireIpv6();
        return topology.expectedResponders(ttl, true);
    }

    /** The TTL of the ECMP diamond's middle routers (of an {@link EcmpFabric}'s first layer), if the lab has one. */
    public OptionalInt ecmpTtl() {
        return settings.ecmpTtl() == 0 ? OptionalInt.empty() : OptionalInt.of(settings.ecmpTtl());
    }

    /**
     * The lab's load-balanced part ({@link Builder#ecmp}, {@link Builder#fabric}), if it has one; its first layer is at
     * {@link #ecmpTtl()}.
     */
    public Optional<EcmpFabric> fabric() {
        return Optional.ofNullable(settings.ecmpFabric());
    }

    /**
     * A link a complete multipath discovery reports: a packet toward the destination that {@code from}
     * answers at {@code ttl} can be answered by {@code to} at {@code ttl + 1}.
     *
     * @param ttl the TTL of {@code from}
     * @param from the near node's answering address
     * @param to the far node's answering address (the destination's at the last TTL)
     */
    public record ExpectedLink(int ttl, InetAddress from, InetAddress to) {}

    /**
     * Every link between answering nodes at successive TTLs, from TTL 1 to the destination, by TTL:
     * with {@link #expectedResponders(int)} the whole topology a multipath discovery must find (a
     * chain has one link per TTL; a diamond of width N has N links into and N out of its middle
     * routers). Links to or from silent routers are left out.
     */
    public List<ExpectedLink> expectedLinks() {
        return topology.expectedLinks(false);
    }

    /** {@link #expectedLinks()} over IPv6 ({@link Builder#ipv6()}). */
    public List<ExpectedLink> expectedLinks6() {
        requireIpv6();
        return topology.expectedLinks(true);
    }

    /** The NAT router, if the lab has one ({@link Builder#natAt(int, NatKind)}). */
    public Optional<NatRouter> nat() {
        int hop = settings.natHop();
        NatKind kind = settings.natKind();
        if (hop == 0 || kind == null) {
            return Optional.empty();
        }
        return Optional.of(new NatRouter(hop, kind, topology.namespace(hop), ChainTopology.UPLINK,
                Addressing.inet(topology.up(hop)), hop == 1 ? Addressing.INSIDE_HOME_NET : Addressing.INSIDE_CGNAT_NET,
                ChainTopology.DOWNLINK, Addressing.inet(topology.down(hop))));
    }

    /** The TTL of the router that rejects UDP ({@link Builder#rejectUdpAt(int)}), if any. */
    public OptionalInt udpRejectedAt() {
        return settings.rejectUdpHop() == 0 ? OptionalInt.empty() : OptionalInt.of(settings.rejectUdpHop());
    }

    /** The TCP port the destination listens on ({@link Builder#tcpListener(int)}), if any. */
    public OptionalInt tcpListenPort() {
        return settings.tcpListenPort() == 0 ? OptionalInt.empty() : OptionalInt.of(settings.tcpListenPort());
    }

    /**
     * Switches the limit on new TCP connections ({@link Builder#limitNewTcpConnections(int, int, int)}) off, or
     * on again with a full burst and its counter at 0: the same lab with and without SYN-flood protection.
     *
     * @param active whether new connections are limited from now on
     * @throws IllegalStateException if the lab was built without the limit
     */
    public void newTcpConnectionLimit(boolean active) {
        NewConnectionLimit limit = newConnectionLimit;
        if (limit == null) {
            throw new IllegalStateException("this lab was built without limitNewTcpConnections(...)");
        }
        if (active) {
            limit.on(this);
        } else {
            limit.off(this);
        }
    }

    /**
     * {@return the packets of new TCP connections the limiting router dropped since the limit was last
     * switched on ({@link Builder#limitNewTcpConnections(int, int, int)}); 0 while it is off}
     *
     * @throws IllegalStateException if the lab was built without the limit
     */
    public long newTcpConnectionsDropped() {
        NewConnectionLimit limit = newConnectionLimit;
        if (limit == null) {
            throw new IllegalStateException("this lab was built without limitNewTcpConnections(...)");
        }
        return limit.dropped(this);
    }

    /**
     * One connection the destination's TCP service held ({@link Builder#tcpService(int)}) and the other end
     * ended.
     *
     * @param bytesReceived the bytes the service read from it: what the destination's kernel delivered
     * @param reset whether it ended with a RST (else with a FIN: an orderly close)
     */
    public record ServedConnection(long bytesReceived, boolean reset) {}

    /**
     * {@return every connection the destination's TCP service ({@link Builder#tcpService(int)}) held that the
     * other end has ended so far, in order} The service learns of an end when it reads it, a moment after the
     * FIN or RST arrived: a caller waits for the count it expects.
     *
     * @throws IllegalStateException if the lab has no TCP service
     */
    public List<ServedConnection> tcpServiceConnections() {
        for (AutoCloseable a : attachments) {
            if (a instanceof TcpListener l && holdTcpConnections) {
                return l.endedConnections();
            }
        }
        throw new IllegalStateException("this lab has no TCP service (Builder.tcpService)");
    }

    /** {@return the router that limits new TCP connections ({@link Builder#limitNewTcpConnections}), if any} */
    public OptionalInt newTcpConnectionLimitHop() {
        NewConnectionLimit limit = newConnectionLimit;
        return limit == null ? OptionalInt.empty() : OptionalInt.of(limit.ttl());
    }

    /** The bottleneck ({@link Builder#bottleneck(int, long, Duration)}), if any. */
    public Optional<Bottleneck> bottleneck() {
        return Optional.ofNullable(settings.bottleneck());
    }

    /** The separate TCP path ({@link Builder#separateLoadPath(long, Duration)}), if any. */
    public Optional<SeparatePath> separatePath() {
        return Optional.ofNullable(settings.separatePath());
    }

    /**
     * The loss and duplication the lab applies ({@link Builder#dropToDestination(double)} and the like); all zero if
     * none.
     */
    public Impairments impairments() {
        return settings.impairments();
    }

    /**
     * The DNS server ({@link Builder#dnsServer()}), if the lab has one: {@link #destination()} port
     * 53 (UDP and TCP). In an {@link Builder#ipv6()} lab it listens on {@link #destination6()} port 53 too.
     */
    public Optional<InetSocketAddress> dnsServer() {
        return settings.dnsServer() ? Optional.of(new InetSocketAddress(dnsAddresses().get(0), DnsServer.PORT))
                : Optional.empty();
    }

    /**
     * The DNS server itself ({@link Builder#dnsServer()}), if the lab has one: its query log
     * ({@link DnsServer#queries()}, {@link DnsServer#clearQueries()}), {@link DnsServer#stop()} and
     * {@link DnsServer#start()}.
     */
    public Optional<DnsServer> dns() {
        return Optional.ofNullable(dns);
    }

    /**
     * The addresses the DNS server listens on: the destination's, or in a home lab the ISP resolver's 198.18.53.53 (and
     * 2001:db8:1:53::53).
     */
    private List<InetAddress> dnsAddresses() {
        if (settings.home() != null) {
            InetAddress resolver = Addressing.inet(HomePlan.parse(HomePlan.DNS_ADDRESS));
            return settings.ipv6() ? List.of(resolver, Addressing.inet6(HomePlan.DNS_ADDRESS6)) : List.of(resolver);
        }
        return settings.ipv6() ? List.of(destination(), destination6()) : List.of(destination());
    }

    /**
     * The Team-Cymru-style TXT records the lab's DNS server serves, name to text: in a {@link #home}
     * lab {@code <d.c.b.a>.origin.asn.cymru.com} ("64500 | 198.18.0.0/16 | ZZ | lab | 2024-01-01")
     * for each address of {@link #dnsRecords()} in an AS, {@code <32 nibbles>.origin6.asn.cymru.com}
     * for each IPv6 one, and {@code AS<n>.asn.cymru.com} ("64500 | ZZ | lab | 2024-01-01 | LAB-ISP, ZZ")
     * for 64500, 64501 and 64510. RFC 1918 and CGNAT addresses have none (NXDOMAIN), as with Team
     * Cymru. Empty in other labs.
     */
    public Map<String, String> dnsTxtRecords() {
        HomePlan home = settings.home();
        return home == null ? Map.of() : java.util.Collections.unmodifiableMap(home.txtRecords(settings.ipv6()));
    }

    /**
     * coturn ({@link Builder#stunServer()}): {@link #destination()} port 3478 (UDP and TCP), if the
     * lab has it.
     */
    public Optional<InetSocketAddress> stunServer() {
        return settings.stunServer() ? Optional.of(new InetSocketAddress(destination(),
                StunServer.PORT)) : Optional.empty();
    }

    /** coturn on {@link #destination6()} port 3478 in a dual-stack lab with {@link Builder#stunServer()}. */
    public Optional<InetSocketAddress> stunServer6() {
        return settings.stunServer() && settings.ipv6()
                ? Optional.of(new InetSocketAddress(destination6(), StunServer.PORT))
                : Optional.empty();
    }

    /**
     * A UDP server at {@link #destination()} port 3490 that answers every datagram with 32 bytes of junk ({@link
     * Builder#stunServer()}).
     */
    public Optional<InetSocketAddress> junkStunServer() {
        return settings.stunServer() ? Optional.of(new InetSocketAddress(destination(), StunServer.JUNK_PORT))
                : Optional.empty();
    }

    /**
     * A UDP server at {@link #destination()} port 3491 that reads every datagram and never answers ({@link
     * Builder#stunServer()}).
     */
    public Optional<InetSocketAddress> silentStunServer() {
        return settings.stunServer() ? Optional.of(new InetSocketAddress(destination(), StunServer.SILENT_PORT))
                : Optional.empty();
    }

    /**
     * What the lab's DNS server ({@link Builder#dnsServer()}) answers, name (lower case, no final
     * dot) to addresses; every name is under {@value #DNS_ZONE}. {@link #DESTINATION_NAME} is
     * {@link #destination()} (and {@link #destination6()}), {@code host.lab.example} the host's
     * address ({@link #hostAddress()}, {@link #hostAddress6()}), {@code r<ttl>.lab.example} each
     * router's address on its link toward the host (silent ones too), {@code r<ttl>b<k>.lab.example}
     * the middle routers of an ECMP diamond. Each address also has a PTR record for its name
     * (several names for one address: the first). Any other name under {@value #DNS_ZONE} (e.g.
     * {@link #DNS_UNKNOWN_NAME}) is NXDOMAIN. Computed whether or not the lab runs the server.
     */
    public Map<String, List<InetAddress>> dnsRecords() {
        HomePlan home = settings.home();
        if (home != null) {
            return java.util.Collections.unmodifiableMap(home.records(settings.ipv6()));
        }
        Map<String, List<InetAddress>> records = new LinkedHashMap<>();
        records.put(DESTINATION_NAME, settings.ipv6() ? List.of(destination(), destination6())
                : List.of(destination()));
        records.put("host." + DNS_ZONE,
                settings.ipv6() ? List.of(hostAddress(), hostAddress6()) : List.of(hostAddress()));
        for (int ttl = 1; ttl < hops(); ttl++) {
            List<Integer> nodes = topology.nodesAt(ttl);
            for (int i = 0; i < nodes.size(); i++) {
                int node = nodes.get(i);
                String label = "r" + ttl + (nodes.size() > 1 ? "b" + (i + 1) : "");
                InetAddress v4 = Addressing.inet(topology.up(node));
                records.put(label + "." + DNS_ZONE, settings.ipv6()
                        ? List.of(v4, Addressing.inet6(topology.up6(node))) : List.of(v4));
            }
        }
        return java.util.Collections.unmodifiableMap(records);
    }

    /**
     * The HTTP server's port ({@link Builder#httpServer(int)}), if the lab has one; it listens on {@link
     * #destination()}.
     */
    public OptionalInt httpPort() {
        return settings.httpPort() == 0 ? OptionalInt.empty() : OptionalInt.of(settings.httpPort());
    }

    /**
     * {@code http://198.19.0.1:<port>/<path>} for the lab's HTTP server ({@link Builder#httpServer(int)}).
     *
     * @throws IllegalStateException if the lab has no HTTP server
     */
    public URI httpUri(String path) {
        if (settings.httpPort() == 0) {
            throw new IllegalStateException("lab " + name
                    + " has no HTTP server: build it with Lab.Builder.httpServer(port)");
        }
        return URI.create("http://" + destination().getHostAddress() + ":" + settings.httpPort()
                + (path.startsWith("/") ? "" : "/") + path);
    }

    /**
     * Starts pathprobe's responsiveness server ({@value LabResponsivenessServer#MAIN_CLASS}) in the
     * destination's namespace on {@link #destination()} and this port, and returns its configuration
     * URL ({@code https://198.19.0.1:<port>/.well-known/nq}; {@code http://} if not {@code tls}) once
     * it is ready. It runs in a JVM with this JVM's class path (which must have pathprobe's core on it)
     * and is stopped by {@link #close()}. TLS uses a self-signed certificate: clients need "insecure".
     *
     * @throws LabException if it does not start (the message has what it printed)
     */
    public URI responsivenessServer(int port, boolean tls) {
        return responsivenessServer(port, tls ? LabResponsivenessServer.Mode.TLS : LabResponsivenessServer.Mode.PLAIN)
                .configUrl();
    }

    /**
     * {@link #responsivenessServer(int, boolean)} in any {@link LabResponsivenessServer.Mode} (HTTP/1.1
     * only, plain), returning its handle: {@link LabResponsivenessServer#close()} stops it earlier
     * than the lab does.
     */
    public LabResponsivenessServer responsivenessServer(int port, LabResponsivenessServer.Mode mode) {
        return responsivenessServer(port, mode, LabResponsivenessServer.DEFAULT_NICE);
    }

    /**
     * {@link #responsivenessServer(int, LabResponsivenessServer.Mode)} at this niceness ({@code nice -n};
     * {@value LabResponsivenessServer#DEFAULT_NICE} by default, so that the server, which shares this
     * machine's CPUs with the client under test, does not delay the client's probes). A benchmark that
     * needs the server to keep up with a fast link on few CPUs gives it 0.
     *
     * @param nice -20..19
     * @throws IllegalArgumentException if {@code port} or {@code nice} is out of range
     */
    public LabResponsivenessServer responsivenessServer(int port, LabResponsivenessServer.Mode mode, int nice) {
        java.util.Objects.requireNonNull(mode, "mode");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, was " + port);
        }
        if (nice < -20 || nice > 19) {
            throw new IllegalArgumentException("nice must be -20..19, was " + nice);
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("lab " + name + " is closed");
            }
        }
        LabResponsivenessServer server = LabResponsivenessServer.start(topology.namespace(topology.hops()),
                destination().getHostAddress(), port, mode, nice, COMMAND_TIMEOUT);
        attachments.add(server);
        return server;
    }

    /**
     * Starts an iperf3 server ({@code iperf3 -s -1 -B 198.19.0.1 -p <port>}: one test, then it exits)
     * in the destination's namespace and returns once it listens; stopped by {@link #close()} if it
     * is still running. Run the client with {@link Iperf3#client}.
     */
    public Iperf3.Server iperf3Server(int port) {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("lab " + name + " is closed");
            }
        }
        Iperf3.Server server = Iperf3.Server.start(this, topology.hops(), destination(), port);
        attachments.add(server);
        return server;
    }

    private void requireIpv6() {
        if (!settings.ipv6()) {
            throw new IllegalStateException("lab " + name + " has no IPv6: build it with Lab.Builder.ipv6()");
        }
    }

    /**
     * An address in 198.18.0.0/15 (198.18.255.1) that the host routes to router 1, which has no route
     * for it and answers ICMP network unreachable (code 0; traceroute shows {@code !N}) from its
     * address on link 0. With {@code hops == 1} there is no router: the destination forwards instead
     * (ip_forward=1) and plays router 1's part, answering from its address on link 0, 198.18.0.2.
     *
     * <p>The kernel limits these answers per source with a token bucket that holds 5 (global
     * {@code net.ipv4.route.error_burst}/{@code error_cost}, not settable per lab) and that, unless
     * {@link Builder#icmpUnlimited(String)} is set, is shared with the ICMP rate limit: a fresh lab answers
     * the first two such probes at once, then about one every two seconds.
     */
    public InetAddress unroutedAddress() {
        return Addressing.inet(Addressing.UNROUTED);
    }

    /** The name of the host's network namespace; "" when the host is the calling namespace. */
    public String hostNamespace() {
        return topology.namespace(0);
    }

    /**
     * The network namespace of the node at this TTL: 0 is the host ({@link #hostNamespace()}),
     * 1..hops-1 the routers, {@code hops()} the destination.
     */
    public String namespace(int ttl) {
        List<Integer> nodes = topology.nodesAt(ttl);
        if (nodes.size() > 1) {
            throw new IllegalArgumentException("TTL " + ttl + " has " + nodes.size()
                    + " routers (an ECMP diamond): use "
                    + "namespaces(ttl) or namespace(ttl, branch)");
        }
        return topology.namespace(nodes.get(0));
    }

    /** The namespaces of every node at this TTL: one, or each middle router of a diamond (branch 1 first). */
    public List<String> namespaces(int ttl) {
        return topology.nodesAt(ttl).stream().map(topology::namespace).toList();
    }

    /**
     * The namespace of middle router {@code branch} (1..width) of the ECMP diamond at {@code ttl}.
     *
     * @throws IllegalArgumentException if there is no such router
     */
    public String namespace(int ttl, int branch) {
        List<Integer> nodes = topology.nodesAt(ttl);
        if (branch < 1 || branch > nodes.size() || nodes.size() == 1) {
            throw new IllegalArgumentException("no branch " + branch + " at TTL " + ttl);
        }
        return topology.namespace(nodes.get(branch - 1));
    }

    /**
     * A process builder that runs {@code command} in the host namespace: through
     * {@code ip netns exec <host>}, or directly when the host is the calling namespace.
     *
     * @throws IllegalStateException if the lab is closed
     */
    public ProcessBuilder command(List<String> command) {
        return command(0, command);
    }

    /**
     * A process builder that runs {@code command} in the namespace of the node at this TTL (see
     * {@link #namespace(int)}), e.g. to read a router's sysctl or watch its counters.
     *
     * @throws IllegalStateException if the lab is closed
     */
    public ProcessBuilder command(int ttl, List<String> command) {
        topology.checkNode(ttl);
        return commandIn(namespace(ttl), command);
    }

    /** {@link #command(int, List)} in middle router {@code branch} of the ECMP diamond at {@code ttl}. */
    public ProcessBuilder command(int ttl, int branch, List<String> command) {
        return commandIn(namespace(ttl, branch), command);
    }

    /** A process builder that runs {@code command} in one of the lab's namespaces ("" = the calling one). */
    ProcessBuilder commandIn(String ns, List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("lab " + name + " is closed");
            }
        }
        List<String> full = new ArrayList<>();
        if (!ns.isEmpty()) {
            full.addAll(List.of("ip", "netns", "exec", ns));
        }
        full.addAll(command);
        return new ProcessBuilder(full);
    }

    /**
     * A command that runs {@code mainClass} with {@code args} in a new JVM like this one: this JVM's
     * {@code java} ({@code java.home}), {@code --enable-native-access=ALL-UNNAMED} on JDK 22 and later,
     * and this JVM's class path. Give it to {@link #command(List)} to run the program inside the lab:
     * {@code lab.command(Lab.javaCommand(Main.class, "trace", "198.19.0.1")).inheritIO().start()}.
     */
    public static List<String> javaCommand(Class<?> mainClass, String... args) {
        return javaCommand(List.of(), mainClass, args);
    }

    /** {@link #javaCommand(Class, String...)} with JVM options (e.g. {@code -Xmx64m}) before the class path. */
    public static List<String> javaCommand(List<String> jvmOptions, Class<?> mainClass, String... args) {
        return javaCommand(System.getProperty("java.class.path"), jvmOptions, mainClass.getName(), List.of(args));
    }

    /**
     * {@code java [--enable-native-access=ALL-UNNAMED] <jvmOptions> -cp <classPath> <mainClass> <args>}
     * with this JVM's java.
     */
    static List<String> javaCommand(String classPath, List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 22) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classPath, mainClass));
        cmd.addAll(args);
        return cmd;
    }

    /**
     * Tears down every namespace and link the lab made, restores the calling namespace's
     * ping_group_range if the lab changed it, and removes the shutdown hook. Idempotent; blocks until
     * the teardown is done.
     *
     * @throws LabException if something could not be removed (the message says what)
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // called from the hook itself
        }
        RuntimeException stopFailure = null;
        for (AutoCloseable a : attachments) {
            try {
                a.close();
            } catch (Exception e) {
                if (stopFailure == null) {
                    stopFailure = new LabException("stopping " + a + " of lab " + name + " failed: " + e, e);
                } else {
                    stopFailure.addSuppressed(e);
                }
            }
        }
        attachments.clear();
        try {
            tearDown();
            if (stopFailure != null) {
                throw stopFailure;
            }
        } finally {
            if (settings.currentNamespace()) {
                CURRENT_NAMESPACE_LAB.compareAndSet(name, null);
            }
        }
    }

    /**
     * Deletes lab namespaces whose building process is no longer alive (a crashed or killed run),
     * and returns how many of them are gone now. Called by every {@link Builder#build()}.
     */
    public static int reapStale() {
        List<String> stale = Namespaces.stale();
        if (stale.isEmpty()) {
            return 0;
        }
        Namespaces.delete(stale, List.of(), COMMAND_TIMEOUT);
        return (int) stale.stream().filter(n -> !Namespaces.exists(n)).count();
    }

    /**
     * Whether this process runs in the machine's root network namespace: {@code /proc/self/ns/net}
     * is the same as {@code /proc/1/ns/net} (or, where pid 1's is unreadable, as kthreadd's). Answers
     * true when it cannot tell: the assumption under which nothing probes the real network.
     */
    public static boolean inRootNetworkNamespace() {
        return Namespaces.isRoot(Namespaces.inode("self"), Namespaces.rootInode());
    }

    /** Refuses to use the calling namespace as the host when it is the root one. */
    static void requireNotRoot(OptionalLong self, OptionalLong root) {
        if (Namespaces.isRoot(self, root)) {
            throw new LabException("inCurrentNamespace() refused: this process is in the root network namespace ("
                    + (self.isPresent() && root.isPresent() ? "net:[" + self.getAsLong() + "]"
                            : "or it cannot be told apart from it")
                    + "), whose routes lead off the machine. Run it in a private namespace (unshare --net, "
                    + "see build/netns) or let the lab create its host namespace and use command()");
        }
    }

    @Override
    public String toString() {
        return "Lab[" + name + ", " + hops() + " hops, silent " + silentHops()
                + (settings.ipv6() ? ", dual-stack" : "")
                + (settings.ecmpTtl() > 0 ? ", ECMP " + settings.ecmpFabric() + " at TTL " + settings.ecmpTtl() + " ("
                        + settings.ecmpHash() + ")" : "")
                + (settings.natHop() > 0 ? ", NAT " + settings.natKind() + " at " + settings.natHop() : "")
                + (settings.rejectUdpHop() > 0 ? ", UDP rejected at " + settings.rejectUdpHop() : "")
                + (settings.tcpListenPort() > 0 ? ", TCP listener on " + settings.tcpListenPort() : "")
                + (settings.impairments().any() ? ", " + settings.impairments() : "")
                + (settings.bottleneck() != null ? ", " + settings.bottleneck() : "")
                + (settings.home() != null ? ", home " + settings.home().options() : "")
                + (settings.separatePath() != null ? ", " + settings.separatePath() : "")
                + (settings.icmpUnlimited() ? ", ICMP unlimited (" + settings.icmpUnlimitedReason() + ")" : "")
                + (settings.dnsServer() ? ", DNS server" : "")
                + (settings.stunServer() ? ", STUN server" : "")
                + (settings.httpPort() > 0 ? ", HTTP server on " + settings.httpPort() : "")
                + (settings.destinationAliases() > 0
                        ? ", " + settings.destinationAliases() + " destination aliases" : "")
                + ", host " + (settings.currentNamespace() ? "the calling namespace" : hostNamespace()) + "]";
    }

    // ---------------------------------------------------------------------------------------------
    // building

    private static Lab create(Settings settings, List<DestinationShape> shapes) {
        return create(settings, shapes, List.of(), false, null);
    }

    private static Lab create(Settings settings, List<DestinationShape> shapes, List<PathMtuShape> mtuShapes,
            boolean holdTcpConnections, @Nullable NewConnectionLimit newConnectionLimit) {
        long pid = ProcessHandle.current().pid();
        Lab lab = new Lab(Namespaces.labName(pid, COUNTER.incrementAndGet()), settings);
        lab.holdTcpConnections = holdTcpConnections;
        lab.newConnectionLimit = newConnectionLimit;
        if (settings.currentNamespace()) {
            requireNotRoot(Namespaces.inode("self"), Namespaces.rootInode());
            String other = CURRENT_NAMESPACE_LAB.compareAndExchange(null, lab.name);
            if (other != null) {
                throw new LabException("lab " + other + " already uses this process's network namespace as its host; "
                        + "close it before building another inCurrentNamespace() lab");
            }
            try {
                checkNoOtherHostInterface();
            } catch (RuntimeException e) {
                CURRENT_NAMESPACE_LAB.compareAndSet(lab.name, null);
                throw e;
            }
        }
        try {
            Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
        } catch (RuntimeException e) {
            CURRENT_NAMESPACE_LAB.compareAndSet(lab.name, null);
            throw new LabException("cannot register the teardown hook (JVM shutting down?)", e);
        }
        try {
            reapStale();
            lab.setUp();
            for (DestinationShape shape : shapes) {
                shape.apply(lab);
            }
            for (PathMtuShape shape : mtuShapes) {
                shape.apply(lab);
            }
            if (newConnectionLimit != null) {
                newConnectionLimit.on(lab);
            }
            return lab;
        } catch (RuntimeException | Error e) {
            try {
                lab.close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private void setUp() {
        String cc = settings.congestionControl();
        boolean ccByRoute = cc != null && !congestionControlAllowed(cc);
        if (ccByRoute && !congestionControlAvailable(cc)) {
            throw new LabException("congestion control '" + cc + "' is not available: this kernel has "
                    + readSysctl(AVAILABLE_CONGESTION_CONTROL) + " (load its module first)");
        }
        LabProvisioner provisioner = new LabProvisioner(topology, settings,
                Files.isDirectory(Path.of("/proc/sys/net/ipv6")),
                ccByRoute);
        // a host interface left by a dead process (checkNoOtherHostInterface made sure) is deleted; so are
        // namespaces of our names, which only a process that had our pid before us (now dead) can have made
        List<String> creation = provisioner.creationBatch(settings.currentNamespace() && hostInterfacePresent(),
                Namespaces::exists);
        String batch = String.join("\n", creation) + "\n";
        Exec.check("creating the namespaces and links of lab " + name, List.of("ip", "-batch", "-"), "ip -batch -",
                batch, batch, COMMAND_TIMEOUT);
        if (settings.currentNamespace()) {
            savedPingGroupRange = readSysctl(PING_GROUP_RANGE);
            writeSysctl(PING_GROUP_RANGE, provisioner.pingGroupRange());
            if (cc != null && !ccByRoute) {
                savedCongestionControl = readSysctl(CONGESTION_CONTROL);
                writeSysctl(CONGESTION_CONTROL, cc);
            }
        }
        if (settings.currentNamespace() && settings.offloadOff()) {
            Exec.check("turning checksum offload off on " + HOST_INTERFACE, List.of("sh", "-c",
                    LabProvisioner.offloadOff(List.of(HOST_INTERFACE))), "ethtool -K " + HOST_INTERFACE + " tx off",
                    null, null, COMMAND_TIMEOUT);
        }
        Map<String, String> listings = configureNodes(provisioner);
        waitForLinks(listings);
        attachNat();
        if (settings.separatePath() != null) {
            attachments.add(SidePath.start(topology.namespace(0), topology.namespace(topology.hops()),
                    hostAddress().getHostAddress(), settings.separatePath(), settings.offloadOff(), COMMAND_TIMEOUT));
        }
        if (ccByRoute) {
            // after every route is in place (the side path's included), before any server listens
            for (int node : topology.labNodes()) {
                Exec.check("setting congestion control " + cc + " on the routes of " + topology.namespace(node),
                        List.of("ip", "netns", "exec", topology.namespace(node), "sh", "-c",
                                LabProvisioner.routeCongestionControl(cc, null)),
                        "ip route change ... congctl " + cc, null, null, COMMAND_TIMEOUT);
            }
            if (settings.currentNamespace()) {
                Exec.check("setting congestion control " + cc + " on the routes through " + HOST_INTERFACE,
                        List.of("sh", "-c", LabProvisioner.routeCongestionControl(cc, HOST_INTERFACE)),
                        "ip route change ... dev " + HOST_INTERFACE + " congctl " + cc, null, null, COMMAND_TIMEOUT);
            }
        }
        if (settings.tcpListenPort() != 0) {
            attachments.add(TcpListener.start(this, topology.namespace(topology.hops()), settings.tcpListenPort(),
                    settings.ipv6(), holdTcpConnections, COMMAND_TIMEOUT));
        }
        if (settings.dnsServer()) {
            HomePlan home = settings.home();
            String ns = topology.namespace(home != null ? home.coreNode() : topology.hops());
            DnsServer server = DnsServer.start(ns, dnsAddresses(), dnsRecords(), dnsTxtRecords(), COMMAND_TIMEOUT);
            dns = server;
            attachments.add(server);
        }
        if (settings.stunServer()) {
            attachments.add(StunServer.start(topology.namespace(topology.hops()),
                    settings.ipv6() ? List.of(destination(), destination6())
                            : List.of(destination()), COMMAND_TIMEOUT));
        }
        if (settings.httpPort() != 0) {
            attachments.add(LabHttpServer.start(topology.namespace(topology.hops()),
                    settings.httpPort(), COMMAND_TIMEOUT));
        }
    }

    /**
     * Starts what a NAT router needs beyond its nftables rules. A {@link NatKind#MASQUERADE} NAT
     * needs nothing more (its rules are in the router's set-up, {@link LabProvisioner#natRules}).
     */
    private void attachNat() {
        Optional<NatRouter> nat = nat();
        if (nat.isEmpty()) {
            return;
        }
        NatRouter n = nat.get();
        switch (n.kind()) {
            case MASQUERADE -> { }
            case QUOTE_PRESERVING -> attachments.add(QuotePreservingNat.start(n.namespace(), n.insideInterface(),
                    n.outsideInterface(), (Inet4Address) hostAddress(), (Inet4Address) n.outsideAddress()));
        }
    }

    /**
     * Configures every lab namespace (sysctls, addresses, routes, nftables) with one process each, a
     * few at a time, and returns each namespace's link listing taken right after.
     */
    private Map<String, String> configureNodes(LabProvisioner provisioner) {
        Map<String, String> listings = new LinkedHashMap<>();
        Exec.parallel(topology.labNodes(), node -> configureNode(provisioner, node)).forEach((node, listing) ->
                listings.put(topology.namespace(node), listing));
        return listings;
    }

    private String configureNode(LabProvisioner provisioner, int node) {
        String ns = topology.namespace(node);
        LabProvisioner.NodeSetUp setUp = provisioner.nodeSetUp(node);
        Exec.Result r = Exec.check("setting up " + topology.describe(node) + " of lab " + name
                + " (namespace " + ns + ")",
                List.of("ip", "netns", "exec", ns, "sh", "-c", setUp.script()),
                "ip netns exec " + ns + " sh -c <set-up script>", null, setUp.ipBatch(), COMMAND_TIMEOUT);
        return r.stdout();
    }

    /**
     * Waits until every veth end can transmit. Of the two ends of a veth pair, the one brought up
     * second can transmit at once; the one brought up first only once the kernel's link-watch worker
     * has handled its carrier change (until then it drops what it is given), and the worker reports
     * the end's operational state UP in the same step. So this polls, with a bounded timeout, the
     * namespaces whose listing still showed an end without carrier or not UP; there is nothing to
     * block on instead. The worker handles those events at once, except (for the operational state
     * only) the second end's when both ends have the same interface index, which it batches to once
     * a second: hence the fixed indexes 2 and 3.
     *
     * <p>The one end whose peer's index the lab cannot choose is router 1's uplink toward
     * {@value #HOST_INTERFACE}; it is brought up second by construction ({@value #HOST_INTERFACE} is
     * up from the creation batch on), so carrier suffices there.
     */
    private void waitForLinks(Map<String, String> listings) {
        Map<String, List<String>> pending = new LinkedHashMap<>();
        listings.forEach((ns, listing) -> {
            List<String> down = linksNotUp(listing, carrierSuffices(ns));
            if (!down.isEmpty()) {
                pending.put(ns, down);
            }
        });
        if (settings.currentNamespace()) {
            pending.put("", List.of(HOST_INTERFACE)); // brought up before its peer was
        }
        long deadline = System.nanoTime() + LINK_UP_TIMEOUT.toNanos();
        while (!pending.isEmpty()) {
            Map<String, Exec.Result> polled = Exec.parallel(List.copyOf(pending.keySet()), ns -> Exec.run(
                    ns.isEmpty() ? List.of("ip", "-o", "link", "show", "dev", HOST_INTERFACE)
                            : List.of("ip", "-n", ns, "-o", "link", "show"), null, COMMAND_TIMEOUT));
            polled.forEach((ns, r) -> {
                List<String> down = r.ok() ? linksNotUp(r.stdout(), carrierSuffices(ns))
                        : List.of("cannot list: " + r.stderr().strip());
                if (down.isEmpty()) {
                    pending.remove(ns);
                } else {
                    pending.put(ns, down);
                }
            });
            if (pending.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new LabException("links of lab " + name + " did not come up within " + LINK_UP_TIMEOUT
                        + ": " + pending);
            }
            try {
                Thread.sleep(2); // polled: the kernel offers no event to wait on through ip
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LabException("interrupted while waiting for the links of lab " + name, e);
            }
        }
    }

    private String carrierSuffices(String namespace) {
        return topology.carrierSuffices(namespace);
    }

    /**
     * The interfaces (other than lo) of an {@code ip -o link show} listing that are not up yet:
     * without carrier, or (except {@code carrierSuffices}) not in operational state UP.
     */
    static List<String> linksNotUp(String listing, String carrierSuffices) {
        List<String> down = new ArrayList<>();
        for (String line : listing.split("\n")) {
            Matcher m = LINK_LINE.matcher(line);
            if (m.find() && !m.group(1).equals("lo")) {
                boolean carrier = Arrays.asList(m.group(2).split(",")).contains("LOWER_UP");
                if (!carrier || !(m.group(3).equals("UP") || m.group(1).equals(carrierSuffices))) {
                    down.add(m.group(1) + " (" + m.group(3) + ", <" + m.group(2) + ">)");
                }
            }
        }
        return down;
    }

    // ---------------------------------------------------------------------------------------------
    // the calling namespace's host interface

    /** Whether this namespace has a {@value #HOST_INTERFACE} (read from /proc/net/dev: no process). */
    static boolean hostInterfacePresent() {
        try {
            return Files.readAllLines(Path.of("/proc/self/net/dev")).stream()
                    .anyMatch(l -> l.strip().startsWith(HOST_INTERFACE + ":"));
        } catch (IOException e) {
            throw new LabException("cannot read /proc/self/net/dev: " + e, e);
        }
    }

    /**
     * Makes sure no other live lab uses this namespace: a {@value #HOST_INTERFACE} left by a dead
     * process is fine (the creation batch deletes it), one of a live process is not.
     */
    private static void checkNoOtherHostInterface() {
        if (!hostInterfacePresent()) {
            return;
        }
        Exec.Result r = Exec.run(List.of("ip", "-o", "link", "show", "dev", HOST_INTERFACE), null, COMMAND_TIMEOUT);
        Matcher m = ALIAS.matcher(r.stdout());
        String owner = m.find() ? m.group(1) : null;
        OptionalLong pid = owner == null ? OptionalLong.empty() : Namespaces.owner(owner);
        if (pid.isPresent() && !Namespaces.alive(pid.getAsLong())) {
            return;
        }
        throw new LabException("this network namespace already has a lab host interface " + HOST_INTERFACE + " ("
                + (owner == null ? "of unknown owner" : "lab " + owner + ", a live process") + "); close that lab "
                + "first, or delete the interface if it is not a lab's");
    }

    // ---------------------------------------------------------------------------------------------
    // teardown

    private void tearDown() {
        List<String> ours = topology.namespaces().stream()
                .filter(ns -> !ns.isEmpty() && Namespaces.exists(ns)).toList();
        boolean hostInterface = settings.currentNamespace() && hostInterfacePresent();
        LabException failure = null;
        if (!ours.isEmpty() || hostInterface) {
            String batch = LabProvisioner.teardownBatch(ours, hostInterface);
            Exec.Result r = Exec.run(List.of("ip", "-force", "-batch", "-"), batch, COMMAND_TIMEOUT);
            List<String> left = ours.stream().filter(Namespaces::exists).toList();
            boolean interfaceLeft = settings.currentNamespace() && hostInterfacePresent();
            if (!left.isEmpty() || interfaceLeft) {
                failure = new LabException(Exec.failure("tearing down lab " + name + " (left behind: " + left
                        + (interfaceLeft ? " and interface " + HOST_INTERFACE : "") + ")", "ip -force -batch -", r,
                        batch));
            }
        }
        failure = restore(PING_GROUP_RANGE, savedPingGroupRange, failure);
        failure = restore(CONGESTION_CONTROL, savedCongestionControl, failure);
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Writes back a calling-namespace sysctl the lab changed ({@code saved} null: it did not); a failure joins {@code
     * failure}.
     */
    private static @Nullable LabException restore(Path sysctl, @Nullable String saved, @Nullable LabException failure) {
        if (saved == null) {
            return failure;
        }
        try {
            writeSysctl(sysctl, saved);
            return failure;
        } catch (LabException e) {
            if (failure == null) {
                return e;
            }
            failure.addSuppressed(e);
            return failure;
        }
    }

    private void closeOnExit() {
        try {
            close();
        } catch (RuntimeException e) {
            System.err.println("pathprobe lab " + name + ": teardown at JVM exit failed: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // helpers

    /**
     * Whether a namespace may make {@code cc} its default ({@code net.ipv4.tcp_allowed_congestion_control},
     * one list for the whole machine); else the lab sets it on its routes.
     */
    static boolean congestionControlAllowed(String cc) {
        return listed(ALLOWED_CONGESTION_CONTROL, cc);
    }

    /** Whether the kernel has {@code cc} loaded ({@code net.ipv4.tcp_available_congestion_control}). */
    static boolean congestionControlAvailable(String cc) {
        return listed(AVAILABLE_CONGESTION_CONTROL, cc);
    }

    /** Whether the space-separated list sysctl {@code path} names {@code name} (true where it does not exist). */
    private static boolean listed(Path path, String name) {
        return !Files.exists(path) || List.of(readSysctl(path).split("\\s+")).contains(name);
    }

    /**
     * Reads a sysctl in one read(2): the kernel answers a multi-value sysctl only at offset 0, so a
     * reader that reads byte by byte (as {@code Files.readString} does for size-0 files) gets one byte.
     */
    static String readSysctl(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] buf = new byte[4096];
            int n = in.read(buf);
            return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new LabException("cannot read " + path + ": " + e, e);
        }
    }

    private static void writeSysctl(Path path, String value) {
        try {
            Files.writeString(path, value + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new LabException("cannot write '" + value + "' to " + path + ": " + e, e);
        }
    }

    /** What a builder collected; validated as it was set. */
    record Settings(int hops, List<Integer> silent, int icmpRateLimitMillis, @Nullable String icmpUnlimitedReason,
            int pingGroupLow,
            int pingGroupHigh, boolean currentNamespace, Map<Integer, List<String>> injected, boolean ipv6,
            boolean offloadOff, int ecmpTtl, @Nullable EcmpFabric ecmpFabric, @Nullable EcmpHash ecmpHash, int natHop,
            @Nullable NatKind natKind, int rejectUdpHop, int tcpListenPort, @Nullable RateLimit rateLimitedHop,
            Impairments impairments, boolean dnsServer, int httpPort, int destinationAliases,
            @Nullable Bottleneck bottleneck, @Nullable HomePlan home, boolean stunServer,
            @Nullable SeparatePath separatePath, @Nullable String congestionControl,
            @Nullable PerRouterLimit perRouterLimit, boolean destinationLimitedLikeRouters) {
        Settings {
            silent = List.copyOf(silent);
            injected = Map.copyOf(injected);
            java.util.Objects.requireNonNull(impairments, "impairments");
        }

        /** Whether the routers and destination send every ICMP error ({@link Builder#icmpUnlimited(String)}). */
        boolean icmpUnlimited() {
            return icmpUnlimitedReason != null;
        }

        /** A plain chain with defaults for everything else. */
        static Settings chain(int hops, List<Integer> silent, boolean currentNamespace) {
            return new Settings(hops, silent, -1, null, 0, Integer.MAX_VALUE, currentNamespace, Map.of(), false, true,
                    0, null, null, 0, null, 0, 0, null, Impairments.NONE, false, 0, 0, null, null, false,
                    null, null, null, false);
        }

        /** The width of the fabric's first layer (a diamond's width), 0 without one. */
        int ecmpWidth() {
            return ecmpFabric == null ? 0 : ecmpFabric.widths().get(0);
        }

        /** The TTL of the fabric's merging router, 0 without one. */
        int ecmpMergeTtl() {
            return ecmpFabric == null ? 0 : ecmpTtl + ecmpFabric.layers();
        }
    }

    /**
     * The ICMP rate limit of one router ({@link Builder#icmpRateLimitedHop}).
     *
     * @param ttl the router's TTL
     * @param interval {@code net.ipv4.icmp_ratelimit} and {@code net.ipv6.icmp.ratelimit}: the
     *     per-source token bucket's interval (burst 6)
     * @param messagesPerSecond {@code net.ipv4.icmp_msgs_per_sec}, the namespace-wide budget (shared by ICMPv6)
     * @param burst {@code net.ipv4.icmp_msgs_burst}
     */
    public record RateLimit(int ttl, Duration interval, int messagesPerSecond, int burst) {}

    /**
     * The vendor-like ICMP error limit of {@link Builder#icmpRateLimitPerRouter(int, int)}: each
     * router sends at most {@code burst} ICMP errors back to back, then {@code perSecond} per second,
     * whoever they go to.
     *
     * @param perSecond the steady rate, errors per second (at least 1)
     * @param burst the bucket's size, errors (at least 1)
     */
    public record PerRouterLimit(int perSecond, int burst) {
        public PerRouterLimit {
            if (perSecond < 1 || burst < 1) {
                throw new IllegalArgumentException("a per-router ICMP limit needs perSecond >= 1 and burst >= 1, was "
                        + perSecond + "/s burst " + burst);
            }
        }
    }

    /**
     * A bottleneck ({@link Builder#bottleneck(int, long, Duration)}): the router at TTL {@code hop}
     * sends toward the destination at most {@code bitsPerSecond}, and queues what exceeds it for up
     * to {@code queue} (a Linux {@code tbf} qdisc on its {@value ChainTopology#DOWNLINK} interface).
     *
     * @param hop the router's TTL
     * @param bitsPerSecond the rate, link-layer bits (Ethernet header included)
     * @param queue the longest a packet waits once the token bucket is empty: the queue holds
     *     {@link #queueBytes()}; what does not fit is dropped
     * @param bothWays whether the same tbf shapes the router's {@value ChainTopology#UPLINK} (toward
     *     the host) too ({@link Builder#bottleneckBothWays})
     */
    public record Bottleneck(int hop, long bitsPerSecond, Duration queue, boolean bothWays) {
        /** The least queue and burst: one full-size Ethernet frame and some. */
        static final long MIN_BYTES = 1600;

        /** A bottleneck toward the destination only ({@link Builder#bottleneck(int, long, Duration)}). */
        public Bottleneck(int hop, long bitsPerSecond, Duration queue) {
            this(hop, bitsPerSecond, queue, false);
        }

        /** The tbf queue limit: {@code rate × queue} in bytes, at least {@value #MIN_BYTES}. */
        public long queueBytes() {
            long bytes = java.math.BigInteger.valueOf(bitsPerSecond)
                    .multiply(java.math.BigInteger.valueOf(queue.toNanos()))
                    .divide(java.math.BigInteger.valueOf(8_000_000_000L)).longValue();
            return Math.max(MIN_BYTES, bytes);
        }

        /**
         * The tbf bucket: what passes at once before the rate applies, {@value #MIN_BYTES} bytes
         * (one frame) or 10 ms at the rate if more (so the timer resolution does not cap the rate).
         */
        public long burstBytes() {
            return Math.max(MIN_BYTES, bitsPerSecond / 800);
        }

        /** The {@code tc} arguments that install it on {@code device}. */
        List<String> tcCommand(String device) {
            return List.of("tc", "qdisc", "replace", "dev", device, "root", "tbf", "rate", bitsPerSecond + "bit",
                    "burst", Long.toString(burstBytes()), "limit", Long.toString(queueBytes()));
        }

        @Override
        public String toString() {
            return "bottleneck at " + hop + (bothWays ? " (both ways)" : "") + ": " + bitsPerSecond + " bit/s, queue "
                    + queue.toMillis() + " ms (" + queueBytes() + " bytes)";
        }
    }

    /**
     * The separate TCP path of {@link Builder#separateLoadPath(long, Duration)}: a direct link between
     * the host and the destination, shaped both ways with this rate and queue.
     */
    public record SeparatePath(long bitsPerSecond, Duration queue) {
        /** The tbf of each end, as a bottleneck's ({@link Bottleneck#tcCommand}). */
        Bottleneck shape() {
            return new Bottleneck(0, bitsPerSecond, queue);
        }

        @Override
        public String toString() {
            return "separate TCP path " + bitsPerSecond + " bit/s, queue " + queue.toMillis() + " ms";
        }
    }

    /**
     * The loss and duplication of a lab, in percent (0 = none); see the {@link Builder} methods of the same names.
     *
     * @param dropToDestination {@link Builder#dropToDestination(double)}
     * @param dropFromDestination {@link Builder#dropFromDestination(double)}
     * @param dropRouterTtl the TTL of {@link Builder#dropAtRouter(int, double)} (or
     *     {@link Builder#dropAtBranch(int, int, double)}), 0 for none
     * @param dropAtRouter its percentage
     * @param duplicateFromDestination {@link Builder#duplicateFromDestination(double)}
     * @param dropRouterBranch the branch of {@link Builder#dropAtBranch(int, int, double)}, 0 for every
     *     router at {@code dropRouterTtl}
     */
    public record Impairments(double dropToDestination, double dropFromDestination, int dropRouterTtl,
            double dropAtRouter, double duplicateFromDestination, int dropRouterBranch) {
        /** No loss, no duplication. */
        public static final Impairments NONE = new Impairments(0, 0, 0, 0, 0);

        /** Impairments without a branch: the router loss, if any, is at every router of its TTL. */
        public Impairments(double dropToDestination, double dropFromDestination, int dropRouterTtl, double dropAtRouter,
                double duplicateFromDestination) {
            this(dropToDestination, dropFromDestination, dropRouterTtl, dropAtRouter, duplicateFromDestination, 0);
        }

        /** Whether any is set. */
        public boolean any() {
            return !equals(NONE);
        }

        @Override
        public String toString() {
            List<String> parts = new ArrayList<>();
            if (dropToDestination > 0) {
                parts.add(dropToDestination + " % dropped toward the destination");
            }
            if (dropFromDestination > 0) {
                parts.add(dropFromDestination + " % dropped from the destination");
            }
            if (dropRouterTtl > 0) {
                parts.add(dropAtRouter + " % dropped at router " + dropRouterTtl
                        + (dropRouterBranch > 0 ? " branch " + dropRouterBranch : ""));
            }
            if (duplicateFromDestination > 0) {
                parts.add(duplicateFromDestination + " % duplicated from the destination");
            }
            return parts.isEmpty() ? "no loss" : String.join(", ", parts);
        }
    }

    /**
     * Describes a lab; {@link #build()} makes it. Each option may be set once (a second call fails,
     * so a configuration mistake shows at once). Not thread-safe; one builder may build several labs.
     */
    public static final class Builder {
        private final int hops;
        private @Nullable List<Integer> silent;
        private int icmpRateLimitMillis = -1;
        private @Nullable String icmpUnlimitedReason;
        private int pingGroupLow = -1;
        private int pingGroupHigh = -1;
        private boolean currentNamespace;
        private final Map<Integer, List<String>> injected = new HashMap<>();
        /** DNAT'd, anycast, answering from another address: applied once the lab is built. */
        private final List<DestinationShape> shapes = new ArrayList<>();
        /** Link MTUs and MTU black holes: applied once the lab is built. */
        private final List<PathMtuShape> mtuShapes = new ArrayList<>();
        private boolean ipv6;
        private boolean keepOffload;
        private int ecmpTtl;
        private @Nullable EcmpFabric ecmpFabric;
        private int dropRouterBranch;
        private @Nullable EcmpHash ecmpHash;
        private int natHop;
        private @Nullable NatKind natKind;
        private int rejectUdpHop;
        private int tcpListenPort;
        private @Nullable RateLimit rateLimited;
        private double dropTo;
        private double dropFrom;
        private int dropRouterTtl;
        private double dropAtRouter;
        private double duplicate;
        private boolean dnsServer;
        private int httpPort;
        private int destinationAliases;
        private @Nullable Bottleneck bottleneck;
        private @Nullable HomePlan home;
        private boolean stunServer;
        private @Nullable SeparatePath separatePath;
        private @Nullable String congestionControl;
        private @Nullable PerRouterLimit perRouterLimit;
        private boolean destinationLimitedLikeRouters;
        private boolean holdTcpConnections;
        private @Nullable NewConnectionLimit newConnectionLimit;

        private Builder(int hops) {
            this.hops = hops;
        }

        /**
         * The routers at these TTLs (1..hops-1) drop the ICMP Time Exceeded they would send (an
         * nftables output rule in that router); traces show {@code *} there. They still forward.
         *
         * @throws IllegalArgumentException if a TTL is not a router's
         */
        public Builder silentHops(int... ttls) {
            requireUnset(silent == null, "silentHops");
            List<Integer> list = new ArrayList<>();
            for (int ttl : ttls) {
                if (ttl < 1 || ttl >= hops) {
                    throw new IllegalArgumentException("silent hop " + ttl
                            + " is not a router's TTL: routers are at 1.."
                            + (hops - 1) + " in a " + hops + "-hop chain");
                }
                if (!list.contains(ttl)) {
                    list.add(ttl);
                }
            }
            list.sort(null);
            silent = list;
            return this;
        }

        /**
         * {@code net.ipv4.icmp_ratelimit} in every router and the destination, in whole milliseconds:
         * the interval of the per-source token bucket (burst 6) for Time Exceeded and Unreachable
         * messages. {@link Duration#ZERO} turns that bucket off; the namespace-wide
         * {@code icmp_msgs_per_sec} budget still applies (see {@link #icmpUnlimited(String)}). Default: the
         * kernel's, 1000 ms. The kernel keeps it in clock ticks, so it reads back rounded to one
         * (250 ms is 252 with HZ=250; multiples of 20 ms are exact for the usual HZ values).
         *
         * @throws IllegalArgumentException if negative or longer than {@link Integer#MAX_VALUE} ms
         */
        public Builder icmpRateLimit(Duration interval) {
            requireUnset(icmpRateLimitMillis < 0, "icmpRateLimit");
            if (interval.isNegative() || interval.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("icmpRateLimit must be 0.." + Integer.MAX_VALUE
                        + " ms, was " + interval);
            }
            icmpRateLimitMillis = (int) interval.toMillis();
            return this;
        }

        /**
         * Routers and the destination send every ICMP error, however fast: {@code net.ipv4.icmp_ratemask=0}
         * exempts all ICMP types from both the per-source limit and the namespace-wide budget. (The kernel's
         * separate, global limit on "no route" errors still applies: see {@link Lab#unroutedAddress()}.)
         *
         * <p>A lab kinder than the Internet hides bugs: its routers keep Linux's default limits unless the
         * caller says why they cannot (say, a test that compares every probe with traceroute's on the same
         * lab, or one that counts an injected fault probe for probe). The reason is part of the lab's
         * description ({@link Lab#toString()}).
         *
         * @param reason why this lab cannot keep the routers' limits
         * @throws IllegalArgumentException if {@code reason} is blank
         * @throws IllegalStateException if set twice or after {@link #icmpRateLimitPerRouter}
         */
        public Builder icmpUnlimited(String reason) {
            java.util.Objects.requireNonNull(reason, "reason");
            if (reason.isBlank()) {
                throw new IllegalArgumentException("icmpUnlimited needs the reason this lab cannot keep the routers' "
                        + "ICMP rate limits");
            }
            requireUnset(icmpUnlimitedReason == null, "icmpUnlimited");
            if (perRouterLimit != null) {
                throw new IllegalStateException("icmpRateLimitPerRouter and icmpUnlimited contradict each other");
            }
            icmpUnlimitedReason = reason.strip();
            return this;
        }

        /**
         * Routers limit their ICMP errors the way common vendor defaults do: a fixed number per
         * second per ROUTER, whoever the errors go to, instead of Linux's per-destination bucket.
         * Each router's namespace gets an nftables output rule that drops the locally generated ICMP
         * and ICMPv6 errors (time exceeded, destination unreachable, parameter problem) beyond
         * {@code limit rate perSecond/second burst burst packets} (one named limit shared by both
         * families), and the kernel's own limits are off there ({@code net.ipv4.icmp_ratemask=0},
         * {@code net.ipv6.icmp.ratelimit=0}) so the shape is the profile's alone: a fresh router
         * answers {@code burst} errors back to back, then {@code perSecond} a second. The
         * destination is a host, not a router: it keeps the kernel's limits (or
         * {@link #icmpRateLimit(Duration)}'s). Echo replies are never limited.
         *
         * @throws IllegalArgumentException if {@code perSecond} or {@code burst} is below 1
         * @throws IllegalStateException if {@link #icmpUnlimited(String)} was set (they contradict each other)
         */
        public Builder icmpRateLimitPerRouter(int perSecond, int burst) {
            requireUnset(perRouterLimit == null, "icmpRateLimitPerRouter");
            if (icmpUnlimitedReason != null) {
                throw new IllegalStateException("icmpRateLimitPerRouter and icmpUnlimited contradict each other");
            }
            perRouterLimit = new PerRouterLimit(perSecond, burst);
            return this;
        }

        /**
         * The destination limits the ICMP errors it sends (its Port Unreachables to UDP probes) with
         * the routers' vendor-like profile of {@link #icmpRateLimitPerRouter(int, int)} instead of the
         * kernel's limits: a host behind a firewall or a load balancer that limits its errors so.
         *
         * @throws IllegalStateException if {@link #icmpRateLimitPerRouter(int, int)} was not set first
         */
        public Builder destinationLimitedLikeTheRouters() {
            requireUnset(!destinationLimitedLikeRouters, "destinationLimitedLikeTheRouters");
            if (perRouterLimit == null) {
                throw new IllegalStateException("destinationLimitedLikeTheRouters needs icmpRateLimitPerRouter first");
            }
            destinationLimitedLikeRouters = true;
            return this;
        }

        /**
         * {@code net.ipv4.ping_group_range} of the host namespace: the groups that may open ICMP
         * datagram ("ping") sockets. Default {@code 0 2147483647}, everyone; {@code (1, 0)} (any
         * {@code hi < lo}) means nobody. With {@link #inCurrentNamespace()} it is written to the
         * calling namespace and restored by {@link Lab#close()}.
         *
         * @throws IllegalArgumentException if a bound is negative
         */
        public Builder hostPingGroupRange(int lo, int hi) {
            requireUnset(pingGroupLow < 0, "hostPingGroupRange");
            if (lo < 0 || hi < 0) {
                throw new IllegalArgumentException("ping group bounds must be 0.." + Integer.MAX_VALUE + ", were " + lo
                        + " " + hi);
            }
            pingGroupLow = lo;
            pingGroupHigh = hi;
            return this;
        }

        /**
         * The probing host is the calling process's own network namespace: the host end of link 0
         * ({@value Lab#HOST_INTERFACE}, 198.18.0.1/30) and the 198.18.0.0/15 route are added here,
         * so this JVM and the processes it starts probe the lab directly. {@link #build()} refuses
         * this in the root network namespace (run the JVM under {@code unshare --net}, as the build's
         * test JVMs are), and while another lab uses this namespace. {@link Lab#close()} removes the
         * interface and route.
         */
        public Builder inCurrentNamespace() {
            requireUnset(!currentNamespace, "inCurrentNamespace");
            currentNamespace = true;
            return this;
        }

        /**
         * Dual stack: every router and the destination get an IPv6 address too (link {@code i} is
         * 2001:db8:1:i::/64, the node toward the host ::1 and the other ::2; the destination is
         * {@link Lab#destination6()} on its loopback; the host routes 2001:db8::/32 to router 1),
         * IPv6 forwarding on, no duplicate address detection (addresses are usable at once), silent
         * hops drop ICMPv6 Time Exceeded too, and the ICMP rate-limit options set
         * {@code net.ipv6.icmp.ratelimit}/{@code ratemask} as well. Without it IPv6 is off in the lab.
         */
        public Builder ipv6() {
            requireUnset(!ipv6, "ipv6");
            ipv6 = true;
            return this;
        }

        /**
         * Leaves transmit checksum offload on on the veths (by default the lab turns it off on every
         * veth end, host end included, with {@code ethtool -K <dev> tx off}: otherwise Linux leaves
         * UDP/TCP checksums partial across veths and routers quote garbage checksums). For tests of
         * that trap only.
         */
        public Builder keepChecksumOffload() {
            requireUnset(!keepOffload, "keepChecksumOffload");
            keepOffload = true;
            return this;
        }

        /**
         * An ECMP diamond: {@code width} parallel routers at TTL {@code ttl}. The router at
         * {@code ttl-1} spreads packets over them by {@code hash}, the router at {@code ttl+1} merges
         * them again (and spreads the return traffic with the kernel's default hash). Each middle
         * router answers from its address on its link toward the branching router, branch {@code k}
         * (1..width) from 198.18.4.{4k-2} (2001:db8:2:k::2); see {@link Lab#expectedResponders(int)}.
         * The branch links are 198.18.4.0/24 (in) and 198.18.5.0/24 (out).
         *
         * @throws IllegalArgumentException unless {@code 2 <= ttl <= hops-2} and {@code 2 <= width <= 16}
         */
        public Builder ecmp(int ttl, int width, EcmpHash hash) {
            if (width < 2 || width > 16) {
                throw new IllegalArgumentException("ECMP width must be 2..16, was " + width);
            }
            return fabric(ttl, EcmpFabric.diamond(width), hash);
        }

        /**
         * A load-balanced part of any layered shape ({@link EcmpFabric}: nested, asymmetric, meshed
         * diamonds): its first layer of routers at TTL {@code ttl}, one layer per TTL; the router at
         * {@code ttl-1} branches, the one at {@code ttl + fabric.layers()} merges. Every router with
         * several successors spreads packets over them by {@code hash} (with {@link EcmpHash#LINUX_L4}
         * its own kernel hash, so routers hash independently of each other only through their
         * different next-hop sets: Linux's hash has no per-router seed, see {@link EcmpHash}). A router
         * answers from its address on its link toward its first predecessor;
         * {@link Lab#expectedResponders(int)} and {@link Lab#expectedLinks()} describe the result.
         * {@link #ecmp(int, int, EcmpHash)} is the one-layer case.
         *
         * @throws IllegalArgumentException unless {@code 2 <= ttl} and the merging router comes before
         *     the destination ({@code ttl + layers <= hops - 1})
         */
        public Builder fabric(int ttl, EcmpFabric fabric, EcmpHash hash) {
            requireUnset(ecmpTtl == 0, "ecmp");
            java.util.Objects.requireNonNull(fabric, "fabric");
            int merge = ttl + fabric.layers();
            if (ttl < 2 || merge > hops - 1) {
                throw new IllegalArgumentException("the diamond's TTL must be 2.." + (hops - 1 - fabric.layers())
                        + " (a router before and after it) for " + fabric + " in a " + hops + "-hop lab, was " + ttl);
            }
            ecmpTtl = ttl;
            ecmpFabric = fabric;
            ecmpHash = java.util.Objects.requireNonNull(hash, "hash");
            return this;
        }

        /**
         * A NAT router at TTL {@code hop}: it translates what leaves its {@value ChainTopology#DOWNLINK}
         * (outside) interface. The links between the host and it are private: 192.168.0.0/30 (host
         * 192.168.0.1, the NAT 192.168.0.2, a home gateway) when {@code hop == 1}; beyond, link
         * {@code i} is 100.64.0.{4i}/30 (a carrier-grade NAT's inside, RFC 6598) and the host routes
         * 100.64.0.0/10 in too. Routers beyond the NAT have no route to the inside. IPv6 is routed
         * through untranslated. {@link Lab#nat()} describes it.
         *
         * @throws IllegalArgumentException unless {@code hop} is a router's TTL before any ECMP diamond's branching
         * router
         */
        public Builder natAt(int hop, NatKind kind) {
            requireUnset(natHop == 0, "natAt");
            requireRouter(hop, "NAT");
            natHop = hop;
            natKind = java.util.Objects.requireNonNull(kind, "kind");
            return this;
        }

        /**
         * A firewall at TTL {@code hop} that ends the path for UDP: nftables in its forward chain
         * rejects UDP arriving from the host side with ICMP administratively prohibited (ICMPv6
         * admin-prohibited; traceroute shows {@code !X}). A UDP probe expiring at {@code hop} still
         * gets Time Exceeded; every UDP probe with a larger TTL gets the reject, from the same
         * router's address: a UDP trace shows that router at {@code hop} and again at {@code hop+1}
         * with {@code !X}, and ends there. ICMP and TCP pass.
         */
        public Builder rejectUdpAt(int hop) {
            requireUnset(rejectUdpHop == 0, "rejectUdpAt");
            requireRouter(hop, "UDP reject");
            rejectUdpHop = hop;
            return this;
        }

        /**
         * A process in the destination's namespace listens on this TCP port (all addresses, IPv6
         * too in an {@link #ipv6()} lab), so a SYN gets a SYN-ACK; without it every port answers
         * RST. It is a {@code perl} one-liner (perl-base, on every Debian), started at build and
         * killed at {@link Lab#close()}; it also exits by itself when the JVM that started it dies
         * (its standard input, a pipe from the JVM, ends).
         */
        public Builder tcpListener(int port) {
            requireUnset(tcpListenPort == 0, "tcpListener");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1..65535, was " + port);
            }
            tcpListenPort = port;
            return this;
        }

        /**
         * Like {@link #tcpListener(int)} ({@link Lab#tcpListenPort()} is this port), but the destination keeps
         * every connection it accepts, reading and discarding what arrives, until the other end closes it
         * (then it closes its side): a service waiting for its client's request, as an HTTP or SSH server
         * does. What a trace inside a connection ({@code TcpMode.IN_CONNECTION}) needs: a listener that closes
         * at once makes the destination reset the connection when the first probe reaches it.
         *
         * @param port the port, 1..65535
         * @return this builder
         */
        public Builder tcpService(int port) {
            tcpListener(port);
            holdTcpConnections = true;
            return this;
        }

        /**
         * SYN-flood protection in front of the destination: router {@code hop}'s nftables forward chain drops
         * the packets of new TCP connections (conntrack state NEW, the SYNs) it would forward toward the
         * destination beyond {@code burst} back to back, then {@code perMinute} a minute ({@code limit rate over
         * N/minute burst B packets drop}), and passes every packet of a connection it knows (ESTABLISHED, and the
         * RELATED ICMP errors), as a stateful firewall does. TCP SYN probes past {@code hop} are dropped once the
         * burst is spent, so a SYN trace loses the hops behind it; a trace inside a connection that got through
         * passes. Probes expiring at {@code hop} are still answered (the TTL check comes before forwarding).
         * {@link Lab#newTcpConnectionLimit(boolean)} switches it off and on again (a full burst),
         * {@link Lab#newTcpConnectionsDropped()} counts what it dropped. A plain chain.
         *
         * @param hop the router, 1..hops-1
         * @param perMinute new connections a minute after the burst, at least 1
         * @param burst new connections let through back to back, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code hop} is not a router or a rate is below 1
         */
        public Builder limitNewTcpConnections(int hop, int perMinute, int burst) {
            requireUnset(newConnectionLimit == null, "limitNewTcpConnections");
            requireRouter(hop, "new TCP connection limit");
            newConnectionLimit = new NewConnectionLimit(hop, perMinute, burst);
            return this;
        }

        /**
         * Random loss on the way in: the destination drops this percentage of the packets addressed to
         * {@link Lab#destination()} (and {@link Lab#destination6()}) that arrive over its link from the
         * host side, each packet independently (nftables {@code numgen random mod 10000 < 100·percent},
         * in its prerouting hook, before anything answers or counts it). That is every kind of probe
         * and request: ICMP echo requests, UDP datagrams (DNS queries included), TCP SYNs and every
         * later TCP segment toward the destination. Nothing it sends is touched, and packets to its link
         * address or from its own namespace are not either. Resolution 0.01 %.
         *
         * @throws IllegalArgumentException unless {@code 0.01 <= percent <= 100}
         */
        public Builder dropToDestination(double percent) {
            requireUnset(dropTo == 0, "dropToDestination");
            dropTo = percent(percent);
            return this;
        }

        /**
         * Random loss on the way back: the destination drops this percentage of the packets it sends
         * from {@link Lab#destination()} (and {@link Lab#destination6()}) toward the host, each packet
         * independently (nftables {@code numgen random}, output hook, priority raw): ICMP echo
         * replies, the port unreachables it answers UDP probes with, SYN-ACKs and RSTs, DNS and HTTP
         * responses. The requests arrive (and are counted by the servers); only the answers are lost.
         * With {@link #duplicateFromDestination(double)} too, what survives this drop is duplicated,
         * and the copy passes the drop again, independently (measured: 50 % drop and 100 %
         * duplication gave 193 of 400 answered, 92 of them twice; expected 200 and 100).
         *
         * @throws IllegalArgumentException unless {@code 0.01 <= percent <= 100}
         */
        public Builder dropFromDestination(double percent) {
            requireUnset(dropFrom == 0, "dropFromDestination");
            dropFrom = percent(percent);
            return this;
        }

        /**
         * Random loss at one router: the router(s) at TTL {@code ttl} drop this percentage of the
         * packets they forward away from the host (arriving on their host-side interface; nftables
         * forward hook), whatever their protocol and destination. Probes that expire at that router
         * are not forwarded and so not dropped (it still answers them with Time Exceeded); what goes
         * beyond it, toward later routers and the destination, is. Answers coming back are not touched.
         *
         * @throws IllegalArgumentException unless {@code ttl} is a router's TTL and {@code 0.01 <= percent <= 100}
         */
        public Builder dropAtRouter(int ttl, double percent) {
            requireUnset(dropRouterTtl == 0, "dropAtRouter");
            requireRouter(ttl, "loss");
            dropAtRouter = percent(percent);
            dropRouterTtl = ttl;
            return this;
        }

        /**
         * {@link #dropAtRouter(int, double)} at one router of an ECMP diamond (of a fabric layer) only:
         * branch {@code branch} (1..width) at TTL {@code ttl} drops this percentage of what it forwards
         * away from the host (nftables {@code numgen random}); the other branches drop nothing. The
         * paths through that branch lose that share end to end (and at every later TTL), the others
         * nothing. Set the fabric ({@link #ecmp}, {@link #fabric}) first.
         *
         * @throws IllegalArgumentException unless {@code ttl} is a fabric layer's TTL with a router
         *     {@code branch} and {@code 0.01 <= percent <= 100}
         * @throws IllegalStateException if no fabric was set yet
         */
        public Builder dropAtBranch(int ttl, int branch, double percent) {
            requireUnset(dropRouterTtl == 0, "dropAtRouter");
            if (ecmpFabric == null) {
                throw new IllegalStateException("dropAtBranch needs the diamond: call ecmp(...) or fabric(...) first");
            }
            int layer = ttl - ecmpTtl;
            if (layer < 0 || layer >= ecmpFabric.layers() || branch < 1 || branch > ecmpFabric.widths().get(layer)
                    || ecmpFabric.widths().get(layer) < 2) {
                throw new IllegalArgumentException("no branch " + branch + " at TTL " + ttl + " in " + ecmpFabric
                        + " at TTL " + ecmpTtl);
            }
            dropAtRouter = percent(percent);
            dropRouterTtl = ttl;
            dropRouterBranch = branch;
            return this;
        }

        /**
         * Every packet the destination sends from {@link Lab#destination()} toward the host is sent
         * twice: {@link #duplicateFromDestination(double)} with 100 %.
         */
        public Builder duplicateFromDestination() {
            return duplicateFromDestination(100);
        }

        /**
         * Duplicated answers: the destination sends this percentage of the packets it sends from
         * {@link Lab#destination()} (and {@link Lab#destination6()}) toward the host twice (nftables
         * {@code dup to <next hop> device "uplink"} in its output hook, after
         * {@link #dropFromDestination(double)}, which the copy then passes too): ICMP echo replies (iputils ping prints
         * {@code (DUP!)}), port unreachables, TCP segments, DNS and HTTP responses. The copy leaves right before the
         * original, with the same content; both cross every router.
         *
         * @throws IllegalArgumentException unless {@code 0.01 <= percent <= 100}
         */
        public Builder duplicateFromDestination(double percent) {
            requireUnset(duplicate == 0, "duplicateFromDestination");
            duplicate = percent(percent);
            return this;
        }

        /**
         * A DNS server ({@link DnsServer}, {@link Lab#dns()}): dnsmasq (Debian package dnsmasq-base)
         * at the destination, on {@link Lab#destination()} port 53, UDP and TCP (and on
         * {@link Lab#destination6()} in an {@link #ipv6()} lab); in a {@link Lab#home} lab the ISP's
         * resolver on the ISP core's loopback, 198.18.53.53 (and 2001:db8:1:53::53). It answers the
         * lab's records ({@link Lab#dnsRecords()}: A, AAAA and the matching PTR; in a home lab also
         * {@link Lab#dnsTxtRecords()}, the Cymru-style origin/AS TXT records) with TTL 300; any other
         * name under {@value Lab#DNS_ZONE}, {@code cymru.com} or the lab's reverse zones is NXDOMAIN
         * with the zone's SOA (negative TTL 60); names under {@link DnsServer#SERVFAIL_ZONE} get
         * SERVFAIL, under {@link DnsServer#TIMEOUT_ZONE} no answer; everything else REFUSED. It reads
         * no resolv.conf or hosts file and has no upstream: nothing it is asked leaves its namespace.
         * Every query is logged ({@link DnsServer#queries()}); it can be stopped and started again.
         * Started at build, stopped at {@link Lab#close()}, and it exits by itself when the JVM that
         * started it dies (a shell wrapper ends it when its standard input, a pipe from the JVM, ends).
         */
        public Builder dnsServer() {
            requireUnset(!dnsServer, "dnsServer");
            dnsServer = true;
            return this;
        }

        /**
         * STUN servers at the destination ({@link Lab#stunServer()}): coturn ({@code turnserver -n
         * --stun-only}, Debian package coturn) on {@link Lab#destination()} port 3478, UDP and TCP (and on
         * {@link Lab#destination6()} in an {@link #ipv6()} lab), plus two UDP responders for clients'
         * error paths: {@link Lab#junkStunServer()} answers every datagram with 32 bytes of junk,
         * {@link Lab#silentStunServer()} never answers. Started at build, stopped at
         * {@link Lab#close()}, gone with the JVM that started them; see {@link StunServer}.
         */
        public Builder stunServer() {
            requireUnset(!stunServer, "stunServer");
            stunServer = true;
            return this;
        }

        /**
         * An HTTP/1.1 server at the destination, on this TCP port of every address (IPv6 too in an
         * {@link #ipv6()} lab): {@code GET /} answers 200 with the 14 bytes {@code "pathprobe lab\n"}
         * ({@link LabHttpServer#ROOT_BODY}),
         * {@code GET /small} 200 with one byte, anything else 404; HEAD works too; keep-alive as
         * HTTP/1.1 has it. It is a JVM ({@code com.sun.net.httpserver}, the lab module's own
         * {@link LabHttpServer}) started at build and stopped at {@link Lab#close()}; it exits by itself
         * when the JVM that started it dies (its standard input, a pipe from that JVM, ends).
         *
         * @throws IllegalArgumentException unless {@code 1 <= port <= 65535}
         */
        public Builder httpServer(int port) {
            requireUnset(httpPort == 0, "httpServer");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1..65535, was " + port);
            }
            httpPort = port;
            return this;
        }

        /**
         * {@code count} more addresses on the destination's loopback, for pinging many targets:
         * {@link Lab#destinationAliases()}, 198.19.1.1 to 198.19.1.250, then 198.19.2.1 and so on
         * (250 per /24). Every router already routes 198.19.0.0/16 to the destination, so they answer
         * like {@link Lab#destination()}. IPv4 only; added in the destination's one {@code ip -batch}.
         *
         * @throws IllegalArgumentException unless {@code 1 <= count <= 10,000}
         */
        public Builder destinationAliases(int count) {
            requireUnset(destinationAliases == 0, "destinationAliases");
            if (count < 1 || count > Addressing.MAX_DESTINATION_ALIASES) {
                throw new IllegalArgumentException("destination aliases must be 1.."
                        + Addressing.MAX_DESTINATION_ALIASES
                        + ", was " + count);
            }
            destinationAliases = count;
            return this;
        }

        /**
         * A bottleneck: the router at TTL {@code hop} forwards toward the destination at most
         * {@code bitsPerSecond} (link-layer bits) and queues the excess for up to {@code queue}; what
         * does not fit is dropped (tail drop). A {@code tc tbf} qdisc on the router's
         * {@value ChainTopology#DOWNLINK} interface ({@link Bottleneck#queueBytes()}: {@code rate × queue},
         * at least 1,600 bytes; {@link Bottleneck#burstBytes()}: 1,600 bytes or 10 ms at the rate pass
         * at once). Only what goes away from the host is shaped (probes, requests, and whatever goes
         * beyond that router); answers coming back are not. So sending faster than the rate makes the
         * round trip grow by up to {@code queue}, then lose packets: at 16 kbit/s and 500 ms, a ping
         * every 10 ms (98-byte frames, 78 kbit/s) sees RTTs climb to about 500 ms within a second and
         * loses most probes after (measured: iputils ping, 60 probes, RTT 0.02 to 490 ms). The lab has
         * no netem; this is how it makes delay. The bufferbloat test's element too.
         *
         * @throws IllegalArgumentException unless {@code hop} is a router's TTL (not a diamond's
         *     branching or middle router), {@code 1,000 <= bitsPerSecond <= 100,000,000,000} and
         *     {@code 0 < queue <= 60 s}
         */
        public Builder bottleneck(int hop, long bitsPerSecond, Duration queue) {
            return bottleneck(hop, bitsPerSecond, queue, false);
        }

        /**
         * A bottleneck in both directions: as {@link #bottleneck(int, long, Duration)}, plus the same
         * tbf (rate and queue) on the router's {@value ChainTopology#UPLINK} interface, so what comes
         * back toward the host (downloads, answers) is shaped and queued too. The bufferbloat lab:
         * {@code bottleneckBothWays(1, 20_000_000, Duration.ofMillis(500))} is a deep queue (a download
         * or an upload with a few TCP flows fills hundreds of ms of it), {@code Duration.ofMillis(5)} a
         * shallow one.
         *
         * @throws IllegalArgumentException as {@link #bottleneck(int, long, Duration)}
         */
        public Builder bottleneckBothWays(int hop, long bitsPerSecond, Duration queue) {
            return bottleneck(hop, bitsPerSecond, queue, true);
        }

        /**
         * The TCP congestion control of the lab's namespaces ({@code net.ipv4.tcp_congestion_control}
         * in every router and the destination, and with {@link #inCurrentNamespace()} in the calling
         * namespace too, restored by {@link Lab#close()}), instead of the one each namespace inherits
         * from the machine. What fills a bottleneck's queue depends on it: a loss-based control
         * ({@code reno}, {@code cubic}) fills a tail-drop queue until it drops, then its flows halve
         * together and fill it again (the classic bufferbloat: the queue saws between about half and
         * all of its depth); a delay-based one ({@code bbr}, the machine's default here) keeps a queue
         * that depends on how and when its flows started, and flows that start while others hold a
         * queue can overflow it and lose heavily. Measured on a 20 Mbit/s, 600 ms lab queue with 7-14
         * download flows added one a second: under bbr the loaded latency read 414-597 ms and the
         * goodput 14.5-18.7 Mbit/s from run to run, under reno 418-565 ms and 18.7-18.8 Mbit/s. A
         * namespace may only make a control its default if the machine allows it
         * ({@code net.ipv4.tcp_allowed_congestion_control}: here {@code reno} and {@code bbr}); any
         * other control the kernel has ({@code tcp_available_congestion_control}, here {@code cubic}
         * too) is set on every route of the lab's namespaces instead ({@code ip route change ...
         * congctl cubic}; with {@link #inCurrentNamespace()}, the calling namespace's routes through
         * {@value Lab#HOST_INTERFACE}), which every TCP connection through them takes at both ends,
         * and the namespaces' defaults are left alone. A control the kernel does not have fails
         * {@link #build()} before anything is made.
         *
         * @throws IllegalArgumentException unless {@code name} is a kernel module name (letters, digits, {@code _})
         */
        public Builder congestionControl(String name) {
            requireUnset(congestionControl == null, "congestionControl");
            java.util.Objects.requireNonNull(name, "name");
            if (!name.matches("[a-z0-9_]{1,15}")) {
                throw new IllegalArgumentException("congestion control must be a name such as reno or bbr, was '" + name
                        + "'");
            }
            congestionControl = name;
            return this;
        }

        private Builder bottleneck(int hop, long bitsPerSecond, Duration queue, boolean bothWays) {
            requireUnset(bottleneck == null, "bottleneck");
            requireRouter(hop, "bottleneck");
            if (bitsPerSecond < 1_000 || bitsPerSecond > 100_000_000_000L) {
                throw new IllegalArgumentException("bottleneck rate must be 1,000 bit/s to 100 Gbit/s, was "
                        + bitsPerSecond);
            }
            java.util.Objects.requireNonNull(queue, "queue");
            if (queue.isNegative() || queue.isZero() || queue.compareTo(Duration.ofSeconds(60)) > 0) {
                throw new IllegalArgumentException("bottleneck queue must be more than 0 and at most 60 s, was "
                        + queue);
            }
            bottleneck = new Bottleneck(hop, bitsPerSecond, queue, bothWays);
            return this;
        }

        /**
         * A separate path for TCP: a second link joins the host and the destination directly
         * (198.18.254.0/30, the host .1 and the destination .2; the host's end is
         * {@value SidePath#HOST_INTERFACE} in the calling namespace, else {@code side}), and both route
         * TCP between them over it by policy ({@code ip rule ... ipproto tcp}: table
         * {@value SidePath#TABLE}) while ICMP and UDP keep the chain. Both ends shape what they send with
         * the same tbf as a bottleneck ({@code bitsPerSecond}, {@code queue}). So a bufferbloat test
         * against a server at the destination loads the side link (its TCP connections and TCP probes
         * see the side link's queue) while its pings to the same address cross the chain, which carries
         * no load: the isolation lab, where any growth of the ping latency under load can only come
         * from the load machinery on the host itself. Not with a NAT; IPv4 only.
         *
         * @throws IllegalArgumentException as {@link #bottleneck(int, long, Duration)} for the rate and queue
         */
        public Builder separateLoadPath(long bitsPerSecond, Duration queue) {
            requireUnset(separatePath == null, "separateLoadPath");
            if (bitsPerSecond < 1_000 || bitsPerSecond > 100_000_000_000L) {
                throw new IllegalArgumentException("separate path rate must be 1,000 bit/s to 100 Gbit/s, was "
                        + bitsPerSecond);
            }
            java.util.Objects.requireNonNull(queue, "queue");
            if (queue.isNegative() || queue.isZero() || queue.compareTo(Duration.ofSeconds(60)) > 0) {
                throw new IllegalArgumentException("separate path queue must be more than 0 and at most 60 s, was "
                        + queue);
            }
            separatePath = new SeparatePath(bitsPerSecond, queue);
            return this;
        }

        private static double percent(double percent) {
            if (!(percent >= 0.01 && percent <= 100)) {
                throw new IllegalArgumentException("percent must be 0.01..100, was " + percent);
            }
            return percent;
        }

        /**
         * The router(s) at TTL {@code ttl} (all middle routers at a diamond's TTL) keep kernel ICMP
         * rate limits, with these values, whatever the other routers have (typically
         * {@link #icmpUnlimited(String)}): {@code icmp_ratelimit} (and IPv6's) = {@code interval},
         * {@code icmp_ratemask} the kernel default, {@code icmp_msgs_per_sec} and
         * {@code icmp_msgs_burst}. For a lab where exactly one hop loses answers (backward loss).
         */
        public Builder icmpRateLimitedHop(int ttl, Duration interval, int messagesPerSecond, int burst) {
            requireUnset(rateLimited == null, "icmpRateLimitedHop");
            if (ttl < 1 || ttl >= hops) {
                throw new IllegalArgumentException("rate-limited hop " + ttl
                        + " is not a router's TTL (1.." + (hops - 1) + ")");
            }
            if (interval.isNegative() || interval.toMillis() > Integer.MAX_VALUE
                    || messagesPerSecond < 0 || burst < 0) {
                throw new IllegalArgumentException("rate limit values must not be negative");
            }
            rateLimited = new RateLimit(ttl, interval, messagesPerSecond, burst);
            return this;
        }

        private void requireRouter(int hop, String what) {
            if (hop < 1 || hop >= hops) {
                throw new IllegalArgumentException(what + " hop " + hop
                        + " is not a router's TTL (1.." + (hops - 1) + ")");
            }
        }

        /**
         * Test hook: an extra {@code ip -batch} line for the node at {@code ttl}, run after its
         * configuration (for the calling-namespace host, in the creation batch).
         */
        Builder injectIpCommand(int ttl, String line) {
            injected.computeIfAbsent(ttl, t -> new ArrayList<>()).add(line);
            return this;
        }

        /**
         * Builds the lab: deletes stale labs of dead processes, then creates, configures and checks
         * every namespace and link. Returns once every link is up.
         *
         * @throws LabException if a step fails (the message names the command and its stderr); the
         *     namespaces and links made so far are removed before it is thrown
         */
        public Lab build() {
            Settings s = settings();
            checkShapes();
            if (!mtuShapes.isEmpty() && (ecmpTtl > 0 || home != null || natHop > 0)) {
                throw new IllegalArgumentException(mtuShapes + ": plain chains only (no ECMP, home or NAT lab)");
            }
            if (newConnectionLimit != null && (ecmpTtl > 0 || home != null || natHop > 0)) {
                throw new IllegalArgumentException(newConnectionLimit
                        + ": plain chains only (no ECMP, home or NAT lab)");
            }
            return create(s, List.copyOf(shapes), List.copyOf(mtuShapes), holdTcpConnections, newConnectionLimit);
        }

        /**
         * The link from router {@code hop} toward the destination (to TTL {@code hop + 1}) gets this MTU, on
         * both its ends, for IPv4 and IPv6: router {@code hop} answers a larger probe that must not be
         * fragmented with Fragmentation Needed / Packet Too Big naming {@code mtu}, as tracepath shows on the
         * line of TTL {@code hop + 1}. A plain chain; may be given for several links.
         *
         * @param hop the router, 1..hops-1
         * @param mtu the link's MTU, 1280..65535 (IPv6 needs 1280 at least)
         * @return this builder
         * @throws IllegalArgumentException if {@code hop} is not a router or {@code mtu} out of range
         */
        public Builder linkMtu(int hop, int mtu) {
            requireRouter(hop, "link MTU");
            if (mtu < 1280 || mtu > 65535) {
                throw new IllegalArgumentException("mtu must be 1280..65535, was " + mtu);
            }
            mtuShapes.add(new PathMtuShape(PathMtuShape.Kind.LINK_MTU, hop, mtu));
            return this;
        }

        /**
         * An MTU black hole at router {@code hop}: nftables in its forward chain drops, without any ICMP,
         * what it would forward away from the host that is larger than {@code bytes} (IP header included)
         * and must not be fragmented (IPv4 with DF; IPv6). Probes expiring at {@code hop} are still
         * answered, and so are smaller ones beyond it; larger ones vanish from TTL {@code hop + 1} on.
         *
         * @param hop the router, 1..hops-1
         * @param bytes the largest packet it forwards, 68..65535
         * @return this builder
         * @throws IllegalArgumentException if {@code hop} is not a router or {@code bytes} out of range
         */
        public Builder mtuBlackHole(int hop, int bytes) {
            requireRouter(hop, "MTU black hole");
            if (bytes < 68 || bytes > 65535) {
                throw new IllegalArgumentException("bytes must be 68..65535, was " + bytes);
            }
            mtuShapes.add(new PathMtuShape(PathMtuShape.Kind.BLACK_HOLE, hop, bytes));
            return this;
        }

        /**
         * Router {@code hop} (1..hops-1) holds the destination address and forwards it with a DNAT
         * (conntrack) to the destination host's own address on its link
         * ({@link Lab#destinationHostAddress()}), as a router forwarding a port to a server behind it
         * does; the destination host stays where it is, at TTL {@code hops()}. Linux un-NATs what
         * comes back, the answers and the ICMP errors of the routers behind the NAT alike: those
         * Time Exceeded come from the destination address, so a tool that stops at the first answer
         * from the target's address stops at {@code hop} or just after, before the destination.
         * IPv4; not with an ECMP diamond at or after {@code hop}.
         */
        public Builder dnatDestination(int hop) {
            requireRouter(hop, "DNAT");
            shapes.add(new DestinationShape(DestinationShape.Kind.DNAT, hop, 0));
            return this;
        }

        /**
         * The destination answers from another address than the traced one: the last router rewrites
         * the source of what the destination sends from {@link Lab#destination()} into the
         * destination host's own address on its link ({@link Lab#destinationHostAddress()}),
         * statelessly (no conntrack), as a host answering from its interface address or a NAT that
         * translates replies only; the quotes inside ICMP errors are left as they are. A tool that
         * waits for an answer from the target's address goes on past the destination. IPv4.
         */
        public Builder destinationAnswersFromOwnAddress() {
            shapes.add(new DestinationShape(DestinationShape.Kind.ANSWERS_FROM_OWN_ADDRESS, hops - 1, 0));
            return this;
        }

        /**
         * An anycast site: the router at {@code ttl} (1..hops-1) holds the destination address too,
         * so it answers as the destination and nothing beyond it is reached. IPv4.
         */
        public Builder anycastSite(int ttl) {
            requireRouter(ttl, "anycast");
            shapes.add(new DestinationShape(DestinationShape.Kind.ANYCAST, ttl, 0));
            return this;
        }

        /**
         * An anycast site inside the ECMP diamond: its middle router {@code branch} (2..width) at
         * {@code ttl} holds the destination address too, so flows hashed to it are answered there and
         * the others at the destination, {@code hops() - ttl} TTLs further. Not branch 1: the routers
         * after the diamond route back to the host through branch 1, which would drop the
         * destination's answers as coming from one of its own addresses. IPv4.
         */
        public Builder anycastSite(int ttl, int branch) {
            if (ecmpTtl == 0 || ttl < ecmpTtl || ttl >= ecmpTtl + ecmpFabric.layers() || branch < 1
                    || branch > ecmpFabric.widths().get(ttl - ecmpTtl)) {
                throw new IllegalArgumentException("no ECMP router " + branch + " at TTL " + ttl);
            }
            if (branch == 1) {
                throw new IllegalArgumentException("an anycast site cannot be branch 1: the answers from beyond the "
                        + "diamond go back through it, and it would drop them as coming from its own address");
            }
            shapes.add(new DestinationShape(DestinationShape.Kind.ANYCAST, ttl, branch));
            return this;
        }

        private void checkShapes() {
            for (DestinationShape shape : shapes) {
                if (ipv6 || home != null || natHop > 0) {
                    throw new IllegalArgumentException(shape
                            + ": IPv4 chains and diamonds only (no ipv6(), home or NAT lab)");
                }
                if (shape.kind() == DestinationShape.Kind.ANYCAST && shape.branch() == 0 && ecmpTtl > 0
                        && shape.ttl() >= ecmpTtl && shape.ttl() < ecmpTtl + ecmpFabric.layers()) {
                    throw new IllegalArgumentException(shape + ": TTL " + shape.ttl() + " is the diamond's: name the "
                            + "branch (anycastSite(ttl, branch))");
                }
                if (shape.kind() == DestinationShape.Kind.DNAT && ecmpTtl > 0
                        && ecmpTtl + ecmpFabric.layers() > shape.ttl()) {
                    throw new IllegalArgumentException(shape + ": the ECMP diamond must come before the DNAT router");
                }
            }
        }

        /** The combinations the lab does not model. */
        private void checkCombination() {
            if (ecmpTtl > 0) {
                if (natHop > 0 && natHop >= ecmpTtl - 1) {
                    throw new IllegalArgumentException("a NAT must come before the ECMP diamond's "
                            + "branching router (TTL "
                            + (ecmpTtl - 1) + "), was at " + natHop);
                }
                if (rejectUdpHop >= ecmpTtl && rejectUdpHop < ecmpTtl + ecmpFabric.layers()) {
                    throw new IllegalArgumentException("the UDP reject cannot be at the diamond's TTL " + rejectUdpHop);
                }
            }
            if (bottleneck != null && ecmpTtl > 0 && (bottleneck.hop() == ecmpTtl - 1 || bottleneck.hop() == ecmpTtl)) {
                throw new IllegalArgumentException("the bottleneck cannot be the diamond's branching "
                        + "or middle router (TTL "
                        + (ecmpTtl - 1) + ", " + ecmpTtl + "), was at " + bottleneck.hop());
            }
            if (separatePath != null && natHop > 0) {
                throw new IllegalArgumentException("a separate load path and a NAT cannot be combined");
            }
            if (natHop > 0 && natHop == rejectUdpHop) {
                throw new IllegalArgumentException("the NAT and the UDP reject cannot be the same router");
            }
            if (httpPort != 0 && httpPort == tcpListenPort) {
                throw new IllegalArgumentException("the HTTP server and the TCP listener cannot share port "
                        + httpPort);
            }
            if (dnsServer && home == null && (tcpListenPort == DnsServer.PORT || httpPort == DnsServer.PORT)) {
                throw new IllegalArgumentException("port " + DnsServer.PORT + " is the DNS server's");
            }
            for (int port : List.of(StunServer.PORT, StunServer.JUNK_PORT, StunServer.SILENT_PORT)) {
                if (stunServer && (tcpListenPort == port || httpPort == port)) {
                    throw new IllegalArgumentException("port " + port + " is the STUN servers'");
                }
            }
            if (home != null && (natHop > 0 || ecmpTtl > 0)) {
                throw new IllegalArgumentException("the home lab has its own NATs and no ECMP diamond");
            }
        }

        /** What was set so far, with the defaults for the rest. */
        Settings settings() {
            Map<Integer, List<String>> copy = new HashMap<>();
            injected.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            checkCombination();
            return new Settings(hops, silent == null ? List.of() : silent, icmpRateLimitMillis,
                    icmpUnlimitedReason, pingGroupLow < 0 ? 0 : pingGroupLow,
                    pingGroupLow < 0 ? Integer.MAX_VALUE : pingGroupHigh, currentNamespace, copy, ipv6, !keepOffload,
                    ecmpTtl, ecmpFabric, ecmpHash, natHop, natKind, rejectUdpHop, tcpListenPort, rateLimited,
                    new Impairments(dropTo, dropFrom, dropRouterTtl, dropAtRouter, duplicate,
                            dropRouterBranch), dnsServer, httpPort,
                    destinationAliases, bottleneck, home, stunServer, separatePath, congestionControl, perRouterLimit,
                    destinationLimitedLikeRouters);
        }

        private static void requireUnset(boolean unset, String option) {
            if (!unset) {
                throw new IllegalStateException(option + " was already set");
            }
        }
    }
}
