package io.pathprobe.lab;

import io.pathprobe.lab.Lab.Bottleneck;
import io.pathprobe.lab.Lab.PerRouterLimit;
import io.pathprobe.lab.Lab.RateLimit;
import io.pathprobe.lab.Lab.SeparatePath;
import io.pathprobe.lab.middlebox.Middlebox;
import io.pathprobe.lab.middlebox.NewConnectionLimit;
import io.pathprobe.lab.middlebox.ProtocolPolicy;
import io.pathprobe.lab.topology.ChainTopology;
import io.pathprobe.lab.topology.SidePath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The options of a {@link LabBuilder} that set what the path does to packets: silent hops, the routers' and
 * the destination's ICMP limits, loss, duplication, a new-connection limit, a bottleneck, a separate
 * load path and middleboxes that rewrite header fields. Each may be set once.
 */
abstract sealed class LabPathOptions permits LabBuilder {
    final int hops;
    @Nullable List<Integer> silent;
    int icmpRateLimitMillis = -1;
    @Nullable String icmpUnlimitedReason;
    int dropRouterBranch;
    @Nullable RateLimit rateLimited;
    double dropTo;
    double dropFrom;
    int dropRouterTtl;
    double dropAtRouter;
    boolean dropRouterBothWays;
    double duplicate;
    @Nullable Bottleneck bottleneck;
    @Nullable SeparatePath separatePath;
    @Nullable String congestionControl;
    @Nullable PerRouterLimit perRouterLimit;
    boolean destinationLimitedLikeRouters;
    @Nullable String destinationIcmpUnlimitedReason;
    @Nullable NewConnectionLimit newConnectionLimit;
    /** Header rewrites ({@link #rewriteDscpAt} and the like), at most one of each kind. */
    final List<Middlebox> middleboxes = new ArrayList<>();
    /** Protocol-dependent paths and markings ({@link LabBuilder#protocolBranch} and the like). */
    final List<ProtocolPolicy> protocolPolicies = new ArrayList<>();

    LabPathOptions(int hops) {
        this.hops = hops;
    }

