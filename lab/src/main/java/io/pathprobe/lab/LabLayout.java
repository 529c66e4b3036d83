package io.pathprobe.lab;

import io.pathprobe.lab.Lab.Bottleneck;
import io.pathprobe.lab.Lab.ExpectedLink;
import io.pathprobe.lab.Lab.Impairments;
import io.pathprobe.lab.Lab.SeparatePath;
import io.pathprobe.lab.middlebox.Middlebox;
import io.pathprobe.lab.namespace.Namespaces;
import io.pathprobe.lab.server.DnsServer;
import io.pathprobe.lab.server.StunServer;
import io.pathprobe.lab.topology.ChainTopology;
import io.pathprobe.lab.topology.EcmpFabric;
import io.pathprobe.lab.topology.HomePlan;
import io.pathprobe.lab.topology.NatRouter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The layout of a {@link Lab}: its hops and addresses, what should answer at each TTL, its links, NAT
 * and ECMP diamond, the addresses and records of its servers, its namespaces and the commands run in
 * them. All of it follows from the lab's settings.
 */
abstract sealed class LabLayout permits Lab {
    final String name;
    final LabSettings settings;
    final ChainTopology topology;
    boolean closed; // guarded by this
    /** The header rewrites ({@link LabBuilder#rewriteDscpAt} and the like); set before set-up. */
    List<Middlebox> middleboxes = List.of();

    LabLayout(String name, LabSettings settings) {
        this.name = name;
        this.settings = settings;
        this.topology = new ChainTopology(name, settings);
    }

    /** The lab's name, {@code pathprobe-<pid>-<n>}: the prefix of all its namespaces. */
    public String name() {
        return name;
    }

    /** Whether this is a {@link Lab#home} lab. */
    public boolean isHome() {
        return settings.home() != null;
    }

    /**
     * What each hop of a {@link Lab#home} lab is, TTL 1 to the destination: address, name (PTR), AS,
     * prefix and segment as the lab's DNS server serves them.
     *
     * @throws IllegalStateException if this is not a home lab
     */
    public List<HomeHop> homeHops() {
        return requireHome().hops(settings.ipv6());
    }

    /**
     * The host's address as servers beyond the lab's NATs see it (what STUN reports): the CGNAT's
     * outside address 198.18.0.1 in a {@link Lab#home} lab, the NAT's outside address with
     * {@link LabBuilder#natAt}, else {@link Lab#hostAddress()}.
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

    /** 198.19.0.1, on the destination namespace's loopback. */
    public InetAddress destination() {
        return Addressing.inet(Addressing.DESTINATION);
    }

    /**
     * The extra addresses of {@link LabBuilder#destinationAliases(int)} on the destination's loopback,
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
     * the address a {@link LabBuilder#dnatDestination DNAT} forwards to and a destination that
     * {@link LabBuilder#destinationAnswersFromOwnAddress answers from its own address} answers from.
     */
    public InetAddress destinationHostAddress() {
        return Addressing.inet(Addressing.up(hops()));
    }

    /**
     * The probing host's address (on {@link Lab#hostInterface()}): 198.18.0.1; with a NAT at hop 1
     * 192.168.0.1, with a NAT further on 100.64.0.1.
     */
    public InetAddress hostAddress() {
        return Addressing.inet(topology.hostAddress());
    }

    /** 2001:db8:100::1, on the destination's loopback in an {@link LabBuilder#ipv6()} lab. */
    public InetAddress destination6() {
        requireIpv6();
        return Addressing.inet6(Addressing.DESTINATION6);
    }

    /** 2001:db8:1:0::1, the host's IPv6 address in an {@link LabBuilder#ipv6()} lab. */
    public InetAddress hostAddress6() {
        requireIpv6();
        return Addressing.inet6(topology.hostAddress6());
    }

    /** Whether the lab is dual-stack ({@link LabBuilder#ipv6()}). */
    public boolean ipv6() {
        return settings.ipv6();
    }

    /** The host's interface on link 0: {@value Lab#HOST_INTERFACE} in the calling namespace, else "downlink". */
    public String hostInterface() {
        return topology.hostInterface();
    }

