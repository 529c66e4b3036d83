package io.pathprobe.lab;

import io.pathprobe.lab.runner.Traceroute;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The lab's own command line, {@code demo} and {@code up} (Linux, root): builds a real routed lab in
 * network namespaces (a chain, an ECMP diamond or a home; IPv6, NAT, a UDP-rejecting firewall, a TCP
 * listener, one rate-limited hop) and traces through it with pathprobe's command line, or keeps it up
 * for exploring by hand. {@code bash build/demo} runs it.
 *
 * <p>It lives here, not in the command line, so that the shipped {@code pathprobe.jar} holds none of
 * the root-only lab. {@code demo} runs the command line ({@value #CLI_MAIN}) from this JVM's class
 * path, in a child JVM inside the lab's host namespace: start it with both on the class path, e.g.
 * {@code java -cp cli/target/pathprobe.jar:lab/target/pathprobe-lab-VERSION.jar io.pathprobe.lab.LabDemo demo}.
 *
 * <pre>
 * LabDemo demo [options] [--json] [--traceroute]   build, trace with ICMP and UDP from inside, tear down
 * LabDemo up [options]                             build, print how to reach it, keep it until Enter
 * </pre>
 */
public final class LabDemo {
    /** The main class of pathprobe's command line, which {@code demo} runs inside the lab. */
    public static final String CLI_MAIN = "io.pathprobe.cli.PathProbeCli";

    static final String USAGE = """
            Usage: LabDemo demo|up [options]      (Linux, root; nothing leaves the machine)
              demo   Build a lab in network namespaces (by default a 29-hop chain, hops 5, 12 and 20 silent),
                     trace through it live with ICMP and UDP from inside the lab, then tear it down.
              up     Build a lab (same options as demo), print how to reach it, and keep it until Enter,
                     end of input or Ctrl-C; then tear it down.
            Options:
              --shape chain|diamond|home  The lab (default chain). home: a home behind NAT and CGNAT, an ISP, a
                                  transit network and the destination's, with the lab's DNS server (dnsmasq: PTR
                                  and Team-Cymru-style AS records) and STUN server (coturn); --hops, --silent and
                                  the diamond options do not apply.
              --hops N            TTL of the destination (default 29 for a chain, 4 for a diamond).
              --silent T,T,...    TTLs whose router drops its Time Exceeded (default 5,12,20).
              --width N           Diamond: parallel routers, 2..16 (default 4).
              --hash l4|first4    Diamond: Linux multipath hash of the 5-tuple, or nftables jhash of the first
                                  4 transport bytes (spreads ICMP too) (default l4).
              --ecmp-ttl N        Diamond: TTL of the parallel routers (default 2).
              --ipv6              Dual stack: IPv6 (2001:db8::/32) beside IPv4.
              --nat HOP           A masquerading NAT router at this TTL.
              --nat-kind masquerade|quote  (default masquerade)
              --reject-udp HOP    A firewall at this TTL rejecting forwarded UDP (ICMP admin-prohibited, !X).
              --tcp-listen PORT   The destination listens on this TCP port.
              --rate-limited HOP  Only this router keeps a kernel ICMP rate limit (the others send every error).
              --drop HOP[.BRANCH]:PERCENT  The router at this TTL (a diamond: only its branch BRANCH, 1..width)
                                  drops this share of what it forwards away from the host, e.g. 2.1:30.
              --drop-to-destination PERCENT    The destination drops this share of what arrives for it (probes).
              --drop-from-destination PERCENT  The destination drops this share of what it sends (answers).
              --destination-unlimited  The destination sends every ICMP error (its Port Unreachables unlimited);
                                  the routers keep theirs.
              --icmp-unlimited    Routers send every ICMP error. By default they keep Linux's limits, as on the
                                  Internet (--kernel-rate-limits, the default, is still accepted).
              --json              demo: print JSON results instead of live tables.
              --traceroute        demo: trace with Linux traceroute instead of pathprobe.
            """;

    private LabDemo() {}

    /** {@code demo|up [options]}; exits with the worst trace's exit code (demo), 2 on a usage error. */
    public static void main(String[] args) throws Exception {
        int code;
        try {
            code = run(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            code = 2;
        }
        System.exit(code);
    }

    static int run(String[] args) throws Exception {
        if (args.length == 0 || List.of("-h", "--help").contains(args[0])) {
            System.out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        return switch (args[0]) {
            case "demo" -> {
                Demo d = new Demo();
                d.shape.parse(rest, d);
                yield d.call();
            }
            case "up" -> {
                Up u = new Up();
                u.shape.parse(rest, null);
                yield u.call();
            }
            default -> throw new IllegalArgumentException("unknown command " + args[0] + ": demo or up");
        };
    }

    /** The lab's shape, shared by {@code demo} and {@code up}. */
    static final class Shape {
        String shape = "chain";
        @Nullable Integer hops;
        List<Integer> silent = new ArrayList<>(List.of(5, 12, 20));
        int width = 4;
        String hash = "l4";
        int ecmpTtl = 2;
        boolean ipv6;
        int nat;
        String natKind = "masquerade";
        int rejectUdp;
        int tcpListen;
        int rateLimited;
        @Nullable String drop;
        double dropToDestination;
        double dropFromDestination;
        boolean destinationUnlimited;
        boolean icmpUnlimited;

        /** Reads {@code --name value}, {@code --name=value} and flags; {@code demo} also takes its own flags. */
        void parse(List<String> args, @Nullable Demo demo) {
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                String name = a;
                @Nullable String value = null;
                int eq = a.indexOf('=');
                if (a.startsWith("--") && eq > 0) {
                    name = a.substring(0, eq);
                    value = a.substring(eq + 1);
                }
                switch (name) {
                    case "--ipv6" -> ipv6 = true;
                    case "--kernel-rate-limits" -> icmpUnlimited = false; // the default
                    case "--icmp-unlimited" -> icmpUnlimited = true;
                    case "--destination-unlimited" -> destinationUnlimited = true;
                    case "--json", "--traceroute" -> {
                        if (demo == null) {
                            throw new IllegalArgumentException(name + " applies to demo only");
                        }
                        if (name.equals("--json")) {
                            demo.json = true;
                        } else {
                            demo.traceroute = true;
                        }
                    }
                    case "--shape", "--hops", "--silent", "--width", "--hash", "--ecmp-ttl", "--nat", "--nat-kind",
                            "--reject-udp", "--tcp-listen", "--rate-limited", "--drop", "--drop-to-destination",
                            "--drop-from-destination" -> {
                        if (value == null) {
                            if (i + 1 >= args.size()) {
                                throw new IllegalArgumentException(name + " needs a value");
                            }
                            value = args.get(++i);
                        }
                        set(name, value);
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
        }

        private void set(String name, String value) {
            try {
                switch (name) {
                    case "--shape" -> shape = value;
                    case "--hops" -> hops = Integer.parseInt(value);
                    case "--silent" -> silent = Arrays.stream(value.split(",")).map(String::trim)
                            .map(Integer::valueOf).collect(Collectors.toCollection(ArrayList::new));
                    case "--width" -> width = Integer.parseInt(value);
                    case "--hash" -> hash = value;
                    case "--ecmp-ttl" -> ecmpTtl = Integer.parseInt(value);
                    case "--nat" -> nat = Integer.parseInt(value);
                    case "--nat-kind" -> natKind = value;
                    case "--reject-udp" -> rejectUdp = Integer.parseInt(value);
                    case "--tcp-listen" -> tcpListen = Integer.parseInt(value);
                    case "--rate-limited" -> rateLimited = Integer.parseInt(value);
                    case "--drop" -> drop = value;
                    case "--drop-to-destination" -> dropToDestination = Double.parseDouble(value);
                    case "--drop-from-destination" -> dropFromDestination = Double.parseDouble(value);
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " needs a number, was " + value);
            }
        }

        boolean diamond() {
            return switch (shape.toLowerCase(Locale.ROOT)) {
                case "chain", "home" -> false;
                case "diamond" -> true;
                default -> throw new IllegalArgumentException("--shape must be chain, diamond or home, was " + shape);
            };
        }

        boolean home() {
            return !diamond() && shape.toLowerCase(Locale.ROOT).equals("home");
        }

        int hops() {
            return hops != null ? hops : diamond() ? Math.max(4, ecmpTtl + 2) : 29;
        }

        LabBuilder builder() {
            if (home()) {
                // the home lab has its own routers and NATs; IPv6 and the rate-limit options apply
                LabBuilder b = Lab.home(HomeOption.SILENT_ISP_HOP, HomeOption.SILENT_TRANSIT_HOP)
                        .dnsServer().stunServer();
                if (ipv6) {
                    b.ipv6();
                }
                if (icmpUnlimited) {
                    b.icmpUnlimited("asked for on the command line (--icmp-unlimited)");
                }
                return b;
            }
            int hops = hops();
            boolean diamond = diamond();
            int[] silentHops = silent.stream().filter(t -> t >= 1 && t < hops && !(diamond && t == ecmpTtl))
                    .mapToInt(Integer::intValue).toArray();
            LabBuilder b = Lab.chain(hops).silentHops(silentHops);
            if (diamond) {
                EcmpHash h = switch (hash.toLowerCase(Locale.ROOT)) {
                    case "l4" -> EcmpHash.LINUX_L4;
                    case "first4" -> EcmpHash.FIRST_4_BYTES;
                    default -> throw new IllegalArgumentException("--hash must be l4 or first4, was " + hash);
                };
                b.ecmp(ecmpTtl, width, h);
            }
            if (ipv6) {
                b.ipv6();
            }
            if (nat > 0) {
                b.natAt(nat, switch (natKind.toLowerCase(Locale.ROOT)) {
                    case "masquerade" -> NatKind.MASQUERADE;
                    case "quote" -> NatKind.QUOTE_PRESERVING;
                    default -> throw new IllegalArgumentException("--nat-kind must be masquerade or quote, was "
                            + natKind);
                });
            }
            if (rejectUdp > 0) {
                b.rejectUdpAt(rejectUdp);
            }
            if (tcpListen > 0) {
                b.tcpListener(tcpListen);
            }
            if (drop != null) {
                drop(b, drop);
            }
            if (dropToDestination > 0) {
                b.dropToDestination(dropToDestination);
            }
            if (dropFromDestination > 0) {
                b.dropFromDestination(dropFromDestination);
            }
            if (destinationUnlimited) {
                b.destinationIcmpUnlimited("asked for on the command line (--destination-unlimited)");
            }
            if (rateLimited > 0) {
                b.icmpRateLimitedHop(rateLimited, Duration.ofSeconds(1), 1000, 50);
                b.icmpUnlimited("only the router --rate-limited names keeps a limit");
            } else if (icmpUnlimited) {
                b.icmpUnlimited("asked for on the command line (--icmp-unlimited)");
            }
            return b;
        }

        /** {@code --drop HOP[.BRANCH]:PERCENT}: a lossy router, or one lossy branch of the diamond. */
        private static void drop(LabBuilder b, String value) {
            String[] hopAndShare = value.split(":", -1);
            try {
                if (hopAndShare.length != 2) {
                    throw new NumberFormatException();
                }
                double percent = Double.parseDouble(hopAndShare[1]);
                String[] hopAndBranch = hopAndShare[0].split("\\.", -1);
                if (hopAndBranch.length == 1) {
                    b.dropAtRouter(Integer.parseInt(hopAndBranch[0]), percent);
                } else if (hopAndBranch.length == 2) {
                    b.dropAtBranch(Integer.parseInt(hopAndBranch[0]), Integer.parseInt(hopAndBranch[1]), percent);
                } else {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--drop needs HOP[.BRANCH]:PERCENT (e.g. 2.1:30), was " + value);
            }
        }

        /** Prints what was built and what a trace should show. */
        void describe(Lab lab, long builtNanos) {
            System.out.printf(Locale.ROOT, "lab: %s%nbuilt in %d ms; ICMP rate limits %s%n", lab,
                    builtNanos / 1_000_000,
                    rateLimited > 0 ? "off but at hop " + rateLimited : icmpUnlimited ? "off" : "the kernel's");
            System.out.println("host " + text(lab.hostAddress()) + (lab.ipv6() ? " " + text(lab.hostAddress6()) : "")
                    + ", destination " + lab.destination().getHostAddress()
                    + (lab.ipv6() ? " " + text(lab.destination6()) : ""));
            System.out.println("expected responders: " + path(lab, false));
            if (drop != null) {
                System.out.println("dropping (--drop " + drop
                        + "): hop[.branch]:percent of what it forwards away from the host");
            }
            if (lab.ipv6()) {
                System.out.println("expected over IPv6:  " + path(lab, true));
            }
            lab.nat().ifPresent(n -> System.out.println(n.kind() + " NAT at hop " + n.hop() + ": inside "
                    + n.insideInterface() + " "
                    + n.insideAddress().getHostAddress() + " (" + n.insidePrefix()
                    + "), outside " + n.outsideInterface()
                    + " " + n.outsideAddress().getHostAddress()));
            lab.udpRejectedAt().ifPresent(h -> System.out.println("UDP rejected at hop " + h
                    + ": a UDP trace ends at TTL " + (h + 1) + " with !X"));
            if (lab.isHome()) {
                System.out.println("home: host " + lab.hostAddress().getHostAddress()
                        + " behind NAT (gw.home) and CGNAT "
                        + "(cgnat.isp), public address " + lab.publicAddress().getHostAddress() + "; DNS server "
                        + serverText(lab.dnsServer().orElseThrow()) + " (dnsmasq), STUN server "
                        + serverText(lab.stunServer().orElseThrow()) + " (coturn)");
                for (HomeHop h : lab.homeHops()) {
                    System.out.printf(Locale.ROOT, "  %d  %-24s %-15s %-8s %-12s %s%n", h.ttl(), h.hostname(),
                            h.address().getHostAddress(), h.asn() == 0 ? "" : "AS" + h.asn(),
                            h.asn() == 0 ? "" : h.asName(),
                            h.segment() + (h.silent() ? " (silent)" : ""));
                }
            }
        }

        /** ADDR:PORT, [ADDR6]:PORT. */
        static String serverText(InetSocketAddress server) {
            String a = text(server.getAddress());
            return (server.getAddress() instanceof java.net.Inet6Address ? "[" + a + "]" : a) + ":" + server.getPort();
        }

        /**
         * What a trace of {@code target} in this lab is told about lookups: the home lab's DNS and STUN
         * servers; elsewhere nothing to resolve, so --no-enrich (the lab has no resolver, and the
         * system's must not be asked from inside it).
         */
        static List<String> enrichOptions(Lab lab, InetAddress target) {
            if (!lab.isHome()) {
                return List.of("--no-enrich");
            }
            InetSocketAddress stun = target instanceof java.net.Inet6Address ? lab.stunServer6().orElseThrow()
                    : lab.stunServer().orElseThrow();
            return List.of("--dns-server", serverText(lab.dnsServer().orElseThrow()), "--stun-server",
                    serverText(stun), "-A");
        }

        private static String path(Lab lab, boolean v6) {
            StringBuilder sb = new StringBuilder();
            for (int ttl = 1; ttl <= lab.hops(); ttl++) {
                Set<InetAddress> all = v6 ? lab.expectedResponders6(ttl) : lab.expectedResponders(ttl);
                sb.append(ttl == 1 ? "" : " ").append(ttl).append(':').append(all.isEmpty() ? "*"
                        : all.stream().map(InetAddress::getHostAddress).collect(Collectors.joining("|")));
            }
            return sb.toString();
        }
    }

    /** IPv4 dotted, IPv6 with the longest run of zero groups written {@code ::} (RFC 5952). */
    static String text(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        String[] groups = address.getHostAddress().replaceFirst("%.*$", "").split(":");
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < groups.length; ) {
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        if (bestStart < 0) {
            return String.join(":", groups);
        }
        return String.join(":", Arrays.copyOfRange(groups, 0, bestStart)) + "::"
                + String.join(":", Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
    }

    /** {@code demo}: build, trace from inside, tear down. */
    static final class Demo {
        final Shape shape = new Shape();
        boolean json;
        boolean traceroute;

        int call() throws Exception {
            long t0 = System.nanoTime();
            try (Lab lab = shape.builder().build()) {
                shape.describe(lab, System.nanoTime() - t0);
                int worst = traceroute ? 0 : run(lab, List.of("transports"));
                List<InetAddress> targets = new ArrayList<>(List.of(lab.destination()));
                if (lab.ipv6()) {
                    targets.add(lab.destination6());
                }
                for (InetAddress target : targets) {
                    for (String protocol : List.of("icmp", "udp")) {
                        System.out.println();
                        if (traceroute) {
                            // traceroute as people run it, with its own adaptive wait
                            List<String> opts = new ArrayList<>(Traceroute.USERS_WAIT);
                            opts.add(protocol.equals("icmp") ? "-I" : "-U");
                            if (target.getAddress().length == 16) {
                                opts.add("-6");
                            }
                            if (shape.diamond()) {
                                opts.addAll(List.of("-q", "10"));
                            }
                            System.out.print(Traceroute.trace(lab, opts, target).output());
                            continue;
                        }
                        List<String> args = new ArrayList<>(List.of("trace", "--protocol", protocol));
                        args.addAll(Shape.enrichOptions(lab, target));
                        if (json) {
                            args.add("--json");
                        }
                        args.add(target.getHostAddress());
                        int code = run(lab, args);
                        if (target.equals(lab.destination())) {
                            worst = Math.max(worst, code);
                        }
                    }
                    if (shape.diamond() && !traceroute) {
                        // Paris above kept one branch; now classic flows, then 16 Paris flows (Dublin)
                        for (List<String> flows : List.of(List.of("--flow", "classic", "--queries", "16"),
                                List.of("--flows", "16", "--queries", "16"))) {
                            System.out.println();
                            List<String> args = new ArrayList<>(List.of("trace", "--protocol", "udp"));
                            args.addAll(Shape.enrichOptions(lab, target));
                            args.addAll(flows);
                            if (json) {
                                args.add("--json");
                            }
                            args.add(target.getHostAddress());
                            run(lab, args);
                        }
                    }
                }
                System.out.println();
                System.out.println("tearing the lab down");
                return worst;
            }
        }

        /**
         * Runs the command line ({@link #CLI_MAIN}, from this JVM's class path) in the lab's host
         * namespace (a child JVM), output straight to the terminal.
         */
        private static int run(Lab lab, List<String> cliArgs) throws Exception {
            Process p = lab.command(Lab.javaCommand(System.getProperty("java.class.path"),
                    List.of(), CLI_MAIN, cliArgs))
                    .inheritIO().start();
            return p.waitFor();
        }
    }

    /** {@code up}: build, print how to reach it, keep it until Enter. */
    static final class Up {
        final Shape shape = new Shape();

        int call() throws Exception {
            long t0 = System.nanoTime();
            try (Lab lab = shape.builder().build()) {
                shape.describe(lab, System.nanoTime() - t0);
                System.out.println("namespaces: host " + lab.hostNamespace() + ", routers and destination "
                        + lab.name() + "-r<ttl> / -r<ttl>b<branch> / -d");
                System.out.println("try:  ip netns exec " + lab.hostNamespace() + " traceroute -n -I "
                        + lab.destination().getHostAddress());
                if (lab.isHome()) {
                    System.out.println("      ip netns exec " + lab.hostNamespace()
                            + " java -jar cli/target/pathprobe.jar trace "
                            + String.join(" ", Shape.enrichOptions(lab, lab.destination())) + " "
                            + lab.destination().getHostAddress());
                }
                System.out.println("press Enter to tear the lab down");
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                System.out.println("tearing the lab down");
            }
            return 0;
        }
    }
}