    /**
     * The routers at these TTLs (1..hops-1) drop the ICMP Time Exceeded they would send (an
     * nftables output rule in that router); traces show {@code *} there. They still forward.
     *
     * @throws IllegalArgumentException if a TTL is not a router's
     */
    public LabBuilder silentHops(int... ttls) {
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
        return self();
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
    public LabBuilder icmpRateLimit(Duration interval) {
        requireUnset(icmpRateLimitMillis < 0, "icmpRateLimit");
        if (interval.isNegative() || interval.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("icmpRateLimit must be 0.." + Integer.MAX_VALUE
                    + " ms, was " + interval);
        }
        icmpRateLimitMillis = (int) interval.toMillis();
        return self();
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
    public LabBuilder icmpUnlimited(String reason) {
        String why = reason(reason, "icmpUnlimited needs the reason this lab cannot keep the routers' ICMP rate "
                + "limits");
        requireUnset(icmpUnlimitedReason == null, "icmpUnlimited");
        requireNot(perRouterLimit != null, "icmpRateLimitPerRouter and icmpUnlimited");
        icmpUnlimitedReason = why;
        return self();
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
    public LabBuilder icmpRateLimitPerRouter(int perSecond, int burst) {
        requireUnset(perRouterLimit == null, "icmpRateLimitPerRouter");
        requireNot(icmpUnlimitedReason != null, "icmpRateLimitPerRouter and icmpUnlimited");
        perRouterLimit = new PerRouterLimit(perSecond, burst);
        return self();
    }

    /**
     * The destination limits the ICMP errors it sends (its Port Unreachables to UDP probes) with
     * the routers' vendor-like profile of {@link #icmpRateLimitPerRouter(int, int)} instead of the
     * kernel's limits: a host behind a firewall or a load balancer that limits its errors so.
     *
     * @throws IllegalStateException if {@link #icmpRateLimitPerRouter(int, int)} was not set first
     */
    public LabBuilder destinationLimitedLikeTheRouters() {
        requireUnset(!destinationLimitedLikeRouters, "destinationLimitedLikeTheRouters");
        requireNot(destinationIcmpUnlimitedReason != null, "destinationLimitedLikeTheRouters and "
                + "destinationIcmpUnlimited");
        if (perRouterLimit == null) {
            throw new IllegalStateException("destinationLimitedLikeTheRouters needs icmpRateLimitPerRouter first");
        }
        destinationLimitedLikeRouters = true;
        return self();
    }

    /**
     * The destination (a host, not a router) sends every ICMP error, however fast, while the routers keep
     * theirs: {@code net.ipv4.icmp_ratemask=0} (and {@code net.ipv6.icmp.ratelimit=0}) in the destination's
     * namespace only. A server whose kernel limits were lifted, or one behind a load balancer that answers for
     * it: every Port Unreachable a UDP probe earns comes back, so a UDP probe it leaves unanswered was lost on
     * the way, never refused (issue 68: the scene where real loss was read as rate-limited).
     *
     * @param reason why this lab's destination does not limit its errors (printed in {@link Lab#toString()})
     * @throws IllegalArgumentException if {@code reason} is blank
     * @throws IllegalStateException if set twice, or with {@link #destinationLimitedLikeTheRouters()}
     */
    public LabBuilder destinationIcmpUnlimited(String reason) {
        String why = reason(reason, "destinationIcmpUnlimited needs the reason this lab's destination does not "
                + "limit its ICMP errors");
        requireUnset(destinationIcmpUnlimitedReason == null, "destinationIcmpUnlimited");
        requireNot(destinationLimitedLikeRouters, "destinationLimitedLikeTheRouters and destinationIcmpUnlimited");
        destinationIcmpUnlimitedReason = why;
        return self();
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
    public LabBuilder limitNewTcpConnections(int hop, int perMinute, int burst) {
        requireUnset(newConnectionLimit == null, "limitNewTcpConnections");
        requireRouter(hop, "new TCP connection limit");
        newConnectionLimit = new NewConnectionLimit(hop, perMinute, burst);
        return self();
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
    public LabBuilder dropToDestination(double percent) {
        requireUnset(dropTo == 0, "dropToDestination");
        dropTo = percent(percent);
        return self();
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
    public LabBuilder dropFromDestination(double percent) {
        requireUnset(dropFrom == 0, "dropFromDestination");
        dropFrom = percent(percent);
        return self();
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
    public LabBuilder dropAtRouter(int ttl, double percent) {
        requireUnset(dropRouterTtl == 0, "dropAtRouter");
        requireRouter(ttl, "loss");
        dropAtRouter = percent(percent);
        dropRouterTtl = ttl;
        return self();
    }

    /**
     * A lossy link behind one router, both ways: as {@link #dropAtRouter(int, double)}, and the router(s) at TTL
     * {@code ttl} also drop this percentage of what they forward toward the host (arriving from beyond them: the
     * answers of every later router and of the destination). Probes expiring at that router and its own answers are
     * never dropped; a probe beyond it and its answer each cross the loss once, so 30 % loses about 51 % round trip.
     *
     * @throws IllegalArgumentException unless {@code ttl} is a router's TTL and {@code 0.01 <= percent <= 100}
     */
    public LabBuilder dropAtRouterBothWays(int ttl, double percent) {
        dropAtRouter(ttl, percent);
        dropRouterBothWays = true;
        return self();
    }

    /**
     * Every packet the destination sends from {@link Lab#destination()} toward the host is sent
     * twice: {@link #duplicateFromDestination(double)} with 100 %.
     */
    public LabBuilder duplicateFromDestination() {
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
    public LabBuilder duplicateFromDestination(double percent) {
        requireUnset(duplicate == 0, "duplicateFromDestination");
        duplicate = percent(percent);
        return self();
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
    public LabBuilder bottleneck(int hop, long bitsPerSecond, Duration queue) {
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
    public LabBuilder bottleneckBothWays(int hop, long bitsPerSecond, Duration queue) {
        return bottleneck(hop, bitsPerSecond, queue, true);
    }

    /**
     * The TCP congestion control of the lab's namespaces ({@code net.ipv4.tcp_congestion_control}
     * in every router and the destination, and with {@link LabBuilder#inCurrentNamespace()} in the calling
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
     * congctl cubic}; with {@link LabBuilder#inCurrentNamespace()}, the calling namespace's routes through
     * {@value Lab#HOST_INTERFACE}), which every TCP connection through them takes at both ends,
     * and the namespaces' defaults are left alone. A control the kernel does not have fails
     * {@link LabBuilder#build()} before anything is made.
     *
     * @throws IllegalArgumentException unless {@code name} is a kernel module name (letters, digits, {@code _})
     */
    public LabBuilder congestionControl(String name) {
        requireUnset(congestionControl == null, "congestionControl");
        java.util.Objects.requireNonNull(name, "name");
        if (!name.matches("[a-z0-9_]{1,15}")) {
            throw new IllegalArgumentException("congestion control must be a name such as reno or bbr, was '" + name
                    + "'");
        }
        congestionControl = name;
        return self();
    }

    private LabBuilder bottleneck(int hop, long bitsPerSecond, Duration queue, boolean bothWays) {
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
        return self();
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
    public LabBuilder separateLoadPath(long bitsPerSecond, Duration queue) {
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
        return self();
    }

    static double percent(double percent) {
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
    public LabBuilder icmpRateLimitedHop(int ttl, Duration interval, int messagesPerSecond, int burst) {
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
        return self();
    }

    /**
     * A middlebox that re-marks DSCP: router {@code hop} sets the DSCP of every IPv4 and IPv6 packet it
     * forwards away from the host to {@code dscp}, keeping the two ECN bits (nftables {@code ip dscp set},
     * {@code ip6 dscp set} in its forward hook, after the kernel's TTL check: a probe expiring at {@code hop}
     * is quoted with the DSCP it was sent with, the router at {@code hop + 1} is the first to quote
     * {@code dscp}). See {@link Middlebox}; {@link Lab#middleboxes()} lists it.
     *
     * @param hop the router, 1..hops-1
     * @param dscp the DSCP it sets, 0..63 (0: bleaching)
     * @return this builder
     * @throws IllegalArgumentException if {@code hop} is not a router or {@code dscp} out of range
     * @throws IllegalStateException if a DSCP rewrite was set already
     */
    public LabBuilder rewriteDscpAt(int hop, int dscp) {
        return middlebox(Middlebox.Kind.DSCP, hop, dscp, "rewriteDscpAt");
    }

    /**
     * A middlebox that clears ECN: router {@code hop} sets the ECN field of every IPv4 and IPv6 packet it
     * forwards away from the host to Not-ECT (0), keeping the DSCP (nftables {@code ip ecn set not-ect},
     * {@code ip6 ecn set not-ect} in its forward hook, after the TTL check: the router at {@code hop + 1} is
     * the first to quote the cleared field). See {@link Middlebox}.
     *
     * @param hop the router, 1..hops-1
     * @return this builder
     * @throws IllegalArgumentException if {@code hop} is not a router
     * @throws IllegalStateException if an ECN rewrite was set already
     */
    public LabBuilder clearEcnAt(int hop) {
        return middlebox(Middlebox.Kind.CLEAR_ECN, hop, 0, "clearEcnAt");
    }

    /**
     * A middlebox that resets the TTL, as a transparent proxy does: router {@code hop} sets the TTL (hop
     * limit) of every IPv4 and IPv6 packet it forwards away from the host to {@code ttl} (nftables
     * {@code ip ttl set}, {@code ip6 hoplimit set} in its forward hook, after the kernel's TTL check and
     * decrement): the router at {@code hop + 1} receives {@code ttl} whatever the probe was sent with, so a
     * probe sent with TTL {@code hop + k} (k &ge; 1) expires at router {@code hop + ttl}, or reaches the
     * destination if that is beyond it. Probes expiring at {@code hop} or before are answered as usual. See
     * {@link Middlebox}.
     *
     * @param hop the router, 1..hops-1
     * @param ttl the TTL it sets, 1..255
     * @return this builder
     * @throws IllegalArgumentException if {@code hop} is not a router or {@code ttl} out of range
     * @throws IllegalStateException if a TTL rewrite was set already
     */
    public LabBuilder setTtlAt(int hop, int ttl) {
        return middlebox(Middlebox.Kind.TTL, hop, ttl, "setTtlAt");
    }

    /**
     * A middlebox that clamps the TCP MSS: router {@code hop} lowers the MSS option of every TCP SYN (and
     * SYN-ACK) it forwards away from the host to {@code mss}, IPv4 and IPv6 (nftables {@code tcp flags syn
     * tcp option maxseg size set} in its forward hook, after the TTL check: the router at {@code hop + 1} is
     * the first to quote {@code mss}). Linux only ever lowers an MSS there: a SYN announcing {@code mss} or
     * less, or none, passes unchanged. See {@link Middlebox}.
     *
     * @param hop the router, 1..hops-1
     * @param mss the MSS it clamps to, 1..65535
     * @return this builder
     * @throws IllegalArgumentException if {@code hop} is not a router or {@code mss} out of range
     * @throws IllegalStateException if an MSS clamp was set already
     */
    public LabBuilder clampMssAt(int hop, int mss) {
        return middlebox(Middlebox.Kind.MSS, hop, mss, "clampMssAt");
    }

    /**
     * A middlebox that re-marks TCP to {@code tcpPort} only: router {@code hop} sets the DSCP of the TCP packets to
     * that port it forwards away from the host to {@code dscp}, keeping the ECN bits (nftables in its forward hook,
     * IPv4 and IPv6, after the TTL check: the router at {@code hop + 1} is the first to quote it); ICMP, UDP and
     * other ports pass as they are. A plain chain; may be given for several routers or ports, and with
     * {@link #rewriteDscpAt(int, int)}.
     *
     * @param hop the router, 1..hops-1
     * @param dscp the DSCP it sets, 0..63 (0: bleaching)
     * @param tcpPort the TCP destination port, 1..65535
     * @return this builder
     * @throws IllegalArgumentException if {@code hop} is not a router, or {@code dscp} or {@code tcpPort} is out
     *     of range
     */
    public LabBuilder rewriteDscpAt(int hop, int dscp, int tcpPort) {
        requireRouter(hop, "TCP port DSCP rewrite");
        new Middlebox(Middlebox.Kind.DSCP, hop, dscp); // checks the DSCP
        protocolPolicies.add(new ProtocolPolicy(ProtocolPolicy.Kind.DSCP, hop, checkedPort(tcpPort), dscp));
        return self();
    }

    static int checkedPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, was " + port);
        }
        return port;
    }

    private LabBuilder middlebox(Middlebox.Kind kind, int hop, int value, String option) {
        requireUnset(middleboxes.stream().noneMatch(m -> m.kind() == kind), option);
        requireRouter(hop, option);
        middleboxes.add(new Middlebox(kind, hop, value));
        return self();
    }

    void requireRouter(int hop, String what) {
        if (hop < 1 || hop >= hops) {
            throw new IllegalArgumentException(what + " hop " + hop
                    + " is not a router's TTL (1.." + (hops - 1) + ")");
        }
    }

    static void requireUnset(boolean unset, String option) {
        if (!unset) {
            throw new IllegalStateException(option + " was already set");
        }
    }

    /** IllegalStateException when {@code contradicting}: {@code options} (two, "a and b") contradict each other. */
    private static void requireNot(boolean contradicting, String options) {
        if (contradicting) {
            throw new IllegalStateException(options + " contradict each other");
        }
    }

    /** {@code reason}, stripped; IllegalArgumentException with {@code missing} when it is blank. */
    private static String reason(String reason, String missing) {
        java.util.Objects.requireNonNull(reason, "reason");
        if (reason.isBlank()) {
            throw new IllegalArgumentException(missing);
        }
        return reason.strip();
    }

    private LabBuilder self() {
        return (LabBuilder) this;
    }
}