    /** The TTLs of the silent routers, ascending. */
    public List<Integer> silentHops() {
        return settings.silent();
    }

    /**
     * What a correct trace shows at this TTL: the router's address on its link toward the host (the
     * source of its Time Exceeded), empty for a silent router, {@link Lab#destination()} at
     * {@code ttl == hops()}, empty beyond.
     *
     * @throws IllegalArgumentException if {@code ttl < 1}
     * @throws IllegalStateException at the TTL of an ECMP diamond, which has several: see {@link
     * #expectedResponders(int)}
     */
    public Optional<InetAddress> expectedResponder(int ttl) {
        return topology.expectedResponder(ttl, false);
    }

    /** {@link Lab#expectedResponder(int)} for every TTL: index 0 is TTL 1, the last is the destination. */
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

    /** {@link Lab#expectedResponder(int)} over IPv6 ({@link LabBuilder#ipv6()}). */
    public Optional<InetAddress> expectedResponder6(int ttl) {
        requireIpv6();
        return topology.expectedResponder(ttl, true);
    }

    /**
     * {@link Lab#expectedPath()} over IPv6 ({@link LabBuilder#ipv6()}): link addresses 2001:db8:1:i::2, the destination
     * 2001:db8:100::1.
     */
    public List<Optional<InetAddress>> expectedPath6() {
        requireIpv6();
        return topology.expectedPath(true);
    }

    /** {@link Lab#expectedResponders(int)} over IPv6 ({@link LabBuilder#ipv6()}). */
    public Set<InetAddress> expectedResponders6(int ttl) {
        requireIpv6();
        return topology.expectedResponders(ttl, true);
    }

    /** The TTL of the ECMP diamond's middle routers (of an {@link EcmpFabric}'s first layer), if the lab has one. */
    public OptionalInt ecmpTtl() {
        return settings.ecmpTtl() == 0 ? OptionalInt.empty() : OptionalInt.of(settings.ecmpTtl());
    }

    /**
     * The lab's load-balanced part ({@link LabBuilder#ecmp}, {@link LabBuilder#fabric}), if it has one; its first layer
     * is at {@link Lab#ecmpTtl()}.
     */
    public Optional<EcmpFabric> fabric() {
        return Optional.ofNullable(settings.ecmpFabric());
    }

    /**
     * Every link between answering nodes at successive TTLs, from TTL 1 to the destination, by TTL:
     * with {@link Lab#expectedResponders(int)} the whole topology a multipath discovery must find (a
     * chain has one link per TTL; a diamond of width N has N links into and N out of its middle
     * routers). Links to or from silent routers are left out.
     */
    public List<ExpectedLink> expectedLinks() {
        return topology.expectedLinks(false);
    }

    /** {@link Lab#expectedLinks()} over IPv6 ({@link LabBuilder#ipv6()}). */
    public List<ExpectedLink> expectedLinks6() {
        requireIpv6();
        return topology.expectedLinks(true);
    }

    /** The NAT router, if the lab has one ({@link LabBuilder#natAt(int, NatKind)}). */
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

    /** The TTL of the router that rejects UDP ({@link LabBuilder#rejectUdpAt(int)}), if any. */
    public OptionalInt udpRejectedAt() {
        return settings.rejectUdpHop() == 0 ? OptionalInt.empty() : OptionalInt.of(settings.rejectUdpHop());
    }

    /**
     * {@return the routers that rewrite a header field of what they forward away from the host
     * ({@link LabBuilder#rewriteDscpAt}, {@link LabBuilder#clearEcnAt}, {@link LabBuilder#setTtlAt},
     * {@link LabBuilder#clampMssAt}), by hop; empty if none}
     */
    public List<Middlebox> middleboxes() {
        return middleboxes.stream().sorted(java.util.Comparator.comparingInt(Middlebox::hop)).toList();
    }

    /** The TCP port the destination listens on ({@link LabBuilder#tcpListener(int)}), if any. */
    public OptionalInt tcpListenPort() {
        return settings.tcpListenPort() == 0 ? OptionalInt.empty() : OptionalInt.of(settings.tcpListenPort());
    }

