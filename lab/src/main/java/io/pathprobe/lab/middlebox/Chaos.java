package io.pathprobe.lab.middlebox;

import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabBuilder;
import io.pathprobe.lab.namespace.Exec;
import io.pathprobe.lab.namespace.Namespaces;
import io.pathprobe.lab.topology.ChainTopology;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Faults injected into a built chain lab while it runs, for the chaos suite: each can be switched on
 * between (or during) measurements and is counted, so a test can say how much it injected.
 *
 * <pre>{@code
 * try (Lab lab = Lab.chain(5).icmpUnlimited("faults counted probe for probe").inCurrentNamespace().build(); Chaos chaos
 * = Chaos.on(lab)) {     chaos.loss(2, 30);                 // router 2 drops 30 % of what it forwards away from the
 * host     ... trace ...
 *     long dropped = chaos.lost();       // nftables counter
 *     chaos.restore();                   // back to the plain lab
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@link #loss(int, double)}: random loss at a router (nftables {@code numgen random}, forward hook);</li>
 *   <li>{@link #duplicateReplies()}: router 1 sends everything it sends or forwards toward the host
 *       twice (nftables {@code dup}, forward and output hooks): Time Exceeded, echo replies, port
 *       unreachables, all of them;</li>
 *   <li>{@link #reorderReplies(double, long)}: a share of what router 1 sends toward the host waits in
 *       a slow htb class (chosen by nftables {@code meta priority set}) while the rest passes:
 *       replies overtake each other;</li>
 *   <li>{@link #icmpRateLimit(int, Duration, int, int)}: the kernel's ICMP rate limits on one router,
 *       counted by its {@code OutRateLimitGlobal + OutRateLimitHost} ({@code /proc/net/snmp});</li>
 *   <li>{@link #hostileRouter(int, String)}: a router forging ICMP answers ({@link HostileRouter});</li>
 *   <li>{@link #slowForward(int, long)}: a router forwarding away from the host at a low rate (the
 *       answers of the routers beyond come late, so that a hostile router's come first);</li>
 *   <li>{@link #replaceRoute(int, String)} and {@link #linkDown(int)}: a route change and a link
 *       removed, typically while a measurement runs; {@link #restore()} brings the link and the
 *       router's routes back;</li>
 *   <li>{@link #drainIcmpBudgets()}: not a fault but another tracer's burst just before the
 *       measurement: every router's (and the destination's) per-source ICMP bucket is left empty,
 *       checked on their {@code OutRateLimitHost} counters. Nothing to restore: the buckets refill.</li>
 * </ul>
 * Not for NAT or home labs; at an ECMP diamond's TTL each option applies to every router of the TTL.
 * {@link #restore()} (and {@link #close()}) undo everything. Needs nft, tc, ip and, for the hostile
 * router, gcc.
 */
public final class Chaos implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String TABLE = "pathprobe_chaos";
    /** The packet mark bit {@link #duplicateReplies()} sets on what it duplicated. */
    private static final String DUP_MARK = "0x40000000";
    private static final Pattern COUNTER = Pattern.compile("counter packets (\\d+) bytes \\d+ .*?comment \"(\\w+)\"");

    private final Lab lab;
    /** TTLs that got a chaos table. */
    private final List<Integer> tables = new ArrayList<>();
    private final List<Integer> rateLimited = new ArrayList<>();
    /** TTLs whose forwarding was slowed ({@link #slowForward}). */
    private final List<Integer> slowed = new ArrayList<>();
    private final Map<Integer, Long> rateLimitBase = new LinkedHashMap<>();
    /** Per router namespace whose link went down: the routes it had. */
    private final Map<String, List<String>> savedRoutes = new LinkedHashMap<>();
    private final Map<String, List<String>> downLinks = new LinkedHashMap<>();
    private final List<HostileRouter> hostile = new ArrayList<>();
    private boolean reorder;

    private Chaos(Lab lab) {
        this.lab = lab;
    }

    /** Chaos for this lab (a chain or a diamond, not a NAT or home lab). */
    public static Chaos on(Lab lab) {
        Objects.requireNonNull(lab, "lab");
        if (lab.isHome() || lab.nat().isPresent()) {
            throw new IllegalArgumentException("chaos is for chains and diamonds, not NAT or home labs");
        }
        return new Chaos(lab);
    }

    /**
     * Router(s) at {@code ttl} drop {@code percent} % of what they forward away from the host
     * (nftables {@code numgen random mod 10000 < 100·percent}, forward hook, counted): probes to later
     * TTLs and to the destination. What expires there is still answered; answers are not touched.
     */
    public synchronized Chaos loss(int ttl, double percent) {
        checkRouter(ttl);
        if (!(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("percent must be in (0, 100], was " + percent);
        }
        long n = Math.round(percent * 100);
        String rule = "iifname \"" + ChainTopology.UPLINK + "\" "
                + (n >= 10_000 ? "" : "numgen random mod 10000 < " + n + " ")
                + "counter drop comment \"lost\"";
        addTable(ttl, "chain forward { type filter hook forward priority -5; policy accept;\n" + rule + "\n}");
        return this;
    }

    /**
     * Router 1 sends every packet it sends or forwards toward the host twice (nftables {@code dup to
     * <host> device uplink} in its forward and output hooks, counted): each answer of every router and
     * of the destination arrives twice, the copy first.
     */
    public synchronized Chaos duplicateReplies() {
        String host = lab.hostAddress().getHostAddress();
        String up = ChainTopology.UPLINK;
        // the copy passes the output hook again (nf_dup sends it with ip_local_out, not duplicating it twice):
        // the original is marked first, so the copy carries the mark and is neither counted nor matched again
        String rule = "oifname \"" + up + "\" ip daddr " + host + " meta mark & " + DUP_MARK
                + " == 0 counter meta mark set meta mark | "
                + DUP_MARK + " dup to " + host + " device \"" + up + "\" comment \"duplicated\"";
        addTable(1, "chain forward { type filter hook forward priority -5; policy accept;\n" + rule + "\n}\n"
                + "chain output { type filter hook output priority -5; policy accept;\n" + rule + "\n}");
        return this;
    }

    /**
     * Reordered answers: router 1 puts {@code percent} % of what it sends toward the host (chosen at
     * random, counted) into a slow class shaped to {@code slowBitsPerSecond} with a 100-byte bucket
     * and 2 s of queue (at least 4,000 bytes; tail drop beyond), and the rest into a class that is not
     * shaped ({@code tc qdisc htb} on its uplink, the class chosen by nftables {@code meta priority set
     * 1:20} in postrouting; this kernel has htb and tbf but neither prio nor netem). A packet in the
     * slow class waits for the ones before it in that class while later fast ones pass it.
     */
    public synchronized Chaos reorderReplies(double percent, long slowBitsPerSecond) {
        if (!(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("percent must be in (0, 100], was " + percent);
        }
        if (slowBitsPerSecond < 1000) {
            throw new IllegalArgumentException("slow band rate must be at least 1000 bit/s");
        }
        String up = ChainTopology.UPLINK;
        long limit = Math.max(4000, slowBitsPerSecond / 4); // 2 s of the slow rate, at least 4,000 bytes
        for (String ns : lab.namespaces(1)) {
            // htb, not prio (this kernel has tbf and htb, no prio): class 1:10 unshaped (default), 1:20 slow
            sh(ns, "tc qdisc replace dev " + up + " root handle 1: htb default 10"
                    + " && tc class add dev " + up + " parent 1: classid 1:10 htb rate 10gbit"
                    + " && tc class add dev " + up + " parent 1: classid 1:20 htb rate "
                    + slowBitsPerSecond + "bit ceil "
                    + slowBitsPerSecond + "bit burst 100 cburst 100"
                    + " && tc qdisc add dev " + up + " parent 1:20 handle 20: bfifo limit " + limit);
        }
        reorder = true;
        long n = Math.round(percent * 100);
        addTable(1, "chain postrouting { type filter hook postrouting priority 0; policy accept;\n"
                + "oifname \"" + up + "\" " + (n >= 10_000 ? "" : "numgen random mod 10000 < " + n + " ")
                + "counter meta priority set 1:20 comment \"delayed\"\n}");
        return this;
    }

    /**
     * Slow forwarding away from the host: the router(s) at {@code ttl} send what they forward toward
     * the destination through a token bucket of {@code bitsPerSecond} ({@code tc qdisc tbf} on the
     * downlink, a 200-byte bucket, 3 s of queue), so probes beyond that router queue there and the
     * answers from further routers come later, while what the router itself answers (or a hostile
     * router on it forges) does not wait. {@link #restore()} removes it.
     */
    public synchronized Chaos slowForward(int ttl, long bitsPerSecond) {
        checkRouter(ttl);
        if (bitsPerSecond < 8000) {
            throw new IllegalArgumentException("rate must be at least 8000 bit/s, was " + bitsPerSecond);
        }
        for (String ns : lab.namespaces(ttl)) {
            sh(ns, "tc qdisc replace dev " + ChainTopology.DOWNLINK + " root tbf rate " + bitsPerSecond
                    + "bit burst 200 latency 3s");
        }
        slowed.add(ttl);
        return this;
    }

    /**
     * The kernel's ICMP rate limits on the router(s) at {@code ttl}, whatever the lab had:
     * {@code icmp_ratelimit} = {@code interval} (per destination, burst 6), the default ratemask
     * (unreachables, source quench, time exceeded, parameter problem), {@code icmp_msgs_per_sec} and
     * {@code icmp_msgs_burst} for the namespace; {@link #rateLimited()} counts what they suppressed.
     */
    public synchronized Chaos icmpRateLimit(int ttl, Duration interval, int messagesPerSecond, int burst) {
        checkRouter(ttl);
        for (String ns : lab.namespaces(ttl)) {
            sh(ns, "echo " + interval.toMillis() + " > /proc/sys/net/ipv4/icmp_ratelimit"
                    + " && echo 6168 > /proc/sys/net/ipv4/icmp_ratemask"
                    + " && echo " + messagesPerSecond + " > /proc/sys/net/ipv4/icmp_msgs_per_sec"
                    + " && echo " + burst + " > /proc/sys/net/ipv4/icmp_msgs_burst");
            rateLimitBase.merge(ttl, rateLimitCount(ns), Long::sum);
        }
        rateLimited.add(ttl);
        return this;
    }

    /**
     * Starts a hostile router in the namespace of router {@code ttl} (not a diamond's TTL): it forges
     * answers of the given {@code kinds} ("1234567" = all, see {@link HostileRouter}) to every probe
     * of the host's that arrives there.
     */
    public synchronized HostileRouter hostileRouter(int ttl, String kinds) {
        checkRouter(ttl);
        HostileRouter r = HostileRouter.start(lab.namespace(ttl), ChainTopology.UPLINK, lab.hostAddress(), kinds);
        hostile.add(r);
        return r;
    }

    /** {@code ip route replace <route>} in the router(s) at {@code ttl}, e.g. {@code "unreachable 198.19.0.0/16"}. */
    public synchronized void replaceRoute(int ttl, String route) {
        checkRouter(ttl);
        for (String ns : lab.namespaces(ttl)) {
            saveRoutes(ns);
            sh(ns, "ip route replace " + route);
        }
    }

    /**
     * Takes the link from the router(s) at {@code ttl} toward the destination down ({@code ip link set
     * downlink down}): the kernel drops the routes through it, so the router answers what it would
     * have forwarded with network unreachable. {@link #restore()} brings it up and puts the routes back.
     */
    public synchronized void linkDown(int ttl) {
        checkRouter(ttl);
        for (String ns : lab.namespaces(ttl)) {
            saveRoutes(ns);
            List<String> links = new ArrayList<>();
            for (String line : sh(ns, "ip -o link show").lines().toList()) {
                Matcher m = Pattern.compile("^\\d+:\\s+(" + ChainTopology.DOWNLINK + "\\w*)[@:]").matcher(line);
                if (m.find()) {
                    links.add(m.group(1));
                }
            }
            for (String link : links) {
                sh(ns, "ip link set " + link + " down");
            }
            downLinks.put(ns, links);
        }
    }

    /** Probes a drain sends to each TTL per burst: more than the kernel's per-source burst of 6, traceroute's most. */
    static final int DRAIN_PROBES = 10;
    /** Bursts a drain sends at most before it gives up on a node whose counter did not move. */
    public static final int DRAIN_BURSTS = 6;

    /**
     * What {@link #drainIcmpBudgets()} did.
     *
     * @param refused per TTL (1 = router 1 .. {@link Lab#hops()} = the destination), the ICMP errors
     *     the kernel's per-source limit refused during the drain ({@code OutRateLimitHost}); at an ECMP
     *     diamond's TTL the fewest of its routers'
     * @param bursts the traceroute bursts sent (one unless a node needed more, e.g. a diamond's
     *     branch that the first burst's flows did not reach)
     * @param took the drain's wall time, counters included
     */
    public record IcmpDrain(Map<Integer, Long> refused, int bursts, Duration took) {
        public IcmpDrain {
            refused = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(refused));
        }

        /** Whether every node refused at least one error: its bucket held less than one token when the burst ended. */
        public boolean drained() {
            return !refused.isEmpty() && refused.values().stream().allMatch(n -> n > 0);
        }

        /** The TTLs whose node (some router of a diamond's TTL) refused nothing: not drained. */
        public List<Integer> notDrained() {
            return refused.entrySet().stream().filter(e -> e.getValue() <= 0).map(Map.Entry::getKey).sorted().toList();
        }
    }

    /**
     * Drains the ICMP budgets the host's probes draw on, as another tracer's burst would just before
     * a measurement: from the host namespace, {@value #DRAIN_PROBES} UDP probes to each TTL from 1 to
     * the destination's, all at once ({@code traceroute -n -q 10 -N <all> -w 0.2 -m <hops>}), so each
     * router sends Time Exceeded and the destination Port Unreachable until the kernel's per-source
     * bucket (burst 6, one token per {@code icmp_ratelimit}) is empty. Every router's and the
     * destination's {@code OutRateLimitHost} ({@code /proc/net/snmp}) is read before and after: a node
     * that refused nothing gets another burst at its TTL (other ports, other ECMP branches), at most
     * {@value #DRAIN_BURSTS} bursts in all. The buckets are per source address: whatever protocol the
     * measurement uses afterwards (ICMP, UDP, TCP), its Time Exceeded and Unreachables draw on the same
     * empty bucket; echo replies and TCP resets are never limited.
     *
     * <p>When it returns, each drained node holds less than one token plus one per second since its
     * last refusal. Only the kernel's per-source limits are seen: with {@link LabBuilder#icmpUnlimited(String)}
     * nothing is refused ({@link IcmpDrain#drained()} false), and the vendor-like
     * {@link LabBuilder#icmpRateLimitPerRouter(int, int)} profile (nftables) is not counted. IPv4 only.
     * Every probe stays in the lab: the host namespace routes only the lab's addresses.
     */
    public IcmpDrain drainIcmpBudgets() {
        long t0 = System.nanoTime();
        int hops = lab.hops();
        Map<String, Long> before = rateLimitHostCounts();
        Map<Integer, Long> refused = new LinkedHashMap<>();
        int bursts = 0;
        int port = 33434;
        List<Integer> todo = new ArrayList<>();
        for (int ttl = 1; ttl <= hops; ttl++) {
            todo.add(ttl);
        }
        while (!todo.isEmpty() && bursts < DRAIN_BURSTS) {
            int first = todo.get(0);
            int last = todo.get(todo.size() - 1);
            int probes = DRAIN_PROBES * (last - first + 1);
            // UDP (traceroute's default): Time Exceeded from the routers, Port Unreachable from the destination;
            // every probe at once (-N), a short wait (refused probes are never answered), ports new each burst
            List<String> cmd = List.of("traceroute", "-n", "-q", Integer.toString(DRAIN_PROBES), "-N",
                    Integer.toString(probes),
                    "-w", "0.2", "-f", Integer.toString(first), "-m", Integer.toString(last), "-p",
                    Integer.toString(port),
                    lab.destination().getHostAddress());
            Exec.check("draining the ICMP budgets of " + lab.name(), lab.command(cmd).command(),
                    String.join(" ", cmd), null,
                    null, TIMEOUT);
            bursts++;
            port += probes;
            Map<String, Long> after = rateLimitHostCounts();
            todo.clear();
            for (int ttl = 1; ttl <= hops; ttl++) {
                long fewest = Long.MAX_VALUE;
                for (String ns : lab.namespaces(ttl)) {
                    fewest = Math.min(fewest, after.getOrDefault(ns, 0L) - before.getOrDefault(ns, 0L));
                }
                refused.put(ttl, fewest);
                if (fewest <= 0) {
                    todo.add(ttl);
                }
            }
        }
        return new IcmpDrain(refused, bursts, Duration.ofNanos(System.nanoTime() - t0));
    }

    /** Every router's and the destination's {@code Icmp: OutRateLimitHost}, by namespace, read by one shell. */
    private Map<String, Long> rateLimitHostCounts() {
        StringBuilder script = new StringBuilder();
        for (int ttl = 1; ttl <= lab.hops(); ttl++) {
            for (String ns : lab.namespaces(ttl)) {
                script.append("echo \"@ ").append(ns).append("\"; ip netns exec ").append(ns)
                        .append(" grep '^Icmp:' /proc/net/snmp\n");
            }
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        String ns = null;
        StringBuilder snmp = new StringBuilder();
        for (String line : (sh("", script.toString()) + "@ end").lines().toList()) {
            if (line.startsWith("@ ")) {
                if (ns != null) {
                    counts.put(ns, outRateLimitHost(snmp.toString()));
                }
                ns = line.substring(2).strip();
                snmp.setLength(0);
            } else {
                snmp.append(line).append('\n');
            }
        }
        return counts;
    }

    /**
     * {@code OutRateLimitHost} of the {@code Icmp:} lines of {@code /proc/net/snmp} (a header line of
     * names, then one of values): the ICMP errors the per-destination limit refused; 0 if absent.
     */
    public static long outRateLimitHost(String snmp) {
        List<String> lines = snmp.lines().filter(l -> l.startsWith("Icmp:")).toList();
        if (lines.size() < 2) {
            return 0;
        }
        String[] names = lines.get(0).split("\\s+");
        String[] values = lines.get(1).split("\\s+");
        for (int i = 1; i < names.length && i < values.length; i++) {
            if (names[i].equals("OutRateLimitHost")) {
                return Long.parseLong(values[i]);
            }
        }
        return 0;
    }

    /** Packets dropped by {@link #loss} so far. */
    public synchronized long lost() {
        return counter("lost");
    }

    /** Packets duplicated by {@link #duplicateReplies()} so far (each one an extra copy). */
    public synchronized long duplicated() {
        return counter("duplicated");
    }

    /** Packets sent through the slow band of {@link #reorderReplies} so far. */
    public synchronized long delayed() {
        return counter("delayed");
    }

    /** ICMP messages the rate limits of {@link #icmpRateLimit} suppressed since they were set. */
    public synchronized long rateLimited() {
        long total = 0;
        unslow();
        for (int ttl : rateLimited) {
            for (String ns : lab.namespaces(ttl)) {
                total += rateLimitCount(ns);
            }
            total -= rateLimitBase.getOrDefault(ttl, 0L);
        }
        return total;
    }

    /** Deletes the qdiscs of {@link #slowForward}: the slowed routers forward at full speed again. */
    private void unslow() {
        for (int ttl : slowed) {
            for (String ns : lab.namespaces(ttl)) {
                sh(ns, "tc qdisc del dev " + ChainTopology.DOWNLINK + " root 2>/dev/null || true");
            }
        }
        slowed.clear();
    }

    /**
     * Undoes everything: stops hostile routers, deletes the chaos tables and qdiscs, brings links up and routes back,
     * lifts rate limits (to unlimited).
     */
    public synchronized void restore() {
        for (HostileRouter r : hostile) {
            r.close();
        }
        hostile.clear();
        for (int ttl : tables) {
            for (String ns : lab.namespaces(ttl)) {
                sh(ns, "nft delete table ip " + TABLE + " 2>/dev/null || true");
            }
        }
        tables.clear();
        if (reorder) {
            for (String ns : lab.namespaces(1)) {
                sh(ns, "tc qdisc del dev " + ChainTopology.UPLINK + " root 2>/dev/null || true");
            }
            reorder = false;
        }
        unslow();
        for (int ttl : rateLimited) {
            for (String ns : lab.namespaces(ttl)) {
                sh(ns, "echo 0 > /proc/sys/net/ipv4/icmp_ratemask && echo 0 > /proc/sys/net/ipv4/icmp_ratelimit");
            }
        }
        rateLimited.clear();
        rateLimitBase.clear();
        downLinks.forEach((ns, links) -> {
            for (String link : links) {
                sh(ns, "ip link set " + link + " up");
            }
        });
        downLinks.clear();
        savedRoutes.forEach((ns, routes) -> {
            StringBuilder batch = new StringBuilder();
            for (String r : routes) {
                batch.append("route replace ").append(r).append('\n');
            }
            // the links' own (kernel) routes come back with the link; replacing them again is harmless
            Exec.check("restoring the routes of " + ns, Namespaces.in(ns, "ip", "-batch", "-"),
                    "ip -batch -", batch.toString(), batch.toString(), TIMEOUT);
        });
        savedRoutes.clear();
    }

    @Override
    public void close() {
        restore();
    }

    private void saveRoutes(String ns) {
        if (savedRoutes.containsKey(ns)) {
            return;
        }
        List<String> routes = new ArrayList<>();
        for (String line : sh(ns, "ip -4 route show").lines().toList()) {
            if (line.isBlank()) {
                continue;
            }
            if (Character.isWhitespace(line.charAt(0)) && !routes.isEmpty()) { // "nexthop via ..." of a multipath route
                routes.set(routes.size() - 1, routes.get(routes.size() - 1) + " " + line.strip());
            } else {
                routes.add(line.strip());
            }
        }
        routes.removeIf(r -> r.contains("proto kernel"));
        savedRoutes.put(ns, routes);
    }

    private void addTable(int ttl, String chains) {
        for (String ns : lab.namespaces(ttl)) {
            String rules = "table ip " + TABLE + " {\n" + chains + "\n}\n";
            Exec.check("adding chaos rules in " + ns, Namespaces.in(ns, "nft", "-f", "-"),
                    "nft -f -", rules, null, TIMEOUT);
        }
        if (!tables.contains(ttl)) {
            tables.add(ttl);
        }
    }

    private long counter(String name) {
        long total = 0;
        for (int ttl : tables) {
            for (String ns : lab.namespaces(ttl)) {
                Matcher m = COUNTER.matcher(sh(ns, "nft list table ip " + TABLE));
                while (m.find()) {
                    if (m.group(2).equals(name)) {
                        total += Long.parseLong(m.group(1));
                    }
                }
            }
        }
        return total;
    }

    private long rateLimitCount(String ns) {
        List<String> lines = sh(ns, "cat /proc/net/snmp").lines().filter(l -> l.startsWith("Icmp:")).toList();
        if (lines.size() < 2) {
            return 0;
        }
        String[] names = lines.get(0).split("\\s+");
        String[] values = lines.get(1).split("\\s+");
        long total = 0;
        for (int i = 1; i < names.length && i < values.length; i++) {
            if (names[i].startsWith("OutRateLimit")) {
                total += Long.parseLong(values[i]);
            }
        }
        return total;
    }

    private void checkRouter(int ttl) {
        if (ttl < 1 || ttl >= lab.hops()) {
            throw new IllegalArgumentException("TTL " + ttl + " is not a router's (1.." + (lab.hops() - 1) + ")");
        }
    }

    private static String sh(String ns, String script) {
        List<String> cmd = ns.isEmpty() ? List.of("sh", "-c", script)
                : Namespaces.in(ns, "sh", "-c", script);
        return Exec.check("chaos in " + ns, cmd, String.join(" ", cmd), null, null, TIMEOUT).stdout();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Chaos[%s, tables at %s, %d hostile routers]", lab.name(),
                tables, hostile.size());
    }

    /** The address a hostile router's kind {@code kind} forges from. */
    public static InetAddress forgedSource(int kind) {
        if (kind < 1 || kind > 7) {
            throw new IllegalArgumentException("kinds are 1..7, was " + kind);
        }
        try {
            return InetAddress.getByAddress(new byte[] {(byte) 198, 18, (byte) 250, (byte) kind});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
