package io.pathprobe.lab;

import io.pathprobe.lab.Lab.Impairments;
import io.pathprobe.lab.middlebox.ProtocolPolicy;
import io.pathprobe.lab.server.DnsServer;
import io.pathprobe.lab.server.LabHttpServer;
import io.pathprobe.lab.server.StunServer;
import io.pathprobe.lab.topology.ChainTopology;
import io.pathprobe.lab.topology.DestinationShape;
import io.pathprobe.lab.topology.EcmpFabric;
import io.pathprobe.lab.topology.HomePlan;
import io.pathprobe.lab.topology.PathMtuShape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Describes a lab; {@link #build()} makes it. Each option may be set once (a second call fails,
 * so a configuration mistake shows at once). Not thread-safe; one builder may build several labs.
 */
public final class LabBuilder extends LabPathOptions {
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
    private @Nullable EcmpHash ecmpHash;
    private int natHop;
    private @Nullable NatKind natKind;
    private int rejectUdpHop;
    private int tcpListenPort;
    private boolean dnsServer;
    private int httpPort;
    private int destinationAliases;
    @Nullable HomePlan home;
    private boolean stunServer;
    private boolean holdTcpConnections;

    LabBuilder(int hops) {
        super(hops);
    }

    /**
     * {@code net.ipv4.ping_group_range} of the host namespace: the groups that may open ICMP
     * datagram ("ping") sockets. Default {@code 0 2147483647}, everyone; {@code (1, 0)} (any
     * {@code hi < lo}) means nobody. With {@link #inCurrentNamespace()} it is written to the
     * calling namespace and restored by {@link Lab#close()}.
     *
     * @throws IllegalArgumentException if a bound is negative
     */
    public LabBuilder hostPingGroupRange(int lo, int hi) {
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
    public LabBuilder inCurrentNamespace() {
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
    public LabBuilder ipv6() {
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
    public LabBuilder keepChecksumOffload() {
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
    public LabBuilder ecmp(int ttl, int width, EcmpHash hash) {
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
    public LabBuilder fabric(int ttl, EcmpFabric fabric, EcmpHash hash) {
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
    public LabBuilder natAt(int hop, NatKind kind) {
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
    public LabBuilder rejectUdpAt(int hop) {
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
    public LabBuilder tcpListener(int port) {
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
    public LabBuilder tcpService(int port) {
        tcpListener(port);
        holdTcpConnections = true;
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
    public LabBuilder dropAtBranch(int ttl, int branch, double percent) {
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
    public LabBuilder dnsServer() {
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
    public LabBuilder stunServer() {
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
    public LabBuilder httpServer(int port) {
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
    public LabBuilder destinationAliases(int count) {
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
     * Test hook: an extra {@code ip -batch} line for the node at {@code ttl}, run after its
     * configuration (for the calling-namespace host, in the creation batch).
     */
    LabBuilder injectIpCommand(int ttl, String line) {
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
        LabSettings s = settings();
        checkShapes();
        if (!mtuShapes.isEmpty() && (ecmpTtl > 0 || home != null || natHop > 0)) {
            throw new IllegalArgumentException(mtuShapes + ": plain chains only (no ECMP, home or NAT lab)");
        }
        if (newConnectionLimit != null && (ecmpTtl > 0 || home != null || natHop > 0)) {
            throw new IllegalArgumentException(newConnectionLimit
                    + ": plain chains only (no ECMP, home or NAT lab)");
        }
        if (!middleboxes.isEmpty() && home != null) {
            throw new IllegalArgumentException(middleboxes + ": chains and diamonds only (no home lab)");
        }
        if (!protocolPolicies.isEmpty() && (ecmpTtl > 0 || home != null || natHop > 0)) {
            throw new IllegalArgumentException(protocolPolicies + ": plain chains only (no ECMP, home or NAT lab)");
        }
        return ProtocolPolicy.apply(LabSetUp.create(s, List.copyOf(shapes), List.copyOf(mtuShapes),
                holdTcpConnections, newConnectionLimit, List.copyOf(middleboxes)), List.copyOf(protocolPolicies));
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
    public LabBuilder linkMtu(int hop, int mtu) {
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
    public LabBuilder mtuBlackHole(int hop, int bytes) {
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
    public LabBuilder dnatDestination(int hop) {
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
    public LabBuilder destinationAnswersFromOwnAddress() {
        shapes.add(new DestinationShape(DestinationShape.Kind.ANSWERS_FROM_OWN_ADDRESS, hops - 1, 0));
        return this;
    }

    /**
     * An anycast site: the router at {@code ttl} (1..hops-1) holds the destination address too,
     * so it answers as the destination and nothing beyond it is reached. IPv4.
     */
    public LabBuilder anycastSite(int ttl) {
        requireRouter(ttl, "anycast");
        shapes.add(new DestinationShape(DestinationShape.Kind.ANYCAST, ttl, 0));
        return this;
    }

    /** The ECMP fabric's layers, 0 without one. */
    private int fabricLayers() {
        return ecmpFabric == null ? 0 : ecmpFabric.layers();
    }

    /**
     * An anycast site inside the ECMP diamond: its middle router {@code branch} (2..width) at
     * {@code ttl} holds the destination address too, so flows hashed to it are answered there and
     * the others at the destination, {@code hops() - ttl} TTLs further. Not branch 1: the routers
     * after the diamond route back to the host through branch 1, which would drop the
     * destination's answers as coming from one of its own addresses. IPv4.
     */
    public LabBuilder anycastSite(int ttl, int branch) {
        EcmpFabric fabric = ecmpFabric; // set exactly when ecmpTtl is
        if (fabric == null || ecmpTtl == 0 || ttl < ecmpTtl || ttl >= ecmpTtl + fabric.layers() || branch < 1
                || branch > fabric.widths().get(ttl - ecmpTtl)) {
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
                    && shape.ttl() >= ecmpTtl && shape.ttl() < ecmpTtl + fabricLayers()) {
                throw new IllegalArgumentException(shape + ": TTL " + shape.ttl() + " is the diamond's: name the "
                        + "branch (anycastSite(ttl, branch))");
            }
            if (shape.kind() == DestinationShape.Kind.DNAT && ecmpTtl > 0
                    && ecmpTtl + fabricLayers() > shape.ttl()) {
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
            if (rejectUdpHop >= ecmpTtl && rejectUdpHop < ecmpTtl + fabricLayers()) {
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
    public LabSettings settings() {
        Map<Integer, List<String>> copy = new HashMap<>();
        injected.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        checkCombination();
        return new LabSettings(hops, silent == null ? List.of() : silent, icmpRateLimitMillis,
                icmpUnlimitedReason, pingGroupLow < 0 ? 0 : pingGroupLow,
                pingGroupLow < 0 ? Integer.MAX_VALUE : pingGroupHigh, currentNamespace, copy, ipv6, !keepOffload,
                ecmpTtl, ecmpFabric, ecmpHash, natHop, natKind, rejectUdpHop, tcpListenPort, rateLimited,
                new Impairments(dropTo, dropFrom, dropRouterTtl, dropAtRouter, duplicate,
                        dropRouterBranch, dropRouterBothWays), dnsServer, httpPort,
                destinationAliases, bottleneck, home, stunServer, separatePath, congestionControl, perRouterLimit,
                destinationLimitedLikeRouters, destinationIcmpUnlimitedReason);
    }

    // ---- protocol-dependent paths (PathTracer.compare): ProtocolPolicy -------------------------------

    /**
     * TCP to {@code port} takes another router than everything else at TTL {@code ttl}: the router at
     * {@code ttl - 1} policy-routes TCP to that port arriving from the host side ({@code ip rule iif uplink
     * ipproto tcp dport}) to a router of its own, which answers from {@value ProtocolPolicy#BRANCH_IN} and hands
     * it to the router at {@code ttl + 1}; ICMP, UDP, other ports and every answer keep to the chain. A TCP trace
     * to the port parts from the others after hop {@code ttl - 1} and meets them again at hop {@code ttl + 1}.
     * IPv4, a plain chain, one branch.
     *
     * @param ttl the branch router's TTL, 2..hops-2 (a router before and after it)
     * @param port the TCP destination port, 1..65535
     * @return this builder
     * @throws IllegalArgumentException if {@code ttl} or {@code port} is out of range, or a branch was given already
     */
    public LabBuilder protocolBranch(int ttl, int port) {
        requireUnset(protocolPolicies.stream().noneMatch(p -> p.kind() == ProtocolPolicy.Kind.BRANCH),
                "protocolBranch");
        if (ttl < 2 || ttl > hops - 2) {
            throw new IllegalArgumentException("the protocol branch's TTL must be 2.." + (hops - 2) + " in a " + hops
                    + "-hop lab, was " + ttl);
        }
        protocolPolicies.add(new ProtocolPolicy(ProtocolPolicy.Kind.BRANCH, ttl, checkedPort(port)));
        return this;
    }

    /**
     * A firewall at router {@code hop} that silently drops TCP to {@code port} it would forward away from the host
     * (nftables, forward hook: after the TTL check, so TCP probes expiring at {@code hop} are still answered). A TCP
     * trace to the port stops after hop {@code hop}; ICMP, UDP and other ports pass. May be given for several
     * routers or ports.
     *
     * @param hop the router, 1..hops-1
     * @param port the TCP destination port, 1..65535
     * @return this builder
     * @throws IllegalArgumentException if {@code hop} is not a router or {@code port} is out of range
     */
    public LabBuilder dropTcpPortAfter(int hop, int port) {
        requireRouter(hop, "TCP port drop");
        protocolPolicies.add(new ProtocolPolicy(ProtocolPolicy.Kind.DROP, hop, checkedPort(port)));
        return this;
    }
}