    /** The bottleneck ({@link LabBuilder#bottleneck(int, long, Duration)}), if any. */
    public Optional<Bottleneck> bottleneck() {
        return Optional.ofNullable(settings.bottleneck());
    }

    /** The separate TCP path ({@link LabBuilder#separateLoadPath(long, Duration)}), if any. */
    public Optional<SeparatePath> separatePath() {
        return Optional.ofNullable(settings.separatePath());
    }

    /**
     * The loss and duplication the lab applies ({@link LabBuilder#dropToDestination(double)} and the like); all zero if
     * none.
     */
    public Impairments impairments() {
        return settings.impairments();
    }

    /**
     * The DNS server ({@link LabBuilder#dnsServer()}), if the lab has one: {@link Lab#destination()} port
     * 53 (UDP and TCP). In an {@link LabBuilder#ipv6()} lab it listens on {@link Lab#destination6()} port 53 too.
     */
    public Optional<InetSocketAddress> dnsServer() {
        return settings.dnsServer() ? Optional.of(new InetSocketAddress(dnsAddresses().get(0), DnsServer.PORT))
                : Optional.empty();
    }

    /**
     * The addresses the DNS server listens on: the destination's, or in a home lab the ISP resolver's 198.18.53.53 (and
     * 2001:db8:1:53::53).
     */
    List<InetAddress> dnsAddresses() {
        if (settings.home() != null) {
            InetAddress resolver = Addressing.inet(HomePlan.parse(HomePlan.DNS_ADDRESS));
            return settings.ipv6() ? List.of(resolver, Addressing.inet6(HomePlan.DNS_ADDRESS6)) : List.of(resolver);
        }
        return settings.ipv6() ? List.of(destination(), destination6()) : List.of(destination());
    }

    /**
     * The Team-Cymru-style TXT records the lab's DNS server serves, name to text: in a {@link Lab#home}
     * lab {@code <d.c.b.a>.origin.asn.cymru.com} ("64500 | 198.18.0.0/16 | ZZ | lab | 2024-01-01")
     * for each address of {@link Lab#dnsRecords()} in an AS, {@code <32 nibbles>.origin6.asn.cymru.com}
     * for each IPv6 one, and {@code AS<n>.asn.cymru.com} ("64500 | ZZ | lab | 2024-01-01 | LAB-ISP, ZZ")
     * for 64500, 64501 and 64510. RFC 1918 and CGNAT addresses have none (NXDOMAIN), as with Team
     * Cymru. In a lab with an ECMP diamond (or fabric): the k-th router of each TTL that has several
     * ({@code r<ttl>b<k>.lab.example}) is in AS {@code 65535 + k} ({@value #BRANCH_AS} for the first, RFC 5398's
     * documentation ASNs), its addresses' origin records with their /32 (/128), and {@code AS<n>.asn.cymru.com}
     * names it {@code LAB-BRANCH-<k>}: two branches of a path lie in different ASes. Every other address has none.
     */
    public Map<String, String> dnsTxtRecords() {
        HomePlan home = settings.home();
        if (home != null) {
            return java.util.Collections.unmodifiableMap(home.txtRecords(settings.ipv6()));
        }
        Map<String, String> txt = new LinkedHashMap<>();
        for (int ttl = 1; ttl < hops(); ttl++) {
            List<Integer> nodes = topology.nodesAt(ttl);
            for (int k = 1; nodes.size() > 1 && k <= nodes.size(); k++) {
                int as = BRANCH_AS + k - 1;
                InetAddress v4 = Addressing.inet(topology.up(nodes.get(k - 1)));
                txt.put(HomePlan.reverse4(v4.getAddress()) + ".origin.asn.cymru.com",
                        HomePlan.origin(as, v4.getHostAddress() + "/32"));
                if (settings.ipv6()) {
                    InetAddress v6 = Addressing.inet6(topology.up6(nodes.get(k - 1)));
                    txt.put(HomePlan.nibbles(v6.getAddress()) + ".origin6.asn.cymru.com",
                            HomePlan.origin(as, topology.up6(nodes.get(k - 1)) + "/128"));
                }
                txt.put("AS" + as + ".asn.cymru.com", as + " | ZZ | lab | 2024-01-01 | LAB-BRANCH-" + k + ", ZZ");
            }
        }
        return java.util.Collections.unmodifiableMap(txt);
    }

