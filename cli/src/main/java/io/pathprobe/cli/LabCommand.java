package io.pathprobe.cli;

import io.pathprobe.AddressText;
import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.HomeHop;
import io.pathprobe.lab.HomeOption;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.NatKind;
import io.pathprobe.lab.Traceroute;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pathprobe lab demo|up}: builds a real routed lab in network namespaces (a chain, or an ECMP
 * diamond; IPv6, NAT, a UDP-rejecting firewall, a TCP listener, one rate-limited hop) and traces
 * through it, or keeps it up for exploring by hand.
 */
@Command(name = "lab", mixinStandardHelpOptions = true, description = "The network-namespace lab (Linux, root).",
        subcommands = {LabCommand.Demo.class, LabCommand.Up.class})
final class LabCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** The lab's shape, shared by {@code demo} and {@code up}. */
    static final class Shape {
        @Option(names = "--shape", description = "chain, diamond or home (a home behind NAT and CGNAT, an ISP, a "
                + "transit network and the destination's, with the lab's DNS server (dnsmasq: PTR and Team-Cymru-style "
                + "AS records) and STUN server (coturn): traces name every hop, its AS and segment, and the public "
                + "address; --hops, --silent and the diamond options do not apply) (default ${DEFAULT-VALUE}).")
        String shape = "chain";

        @Option(names = "--hops", description = "TTL of the destination (default 29 for a chain, 4 for a diamond).")
        @Nullable Integer hops;

        @Option(names = "--silent", split = ",", description = "TTLs whose router drops its Time Exceeded (default 5,12,20; "
                + "those beyond the destination or at the diamond are ignored).")
        List<Integer> silent = new ArrayList<>(List.of(5, 12, 20));

        @Option(names = "--width", description = "Diamond: parallel routers, 2..16 (default ${DEFAULT-VALUE}).")
        int width = 4;

        @Option(names = "--hash", description = "Diamond: l4 (Linux multipath hash of the 5-tuple) or first4 (nftables "
                + "jhash of the first 4 transport bytes, spreads ICMP too) (default ${DEFAULT-VALUE}).")
        String hash = "l4";

        @Option(names = "--ecmp-ttl", description = "Diamond: TTL of the parallel routers (default 2).")
        int ecmpTtl = 2;

        @Option(names = "--ipv6", description = "Dual stack: IPv6 (2001:db8::/32) beside IPv4.")
        boolean ipv6;

        @Option(names = "--nat", paramLabel = "HOP", description = "A masquerading NAT router at this TTL (1: a home "
                + "gateway, the host on 192.168.0.0/30; later: a carrier-grade NAT, 100.64.0.0/10 inside).")
        int nat;

        @Option(names = "--nat-kind", description = "masquerade (Linux conntrack: restores the quotes of ICMP errors "
                + "exactly) or quote (like many CPE boxes: the quoted transport checksum stays translated, so a "
                + "trace shows the NAT) (default ${DEFAULT-VALUE}).")
        String natKind = "masquerade";

        @Option(names = "--reject-udp", paramLabel = "HOP", description = "A firewall at this TTL rejecting forwarded UDP "
                + "(ICMP admin-prohibited, !X).")
        int rejectUdp;

        @Option(names = "--tcp-listen", paramLabel = "PORT", description = "The destination listens on this TCP port "
                + "(SYN gets SYN-ACK; otherwise RST).")
        int tcpListen;

        @Option(names = "--rate-limited", paramLabel = "HOP", description = "Only this router keeps a kernel ICMP rate "
                + "limit (1 s per source, burst 6; 1000/s overall), the others are unlimited.")
        int rateLimited;

        @Option(names = "--kernel-rate-limits",
                description = "Keep the routers' default ICMP rate limit (about 6 errors at once, then 1/s per "
                        + "source): the second trace then shows '*' where the first used the budget up.")
        boolean kernelRateLimits;

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

        Lab.Builder builder() {
            if (home()) {
                // the home lab has its own routers and NATs; IPv6 and the rate-limit options apply
                Lab.Builder b = Lab.home(HomeOption.SILENT_ISP_HOP, HomeOption.SILENT_TRANSIT_HOP).dnsServer().stunServer();
                if (ipv6) {
                    b.ipv6();
                }
                if (!kernelRateLimits) {
                    b.icmpUnlimited();
                }
                return b;
            }
            int hops = hops();
            boolean diamond = diamond();
            int[] silentHops = silent.stream().filter(t -> t >= 1 && t < hops && !(diamond && t == ecmpTtl))
                    .mapToInt(Integer::intValue).toArray();
            Lab.Builder b = Lab.chain(hops).silentHops(silentHops);
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
                    default -> throw new IllegalArgumentException("--nat-kind must be masquerade or quote, was " + natKind);
                });
            }
            if (rejectUdp > 0) {
                b.rejectUdpAt(rejectUdp);
            }
            if (tcpListen > 0) {
                b.tcpListener(tcpListen);
            }
            if (rateLimited > 0) {
                b.icmpRateLimitedHop(rateLimited, Duration.ofSeconds(1), 1000, 50);
            }
            if (!kernelRateLimits) {
                b.icmpUnlimited();
            }
            return b;
        }

        /** Prints what was built and what a trace should show. */
        void describe(Lab lab, long builtNanos) {
            System.out.printf(Locale.ROOT, "lab: %s%nbuilt in %d ms; ICMP rate limits %s%n", lab, builtNanos / 1_000_000,
                    kernelRateLimits ? "the kernel's" : rateLimited > 0 ? "off but at hop " + rateLimited : "off");
            System.out.println("host " + AddressText.of(lab.hostAddress()) + (lab.ipv6() ? " " + AddressText.of(lab.hostAddress6()) : "") + ", destination " + lab.destination().getHostAddress()
                    + (lab.ipv6() ? " " + AddressText.of(lab.destination6()) : ""));
            System.out.println("expected responders: " + path(lab, false));
            if (lab.ipv6()) {
                System.out.println("expected over IPv6:  " + path(lab, true));
            }
            lab.nat().ifPresent(n -> System.out.println(n.kind() + " NAT at hop " + n.hop() + ": inside " + n.insideInterface() + " "
                    + n.insideAddress().getHostAddress() + " (" + n.insidePrefix() + "), outside " + n.outsideInterface()
                    + " " + n.outsideAddress().getHostAddress()));
            lab.udpRejectedAt().ifPresent(h -> System.out.println("UDP rejected at hop " + h
                    + ": a UDP trace ends at TTL " + (h + 1) + " with !X"));
            if (lab.isHome()) {
                System.out.println("home: host " + lab.hostAddress().getHostAddress() + " behind NAT (gw.home) and CGNAT "
                        + "(cgnat.isp), public address " + lab.publicAddress().getHostAddress() + "; DNS server "
                        + serverText(lab.dnsServer().orElseThrow()) + " (dnsmasq), STUN server "
                        + serverText(lab.stunServer().orElseThrow()) + " (coturn)");
                for (HomeHop h : lab.homeHops()) {
                    System.out.printf(Locale.ROOT, "  %d  %-24s %-15s %-8s %-12s %s%n", h.ttl(), h.hostname(),
                            h.address().getHostAddress(), h.asn() == 0 ? "" : "AS" + h.asn(), h.asn() == 0 ? "" : h.asName(),
                            h.segment() + (h.silent() ? " (silent)" : ""));
                }
            }
        }

        /** ADDR:PORT, [ADDR6]:PORT. */
        static String serverText(InetSocketAddress server) {
            String a = AddressText.of(server.getAddress());
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
            return List.of("--dns-server", serverText(lab.dnsServer().orElseThrow()), "--stun-server", serverText(stun));
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

    @Command(name = "demo", mixinStandardHelpOptions = true,
            description = "Build a lab in network namespaces (by default a 29-hop chain, hops 5, 12 and 20 silent), "
                    + "trace through it live with ICMP and UDP from inside the lab, then tear it down. Nothing leaves "
                    + "the machine.")
    static final class Demo implements Callable<Integer> {
        @Mixin
        Shape shape = new Shape();

        @Option(names = "--json", description = "Print JSON results instead of live tables.")
        boolean json;

        @Option(names = "--traceroute", description = "Trace with Linux traceroute (-q 10 on a diamond) instead of pathprobe.")
        boolean traceroute;

        @Override
        public Integer call() throws Exception {
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
                            List<String> opts = new ArrayList<>(List.of(protocol.equals("icmp") ? "-I" : "-U"));
                            if (target.getAddress().length == 16) {
                                opts.add(0, "-6");
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

        /** Runs this CLI in the lab's host namespace (a child JVM), output straight to the terminal. */
        private static int run(Lab lab, List<String> cliArgs) throws Exception {
            Process p = lab.command(Lab.javaCommand(PathProbeCli.class, cliArgs.toArray(String[]::new))).inheritIO().start();
            return p.waitFor();
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Build a lab (same options as demo), print how to reach it, and keep it until Enter, end of "
                    + "input or Ctrl-C; then tear it down.")
    static final class Up implements Callable<Integer> {
        @Mixin
        Shape shape = new Shape();

        @Override
        public Integer call() throws Exception {
            long t0 = System.nanoTime();
            try (Lab lab = shape.builder().build()) {
                shape.describe(lab, System.nanoTime() - t0);
                System.out.println("namespaces: host " + lab.hostNamespace() + ", routers and destination "
                        + lab.name() + "-r<ttl> / -r<ttl>b<branch> / -d");
                System.out.println("try:  ip netns exec " + lab.hostNamespace() + " traceroute -n -I "
                        + lab.destination().getHostAddress());
                if (lab.isHome()) {
                    System.out.println("      ip netns exec " + lab.hostNamespace() + " java -jar cli/target/pathprobe.jar trace "
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
