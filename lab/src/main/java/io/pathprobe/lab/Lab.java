package io.pathprobe.lab;

import io.pathprobe.lab.middlebox.Chaos;
import io.pathprobe.lab.middlebox.NewConnectionLimit;
import io.pathprobe.lab.namespace.Exec;
import io.pathprobe.lab.namespace.Namespaces;
import io.pathprobe.lab.namespace.Teardown;
import io.pathprobe.lab.runner.Iperf3;
import io.pathprobe.lab.runner.Ping;
import io.pathprobe.lab.server.DnsServer;
import io.pathprobe.lab.server.LabResponsivenessServer;
import io.pathprobe.lab.server.TcpListener;
import io.pathprobe.lab.topology.ChainTopology;
import io.pathprobe.lab.topology.EcmpFabric;
import io.pathprobe.lab.topology.HomePlan;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
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
 * for {@link LabBuilder#inCurrentNamespace()}, to the calling process's namespace): no packet can leave
 * the machine. A router answers from its address on the link toward the host, so
 * {@link #expectedPath()} is exactly what a correct trace shows. Unless {@link LabBuilder#ipv6()} asks
 * for dual stack, IPv6 is disabled in the lab's namespaces and {@value #HOST_INTERFACE} gets no IPv6
 * address (no link-local addresses, DAD or router solicitations on the links). Every veth end, the
 * host's included, has transmit checksum offload off ({@code ethtool -K <dev> tx off}): otherwise
 * Linux leaves UDP/TCP checksums partial across veths, and routers quote those partial values.
 *
 * <h2>Other shapes</h2>
 * An ECMP diamond ({@link #diamond}, {@link LabBuilder#ecmp}: {@link #expectedResponders(int)} is every
 * middle router), a NAT router ({@link LabBuilder#natAt}, {@link #nat()}), a firewall that rejects UDP
 * ({@link LabBuilder#rejectUdpAt}), a TCP listener at the destination ({@link LabBuilder#tcpListener}, or one
 * that keeps its connections: {@link LabBuilder#tcpService}), SYN-flood protection that limits new TCP
 * connections at one router ({@link LabBuilder#limitNewTcpConnections}), one rate-limited router ({@link
 * LabBuilder#icmpRateLimitedHop}), a bottleneck link with a deep queue ({@link LabBuilder#bottleneck}: tc tbf),
 * destinations that answer from another address or elsewhere ({@link LabBuilder#dnatDestination}, {@link
 * LabBuilder#destinationAnswersFromOwnAddress}, {@link LabBuilder#anycastSite(int)}), middleboxes that rewrite DSCP,
 * ECN, TTL or TCP MSS ({@link #middleboxes()}); {@link PacketCapture} captures in any lab namespace.
 *
 * <h2>Loss, duplication, servers</h2>
 * Random loss toward the destination, from it, or at one router ({@link LabBuilder#dropToDestination},
 * {@link LabBuilder#dropFromDestination}, {@link LabBuilder#dropAtRouter}) and duplicated answers
 * ({@link LabBuilder#duplicateFromDestination}), all nftables rules in the lab's namespaces; a DNS server
 * ({@link LabBuilder#dnsServer()}, dnsmasq with only the lab's records, {@link #dnsRecords()}) and an
 * HTTP/1.1 server ({@link LabBuilder#httpServer(int)}) at the destination. {@link Ping} runs iputils
 * ping and fping in the lab and parses what they print.
 *
 * <h2>Names, parallel runs, teardown</h2>
 * The namespaces are named {@code pathprobe-<pid>-<n>-h|r<ttl>|d} after the building process and a
 * per-process counter, so parallel runs (other threads, other JVMs) never collide. veth ends are
 * created directly in their namespaces; nothing appears in the calling namespace except, with
 * {@code inCurrentNamespace()}, the host's interface {@value #HOST_INTERFACE}. {@link #close()}
 * deletes every namespace (their veths go with them) and is also run by a JVM shutdown hook; labs of
 * a process that died without closing are deleted by the next {@link LabBuilder#build()} anywhere on the
 * machine ({@link #reapStale()}).
 *
 * <h2>ICMP rate limits</h2>
 * Every router and the destination keep the kernel's ICMP rate limits unless told otherwise: per
 * source, a burst of 6 Time Exceeded / Unreachable messages and then one per
 * {@code net.ipv4.icmp_ratelimit} (1000 ms), plus a namespace-wide {@code icmp_msgs_per_sec} budget
 * (1000/s, burst 50). So the third traceroute (3 probes per hop) through the same lab within a second
 * or two shows {@code * * *} at every router. That is how routers are, and what a tracer must cope
 * with: a test keeps these limits unless it names why not, e.g. one that traces the same lab
 * many times and asserts every answer; such a test builds it with {@link LabBuilder#icmpUnlimited(String)}.
 * {@link Chaos#drainIcmpBudgets()} empties the buckets before a measurement, as another tracer's burst
 * would. {@link LabBuilder#icmpRateLimitPerRouter(int, int)} gives the routers a vendor-like limit
 * instead: a fixed number of ICMP errors per second per router.
 *
 * <p>Building needs Linux, root (CAP_NET_ADMIN and CAP_SYS_ADMIN), iproute2's {@code ip} and
 * {@code sh}; nftables' {@code nft} for silent hops. A lab is thread-safe; a {@link LabBuilder} is not.
 */
public final class Lab extends LabLayout implements AutoCloseable {
    /** The host's interface on link 0 when the host is the calling namespace. */
    public static final String HOST_INTERFACE = "pathprobe0";
    /** The zone of the lab's DNS names ({@link #dnsRecords()}): a reserved name (RFC 6761), never delegated. */
    public static final String DNS_ZONE = "lab.example";
    /** The name of {@link #destination()} in the lab's DNS server. */
    public static final String DESTINATION_NAME = "destination." + DNS_ZONE;
    /** A name under {@value #DNS_ZONE} that the lab's DNS server answers NXDOMAIN for. */
    public static final String DNS_UNKNOWN_NAME = "nonexistent." + DNS_ZONE;

    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    /** The name of the lab that uses this JVM's own namespace as its host, if any. */
    static final AtomicReference<@Nullable String> CURRENT_NAMESPACE_LAB = new AtomicReference<>();

    final Teardown teardown;
    volatile @Nullable String savedPingGroupRange;
    volatile @Nullable String savedCongestionControl;
    /** What runs beside the namespaces (the TCP listener, a NAT element): stopped first by {@link #close()}. */
    public final List<AutoCloseable> attachments = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile @Nullable DnsServer dns;
    /** The TCP listener keeps the connections it accepts ({@link LabBuilder#tcpService(int)}); set before set-up. */
    boolean holdTcpConnections;
    /** {@link LabBuilder#limitNewTcpConnections}; set before set-up. */
    @Nullable NewConnectionLimit newConnectionLimit;

    Lab(String name, LabSettings settings) {
        super(name, settings);
        this.teardown = new Teardown("pathprobe-lab-teardown-" + name, () -> "pathprobe lab " + name,
                this::close);
    }

    /**
     * A chain whose destination is at TTL {@code hops} (1..250): hops-1 routers, then the destination
     * host.
     *
     * @throws IllegalArgumentException if {@code hops} is out of range
     */
    public static LabBuilder chain(int hops) {
        if (hops < 1 || hops > Addressing.MAX_HOPS) {
            throw new IllegalArgumentException("hops must be 1.." + Addressing.MAX_HOPS + ", was " + hops);
        }
        return new LabBuilder(hops);
    }

    /**
     * The classic diamond: host → router 1 → {@code width} parallel routers (TTL 2) → router 3 →
     * destination (TTL 4); {@code chain(4).ecmp(2, width, hash)}. Add options as for a chain.
     */
    public static LabBuilder diamond(int width, EcmpHash hash) {
        return chain(4).ecmp(2, width, hash);
    }

    /**
     * A diamond after a diamond: host → router 1 → {@code first} parallel routers (TTL 2) → router 3,
     * where they meet and branch again → {@code second} parallel routers (TTL 4) → router 5 →
     * destination (TTL 6); {@code chain(6).fabric(2, EcmpFabric.nested(first, second), hash)}.
     */
    public static LabBuilder nestedDiamond(int first, int second, EcmpHash hash) {
        return chain(6).fabric(2, EcmpFabric.nested(first, second), hash);
    }

    /**
     * Unequal widths: router 1 → {a, b} (TTL 2); a → {a1, a2}, b → {b1} (TTL 3) → router 4 →
     * destination (TTL 5); {@code chain(5).fabric(2, EcmpFabric.asymmetric(), hash)}.
     */
    public static LabBuilder asymmetricDiamond(EcmpHash hash) {
        return chain(5).fabric(2, EcmpFabric.asymmetric(), hash);
    }

    /**
     * A meshed diamond: router 1 → {@code width} routers (TTL 2), each of which spreads over all of
     * {@code width} routers at TTL 3 → router 4 → destination (TTL 5);
     * {@code chain(5).fabric(2, EcmpFabric.meshed(width), hash)}.
     */
    public static LabBuilder meshedDiamond(int width, EcmpHash hash) {
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
    public static LabBuilder home(HomeOption... options) {
        java.util.EnumSet<HomeOption> set = java.util.EnumSet.noneOf(HomeOption.class);
        set.addAll(Arrays.asList(options));
        HomePlan plan = new HomePlan(set);
        LabBuilder b = new LabBuilder(plan.hops());
        b.home = plan;
        if (!plan.silent().isEmpty()) {
            b.silent = plan.silent();
        }
        return b;
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
     * Switches the limit on new TCP connections ({@link LabBuilder#limitNewTcpConnections(int, int, int)}) off, or
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
     * switched on ({@link LabBuilder#limitNewTcpConnections(int, int, int)}); 0 while it is off}
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
     * One connection the destination's TCP service held ({@link LabBuilder#tcpService(int)}) and the other end
     * ended.
     *
     * @param bytesReceived the bytes the service read from it: what the destination's kernel delivered
     * @param reset whether it ended with a RST (else with a FIN: an orderly close)
     */
    public record ServedConnection(long bytesReceived, boolean reset) {}

    /**
     * {@return every connection the destination's TCP service ({@link LabBuilder#tcpService(int)}) held that the
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
        throw new IllegalStateException("this lab has no TCP service (LabBuilder.tcpService)");
    }

    /**
     * The DNS server itself ({@link LabBuilder#dnsServer()}), if the lab has one: its query log
     * ({@link DnsServer#queries()}, {@link DnsServer#clearQueries()}), {@link DnsServer#stop()} and
     * {@link DnsServer#start()}.
     */
    public Optional<DnsServer> dns() {
        return Optional.ofNullable(dns);
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
        requireOpen();
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
        requireOpen();
        Iperf3.Server server = Iperf3.Server.start(this, topology.hops(), destination(), port);
        attachments.add(server);
        return server;
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
    public static List<String> javaCommand(String classPath, List<String> jvmOptions, String mainClass,
            List<String> args) {
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
        if (!teardown.begin()) {
            return;
        }
        closed = true;
        LabException stopFailure = null;
        for (AutoCloseable a : attachments) {
            try {
                a.close();
            } catch (Exception e) {
                stopFailure = Exec.joined(stopFailure, new LabException("stopping " + a + " of lab " + name
                        + " failed: " + e, e));
            }
        }
        attachments.clear();
        try {
            new LabSetUp(this).tearDown();
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
     * and returns how many of them are gone now. Called by every {@link LabBuilder#build()}.
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

    /**
     * The ICMP rate limit of one router ({@link LabBuilder#icmpRateLimitedHop}).
     *
     * @param ttl the router's TTL
     * @param interval {@code net.ipv4.icmp_ratelimit} and {@code net.ipv6.icmp.ratelimit}: the
     *     per-source token bucket's interval (burst 6)
     * @param messagesPerSecond {@code net.ipv4.icmp_msgs_per_sec}, the namespace-wide budget (shared by ICMPv6)
     * @param burst {@code net.ipv4.icmp_msgs_burst}
     */
    public record RateLimit(int ttl, Duration interval, int messagesPerSecond, int burst) {}

    /**
     * The vendor-like ICMP error limit of {@link LabBuilder#icmpRateLimitPerRouter(int, int)}: each
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
     * A bottleneck ({@link LabBuilder#bottleneck(int, long, Duration)}): the router at TTL {@code hop}
     * sends toward the destination at most {@code bitsPerSecond}, and queues what exceeds it for up
     * to {@code queue} (a Linux {@code tbf} qdisc on its {@value ChainTopology#DOWNLINK} interface).
     *
     * @param hop the router's TTL
     * @param bitsPerSecond the rate, link-layer bits (Ethernet header included)
     * @param queue the longest a packet waits once the token bucket is empty: the queue holds
     *     {@link #queueBytes()}; what does not fit is dropped
     * @param bothWays whether the same tbf shapes the router's {@value ChainTopology#UPLINK} (toward
     *     the host) too ({@link LabBuilder#bottleneckBothWays})
     */
    public record Bottleneck(int hop, long bitsPerSecond, Duration queue, boolean bothWays) {
        /** The least queue and burst: one full-size Ethernet frame and some. */
        static final long MIN_BYTES = 1600;

        /** A bottleneck toward the destination only ({@link LabBuilder#bottleneck(int, long, Duration)}). */
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
        public List<String> tcCommand(String device) {
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
     * The separate TCP path of {@link LabBuilder#separateLoadPath(long, Duration)}: a direct link between
     * the host and the destination, shaped both ways with this rate and queue.
     */
    public record SeparatePath(long bitsPerSecond, Duration queue) {
        /** The tbf of each end, as a bottleneck's ({@link Bottleneck#tcCommand}). */
        public Bottleneck shape() {
            return new Bottleneck(0, bitsPerSecond, queue);
        }

        @Override
        public String toString() {
            return "separate TCP path " + bitsPerSecond + " bit/s, queue " + queue.toMillis() + " ms";
        }
    }

    /**
     * The loss and duplication of a lab, in percent (0 = none); see the {@link LabBuilder} methods of the same names.
     *
     * @param dropToDestination {@link LabBuilder#dropToDestination(double)}
     * @param dropFromDestination {@link LabBuilder#dropFromDestination(double)}
     * @param dropRouterTtl the TTL of {@link LabBuilder#dropAtRouter(int, double)} (or
     *     {@link LabBuilder#dropAtBranch(int, int, double)}), 0 for none
     * @param dropAtRouter its percentage
     * @param duplicateFromDestination {@link LabBuilder#duplicateFromDestination(double)}
     * @param dropRouterBranch the branch of {@link LabBuilder#dropAtBranch(int, int, double)}, 0 for every
     *     router at {@code dropRouterTtl}
     * @param dropRouterBothWays whether that router also drops what it forwards toward the host
     *     ({@link LabBuilder#dropAtRouterBothWays(int, double)})
     */
    public record Impairments(double dropToDestination, double dropFromDestination, int dropRouterTtl,
            double dropAtRouter, double duplicateFromDestination, int dropRouterBranch, boolean dropRouterBothWays) {
        /** No loss, no duplication. */
        public static final Impairments NONE = new Impairments(0, 0, 0, 0, 0);

        /** Impairments whose router loss, if any, is one way (away from the host). */
        public Impairments(double dropToDestination, double dropFromDestination, int dropRouterTtl, double dropAtRouter,
                double duplicateFromDestination, int dropRouterBranch) {
            this(dropToDestination, dropFromDestination, dropRouterTtl, dropAtRouter, duplicateFromDestination,
                    dropRouterBranch, false);
        }

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
                        + (dropRouterBranch > 0 ? " branch " + dropRouterBranch : "")
                        + (dropRouterBothWays ? " both ways" : ""));
            }
            if (duplicateFromDestination > 0) {
                parts.add(duplicateFromDestination + " % duplicated from the destination");
            }
            return parts.isEmpty() ? "no loss" : String.join(", ", parts);
        }
    }
}