    /** The AS of the first router of an ECMP diamond's TTL ({@link #dnsTxtRecords()}); the k-th's is this + k - 1. */
    public static final int BRANCH_AS = 65536;

    /**
     * coturn ({@link LabBuilder#stunServer()}): {@link Lab#destination()} port 3478 (UDP and TCP), if the
     * lab has it.
     */
    public Optional<InetSocketAddress> stunServer() {
        return settings.stunServer() ? Optional.of(new InetSocketAddress(destination(),
                StunServer.PORT)) : Optional.empty();
    }

    /** coturn on {@link Lab#destination6()} port 3478 in a dual-stack lab with {@link LabBuilder#stunServer()}. */
    public Optional<InetSocketAddress> stunServer6() {
        return settings.stunServer() && settings.ipv6()
                ? Optional.of(new InetSocketAddress(destination6(), StunServer.PORT))
                : Optional.empty();
    }

    /**
     * A UDP server at {@link Lab#destination()} port 3490 that answers every datagram with 32 bytes of junk ({@link
     * LabBuilder#stunServer()}).
     */
    public Optional<InetSocketAddress> junkStunServer() {
        return settings.stunServer() ? Optional.of(new InetSocketAddress(destination(), StunServer.JUNK_PORT))
                : Optional.empty();
    }

    /**
     * A UDP server at {@link Lab#destination()} port 3491 that reads every datagram and never answers ({@link
     * LabBuilder#stunServer()}).
     */
    public Optional<InetSocketAddress> silentStunServer() {
        return settings.stunServer() ? Optional.of(new InetSocketAddress(destination(), StunServer.SILENT_PORT))
                : Optional.empty();
    }

    /**
     * What the lab's DNS server ({@link LabBuilder#dnsServer()}) answers, name (lower case, no final
     * dot) to addresses; every name is under {@value Lab#DNS_ZONE}. {@link Lab#DESTINATION_NAME} is
     * {@link Lab#destination()} (and {@link Lab#destination6()}), {@code host.lab.example} the host's
     * address ({@link Lab#hostAddress()}, {@link Lab#hostAddress6()}), {@code r<ttl>.lab.example} each
     * router's address on its link toward the host (silent ones too), {@code r<ttl>b<k>.lab.example}
     * the middle routers of an ECMP diamond. Each address also has a PTR record for its name
     * (several names for one address: the first). Any other name under {@value Lab#DNS_ZONE} (e.g.
     * {@link Lab#DNS_UNKNOWN_NAME}) is NXDOMAIN. Computed whether or not the lab runs the server.
     */
    public Map<String, List<InetAddress>> dnsRecords() {
        HomePlan home = settings.home();
        if (home != null) {
            return java.util.Collections.unmodifiableMap(home.records(settings.ipv6()));
        }
        Map<String, List<InetAddress>> records = new LinkedHashMap<>();
        records.put(Lab.DESTINATION_NAME, settings.ipv6() ? List.of(destination(), destination6())
                : List.of(destination()));
        records.put("host." + Lab.DNS_ZONE,
                settings.ipv6() ? List.of(hostAddress(), hostAddress6()) : List.of(hostAddress()));
        for (int ttl = 1; ttl < hops(); ttl++) {
            List<Integer> nodes = topology.nodesAt(ttl);
            for (int i = 0; i < nodes.size(); i++) {
                int node = nodes.get(i);
                String label = "r" + ttl + (nodes.size() > 1 ? "b" + (i + 1) : "");
                InetAddress v4 = Addressing.inet(topology.up(node));
                records.put(label + "." + Lab.DNS_ZONE, settings.ipv6()
                        ? List.of(v4, Addressing.inet6(topology.up6(node))) : List.of(v4));
            }
        }
        return java.util.Collections.unmodifiableMap(records);
    }

