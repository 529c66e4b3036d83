package io.pathprobe.core.internal.sim;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A simulated network as data (trippy-style, but able to reorder): per TTL a router with its RTT
 * (default 100 µs × TTL), silent TTLs, losses by (TTL, arrival), duplicates, late answers (arriving
 * after the probe's wait), answers read late (kernel timestamp in time), unreachables, send failures,
 * a path change at a given time, malformed or unrelated packets the transport drops, and a small
 * sequence range. Immutable once handed to a {@link ScenarioTransport}; build with the fluent methods.
 */
public final class Scenario {
    public static final InetAddress DESTINATION = address(192, 0, 2, 1);

    final String name;
    int destinationTtl;
    final Map<Integer, Long> rttMicros = new HashMap<>();
    final Map<Integer, Long> queueStepMicros = new HashMap<>();
    final Set<Integer> silent = new HashSet<>();
    final Map<Integer, Set<Integer>> lost = new HashMap<>();
    final Set<Integer> duplicated = new HashSet<>();
    final Map<Integer, Long> lateMicros = new HashMap<>();
    final Map<Integer, Long> readDelayMicros = new HashMap<>();
    int unreachableTtl = -1;
    int unreachableCode = 1;
    final Map<Integer, Boolean> sendFailures = new HashMap<>();
    boolean allSendsFail;
    boolean allSendsNoRoute;
    boolean allSendsTransient;
    boolean ipv4Only;
    long changeAtMicros = -1;
    int destinationTtlAfter = -1;
    int unreachableTtlAfter = -1;
    int maxSequence = 65535;
    int strayPerSend;
    int malformedPerSend;
    final Map<Integer, Integer> mplsLabel = new HashMap<>();
    boolean ipv6;
    /** TTL after which probes are translated (their quoted checksum shifted by natShift), 0 for none. */
    final Map<Integer, Integer> natAfter = new HashMap<>();
    /** TTL after which probes arrive re-marked: the ToS byte / traffic class the routers beyond it quote. */
    final Map<Integer, long[]> remarkAfter = new HashMap<>();
    /** TTL → arrivals whose probe is lost on the way out there: no TTL at or beyond answers that round. */
    final Map<Integer, Set<Integer>> lostOutbound = new HashMap<>();
    int maxInFlight = Integer.MAX_VALUE;
    /** Whether a send ends the previous probe's chance (see {@link #supersedes()}). */
    boolean supersedes;
    /** The highest flow number an EXPLICIT session offers. */
    int maxFlow = 255;
    /** Flows whose destination is at another TTL (a longer path, a farther anycast site). */
    final java.util.Map<Integer, Integer> flowDestinationTtl = new java.util.HashMap<>();

    /** Every router's (and the destination's) ICMP errors: a burst, then one per interval, per router; 0: unlimited. */
    int limitBurst;
    long limitIntervalNanos;
    /** The destination's own limit when it differs (0: as the routers'). */
    int destinationLimitBurst;
    long destinationLimitIntervalNanos;

    /** Path MTU: this host's first link (0: unlimited), each router's next link, a black hole (TTL, largest size). */
    int firstLinkMtu;
    final Map<Integer, Integer> linkMtu = new HashMap<>();
    int blackHoleTtl;
    int blackHoleBytes;

    private Scenario(String name, int destinationTtl) {
        this.name = name;
        this.destinationTtl = destinationTtl;
    }

    public static Scenario named(String name, int destinationTtl) {
        return new Scenario(name, destinationTtl);
    }

    /**
     * A seeded random scenario (silence, loss, duplicates, late and read-late answers, unreachables, path
     * changes, send failures, tiny sequence ranges, noise), drawn from {@code rnd}; with {@code rtts}, hops
     * also draw random round trips. Callers keep drawing from {@code rnd} after it.
     */
    public static Scenario random(String name, Random rnd, boolean rtts) {
        int dest = 1 + rnd.nextInt(20);
        Scenario s = named(name, dest);
        for (int ttl = 1; ttl <= 30; ttl++) {
            if (rnd.nextInt(6) == 0) {
                s.silent(ttl);
            }
            if (rtts && rnd.nextInt(4) == 0) {
                s.rtt(ttl, Duration.ofNanos(1_000 + rnd.nextInt(20_000_000)));
            }
            if (rnd.nextInt(5) == 0) {
                s.lose(ttl, rnd.nextInt(4));
            }
            if (rnd.nextInt(8) == 0) {
                s.duplicate(ttl);
            }
            if (rnd.nextInt(15) == 0) {
                s.late(ttl, Duration.ofMillis(rnd.nextInt(3000)));
            }
            if (rnd.nextInt(15) == 0) {
                s.readLate(ttl, Duration.ofMillis(rnd.nextInt(50)));
            }
        }
        if (rnd.nextInt(5) == 0) {
            s.unreachableAt(1 + rnd.nextInt(dest), rnd.nextInt(14));
        }
        if (rnd.nextInt(5) == 0) {
            s.pathChange(Duration.ofNanos(rnd.nextInt(5_000_000)), 1 + rnd.nextInt(20),
                    rnd.nextBoolean() ? -1 : 1 + rnd.nextInt(10));
        }
        if (rnd.nextInt(10) == 0) {
            s.sendFails(1 + rnd.nextInt(dest), rnd.nextBoolean());
        }
        if (rnd.nextInt(4) == 0) {
            s.maxSequence(rnd.nextInt(12));
        }
        if (rnd.nextInt(6) == 0) {
            s.noise(rnd.nextInt(3), rnd.nextInt(2));
        }
        return s;
    }

    public Scenario rtt(int ttl, Duration rtt) {
        rttMicros.put(ttl, rtt.toNanos() / 1000);
        return this;
    }

    /**
     * Every router and the destination limit the ICMP errors they send (Time Exceeded, Unreachable;
     * not Echo Replies or TCP answers): {@code burst} back to back, then one per {@code interval},
     * whichever measurement asked (Linux: 6 and 1 s per source; a vendor: a fixed rate per router).
     */
    public Scenario icmpLimit(int burst, Duration interval) {
        limitBurst = burst;
        limitIntervalNanos = interval.toNanos();
        return this;
    }

    /** The destination limits its ICMP errors so, the routers as {@link #icmpLimit} says. */
    public Scenario destinationIcmpLimit(int burst, Duration interval) {
        destinationLimitBurst = burst;
        destinationLimitIntervalNanos = interval.toNanos();
        return this;
    }

    /**
     * Another prober spent the destination's ICMP budget ({@link #destinationIcmpLimit}) just before the
     * transport's start: its bucket refills from empty.
     */
    public Scenario destinationDrained() {
        destinationDrained = true;
        return this;
    }

    boolean destinationDrained;

    /** The destination answers no TCP probe (a firewall dropping them). */
    public Scenario destinationDropsTcp() {
        destinationDropsTcp = true;
        return this;
    }

    boolean destinationDropsTcp;

    /**
     * Every address probed is one of the destination host's (the issue 47 ping of 50 addresses of one host):
     * the destination answers from the address probed, and its ICMP limit ({@link #destinationIcmpLimit}) is one
     * bucket for all of them, as Linux's per-peer limit.
     */
    public Scenario destinationAliases() {
        destinationAliases = true;
        return this;
    }

    boolean destinationAliases;

    /** This host refuses a DF probe larger than {@code mtu} at once, naming it (EMSGSIZE). */
    public Scenario firstLinkMtu(int mtu) {
        firstLinkMtu = mtu;
        return this;
    }

    /** The router at {@code ttl} answers a larger DF probe it would forward with Packet Too Big naming {@code mtu}. */
    public Scenario linkMtu(int ttl, int mtu) {
        linkMtu.put(ttl, mtu);
        return this;
    }

    /** The router at {@code ttl} silently drops the DF probes over {@code bytes} it would forward. */
    public Scenario mtuBlackHole(int ttl, int bytes) {
        blackHoleTtl = ttl;
        blackHoleBytes = bytes;
        return this;
    }

    public Scenario silent(int... ttls) {
        for (int t : ttls) {
            silent.add(t);
        }
        return this;
    }

    /** The {@code arrivals}-th probes (from 0) that reach TTL {@code ttl} get no answer. */
    public Scenario lose(int ttl, int... arrivals) {
        Set<Integer> s = lost.computeIfAbsent(ttl, k -> new HashSet<>());
        for (int a : arrivals) {
            s.add(a);
        }
        return this;
    }

    public Scenario duplicate(int... ttls) {
        for (int t : ttls) {
            duplicated.add(t);
        }
        return this;
    }

    /**
     * A queue that grows: the n-th probe (from 0) to reach TTL {@code ttl} waits n × {@code step}
     * longer than its RTT (timestamps too), as when each attempt queues behind more traffic.
     */
    public Scenario growingQueue(int ttl, Duration step) {
        queueStepMicros.put(ttl, step.toNanos() / 1000);
        return this;
    }

    /** Answers at this TTL arrive {@code extra} after their RTT (their timestamps too). */
    public Scenario late(int ttl, Duration extra) {
        lateMicros.put(ttl, extra.toNanos() / 1000);
        return this;
    }

    /** Answers at this TTL arrive in time (kernel timestamp) but are read {@code delay} later. */
    public Scenario readLate(int ttl, Duration delay) {
        readDelayMicros.put(ttl, delay.toNanos() / 1000);
        return this;
    }

    /** The router at {@code ttl} answers destination unreachable with this ICMP code for probes at or beyond it. */
    public Scenario unreachableAt(int ttl, int code) {
        unreachableTtl = ttl;
        unreachableCode = code;
        return this;
    }

    public Scenario sendFails(int ttl, boolean noRoute) {
        sendFailures.put(ttl, noRoute);
        return this;
    }

    /**
     * Every send fails for good: no route (ENETUNREACH) or, without, no source address of the family
     * (EADDRNOTAVAIL: an IPv6 target on an IPv4-only host); both permanent.
     */
    public Scenario allSendsFail(boolean noRoute) {
        allSendsFail = true;
        allSendsNoRoute = noRoute;
        return this;
    }

    /**
     * An IPv4-only host: every send to an IPv6 destination fails for good with EADDRNOTAVAIL (no
     * source address of the family); IPv4 destinations are not affected.
     */
    public Scenario ipv4Only() {
        ipv4Only = true;
        return this;
    }

    /** Every send fails, transiently (ENOBUFS: a full buffer): nothing says the next one would fail too. */
    public Scenario allSendsFailTransiently() {
        allSendsFail = true;
        allSendsTransient = true;
        return this;
    }

    /** From {@code at} on, the destination is at {@code destinationTtl} and (if > 0) a router at {@code unreachableTtl} answers unreachable. */
    public Scenario pathChange(Duration at, int destinationTtl, int unreachableTtl) {
        this.changeAtMicros = at.toNanos() / 1000;
        this.destinationTtlAfter = destinationTtl;
        this.unreachableTtlAfter = unreachableTtl;
        return this;
    }

    public Scenario maxSequence(int maxSequence) {
        this.maxSequence = maxSequence;
        return this;
    }

    /** Per send, packets the transport reads and drops: unrelated ones and malformed ones. */
    public Scenario noise(int stray, int malformed) {
        this.strayPerSend = stray;
        this.malformedPerSend = malformed;
        return this;
    }

    public Scenario mpls(int ttl, int label) {
        mplsLabel.put(ttl, label);
        return this;
    }

    /**
     * A NAT at TTL {@code ttl}: answers from beyond it quote the probe's checksum shifted by
     * {@code shift} (a NAT that does not restore the quote); answers carry the checksum sent.
     */
    public Scenario natAt(int ttl, int shift) {
        natAfter.put(ttl, shift);
        return this;
    }

    /**
     * A box at TTL {@code ttl} that re-marks what it forwards: answers from beyond it quote {@code trafficClass} (the
     * ToS byte / traffic class); the routers up to it quote the session's own. Every error carries the headers.
     */
    public Scenario remarkAt(int ttl, int trafficClass) {
        return remarkAt(ttl, trafficClass, Duration.ZERO, Duration.ofDays(1));
    }

    /** Like {@link #remarkAt(int, int)}, for probes sent from {@code from} to {@code until} after the start only. */
    public Scenario remarkAt(int ttl, int trafficClass, Duration from, Duration until) {
        remarkAfter.put(ttl, new long[] {trafficClass, from.toNanos() / 1000, until.toNanos() / 1000});
        return this;
    }

    /** The {@code arrivals}-th probes at TTL {@code ttl} and beyond are lost on the way out: nothing of that round answers. */
    public Scenario loseOutbound(int ttl, int... arrivals) {
        Set<Integer> s = lostOutbound.computeIfAbsent(ttl, k -> new HashSet<>());
        for (int a : arrivals) {
            s.add(a);
        }
        return this;
    }

    /** Sessions say they take at most this many probes in flight. */
    /** Probes of {@code flow} reach the destination at {@code ttl} (routers before it answer Time Exceeded). */
    public Scenario flowDestination(int flow, int ttl) {
        flowDestinationTtl.put(flow, ttl);
        return this;
    }

    /** Explicit-flow sessions offer flows 0..maxFlow (default 255). */
    public Scenario maxFlow(int maxFlow) {
        this.maxFlow = maxFlow;
        return this;
    }

    public Scenario maxInFlight(int maxInFlight) {
        this.maxInFlight = maxInFlight;
        return this;
    }

    /**
     * Each send ends the previous probe's chance: an answer to any but the session's last probe is
     * dropped when it arrives (linux-tcp-connect's Paris session, one 4-tuple, releases the previous
     * probe's socket to send the next).
     */
    public Scenario supersedes() {
        this.supersedes = true;
        return this;
    }

    public Scenario ipv6() {
        ipv6 = true;
        return this;
    }

    public InetAddress destination() {
        return ipv6 ? address6(0xff) : DESTINATION;
    }

    /** Routers that change with time: TTL → the router's address as a function of microseconds since the start. */
    final Map<Integer, java.util.function.LongFunction<InetAddress>> routerAt = new HashMap<>();
    /** Microseconds since the start during which the destination answers nothing: [from, to). */
    long destinationDownFromMicros = -1;
    long destinationDownToMicros = -1;
    /** An outage [from, to) in microseconds since the start: the router at {@link #outageTtl} answers unreachable, or loops. */
    long outageFromMicros = -1;
    long outageToMicros = -1;
    int outageTtl;
    boolean outageLoop;

    /** The router at {@code ttl} is {@code byMicros.apply(microseconds since the start)}: a reroute, a flapping route. */
    public Scenario routerAt(int ttl, java.util.function.LongFunction<InetAddress> byMicros) {
        routerAt.put(ttl, byMicros);
        return this;
    }

    /**
     * These addresses are held by no one: a probe to one of them reaches the destination's network and vanishes,
     * answered by nothing (a dead host among live ones: with {@link #destinationAliases()}, every other address is the
     * destination's).
     */
    public Scenario deadAddresses(InetAddress... addresses) {
        dead.addAll(java.util.List.of(addresses));
        return this;
    }

    final Set<InetAddress> dead = new HashSet<>();

    /** From {@code from} until {@code to} the destination answers nothing (the routers before it do). */
    public Scenario destinationDown(Duration from, Duration to) {
        destinationDownFromMicros = from.toNanos() / 1000;
        destinationDownToMicros = to.toNanos() / 1000;
        return this;
    }

    /**
     * From {@code from} until {@code to} the router at {@code ttl} has no route to the destination: it answers
     * every probe at or beyond its TTL with a net unreachable (code 0), as {@code ip route replace unreachable}.
     */
    public Scenario unreachableDuring(Duration from, Duration to, int ttl) {
        outageFromMicros = from.toNanos() / 1000;
        outageToMicros = to.toNanos() / 1000;
        outageTtl = ttl;
        outageLoop = false;
        return this;
    }

    /**
     * From {@code from} until {@code to} the routers at {@code ttl - 2} and {@code ttl - 1} route the destination to
     * each other (a link pulled): a probe at TTL {@code ttl} or beyond expires in the loop, answered Time Exceeded by
     * the router at {@code ttl - 2} (even distance past {@code ttl}) or {@code ttl - 1} (odd). {@code ttl} ≥ 3.
     */
    public Scenario loopDuring(Duration from, Duration to, int ttl) {
        outageFromMicros = from.toNanos() / 1000;
        outageToMicros = to.toNanos() / 1000;
        outageTtl = ttl;
        outageLoop = true;
        return this;
    }

    /** The router at {@code ttl} at {@code micros} since the start. */
    InetAddress router(int ttl, long micros) {
        java.util.function.LongFunction<InetAddress> f = routerAt.get(ttl);
        return f == null ? router(ttl) : f.apply(micros);
    }

    public InetAddress router(int ttl) {
        return ipv6 ? address6(ttl) : address(10, 0, ttl, 1);
    }

    public int destinationTtl() {
        return destinationTtl;
    }

    long rttNanos(int ttl) {
        return rttMicros.getOrDefault(ttl, 100L * ttl) * 1000;
    }

    public static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static InetAddress address6(int last) {
        byte[] b = new byte[16];
        b[0] = 0x20;
        b[1] = 0x01;
        b[2] = 0x0d;
        b[3] = (byte) 0xb8;
        b[15] = (byte) last;
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