    /**
     * The HTTP server's port ({@link LabBuilder#httpServer(int)}), if the lab has one; it listens on {@link
     * #destination()}.
     */
    public OptionalInt httpPort() {
        return settings.httpPort() == 0 ? OptionalInt.empty() : OptionalInt.of(settings.httpPort());
    }

    /**
     * {@code http://198.19.0.1:<port>/<path>} for the lab's HTTP server ({@link LabBuilder#httpServer(int)}).
     *
     * @throws IllegalStateException if the lab has no HTTP server
     */
    public URI httpUri(String path) {
        if (settings.httpPort() == 0) {
            throw new IllegalStateException("lab " + name
                    + " has no HTTP server: build it with LabBuilder.httpServer(port)");
        }
        return URI.create("http://" + destination().getHostAddress() + ":" + settings.httpPort()
                + (path.startsWith("/") ? "" : "/") + path);
    }

    private void requireIpv6() {
        if (!settings.ipv6()) {
            throw new IllegalStateException("lab " + name + " has no IPv6: build it with LabBuilder.ipv6()");
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
     * {@link LabBuilder#icmpUnlimited(String)} is set, is shared with the ICMP rate limit: a fresh lab answers
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
     * The network namespace of the node at this TTL: 0 is the host ({@link Lab#hostNamespace()}),
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
     * {@link Lab#namespace(int)}), e.g. to read a router's sysctl or watch its counters.
     *
     * @throws IllegalStateException if the lab is closed
     */
    public ProcessBuilder command(int ttl, List<String> command) {
        topology.checkNode(ttl);
        return commandIn(namespace(ttl), command);
    }

    /** {@link Lab#command(int, List)} in middle router {@code branch} of the ECMP diamond at {@code ttl}. */
    public ProcessBuilder command(int ttl, int branch, List<String> command) {
        return commandIn(namespace(ttl, branch), command);
    }

    /** @throws IllegalStateException if the lab is closed */
    synchronized void requireOpen() {
        if (closed) {
            throw new IllegalStateException("lab " + name + " is closed");
        }
    }

    /** A process builder that runs {@code command} in one of the lab's namespaces ("" = the calling one). */
    ProcessBuilder commandIn(String ns, List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        requireOpen();
        return new ProcessBuilder(Namespaces.in(ns, command));
    }

    @Override
    public String toString() {
        return "Lab[" + name + ", " + hops() + " hops, silent " + silentHops()
                + (settings.ipv6() ? ", dual-stack" : "")
                + (settings.ecmpTtl() > 0 ? ", ECMP " + settings.ecmpFabric() + " at TTL " + settings.ecmpTtl() + " ("
                        + settings.ecmpHash() + ")" : "")
                + (settings.natHop() > 0 ? ", NAT " + settings.natKind() + " at " + settings.natHop() : "")
                + (settings.rejectUdpHop() > 0 ? ", UDP rejected at " + settings.rejectUdpHop() : "")
                + (middleboxes.isEmpty() ? "" : ", " + middleboxes())
                + (settings.tcpListenPort() > 0 ? ", TCP listener on " + settings.tcpListenPort() : "")
                + (settings.impairments().any() ? ", " + settings.impairments() : "")
                + (settings.bottleneck() != null ? ", " + settings.bottleneck() : "")
                + (settings.home() != null ? ", home " + settings.home().options() : "")
                + (settings.separatePath() != null ? ", " + settings.separatePath() : "")
                + (settings.icmpUnlimited() ? ", ICMP unlimited (" + settings.icmpUnlimitedReason() + ")" : "")
                + (settings.destinationIcmpUnlimited() ? ", the destination's ICMP unlimited ("
                        + settings.destinationIcmpUnlimitedReason() + ")" : "")
                + (settings.dnsServer() ? ", DNS server" : "")
                + (settings.stunServer() ? ", STUN server" : "")
                + (settings.httpPort() > 0 ? ", HTTP server on " + settings.httpPort() : "")
                + (settings.destinationAliases() > 0
                        ? ", " + settings.destinationAliases() + " destination aliases" : "")
                + ", host " + (settings.currentNamespace() ? "the calling namespace" : hostNamespace()) + "]";
    }
}
