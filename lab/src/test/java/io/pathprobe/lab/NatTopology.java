package io.pathprobe.lab;

import io.pathprobe.lab.middlebox.QuotePreservingNat;
import io.pathprobe.lab.namespace.Exec;
import io.pathprobe.lab.namespace.Namespaces;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A home network behind a NAT router, in lab namespaces, for {@link QuotePreservingNat}'s tests:
 *
 * <pre>
 * GATEWAY:             host 192.168.1.2 -- .1 NAT 198.18.0.1 -- .2 router .5 -- .6 destination
 * BEHIND_LAN_ROUTER:   host 192.168.1.2 -- .1 LAN router 192.168.2.1 -- .2 NAT 198.18.0.1 -- .2 router .5 -- .6 destination
 * </pre>
 *
 * The NAT router's public address is its own address on its outside link ({@value #NAT_OUTSIDE},
 * 198.18.0.1/30); its inside link is {@value #NAT_INSIDE}. The router beyond the NAT knows no route to
 * 192.168.0.0/16: without the NAT nothing comes back. RFC 1918 addresses exist only on the home side,
 * inside these namespaces; everything else is in 198.18.0.0/15, and no namespace has a link to
 * anything but the others. Transmit checksum offload is off on every veth end (else UDP checksums
 * stay partial on veth and ICMP quotes carry garbage); ICMP rate limits are off.
 *
 * <p>Namespaces are named like a {@link Lab}'s ({@code pathprobe-<pid>-<n>-h|r<ttl>|d}, n from 10000
 * on), so a crashed run's are reaped by the next {@link Lab#reapStale()}.
 */
final class NatTopology implements AutoCloseable {
    enum Shape { GATEWAY, BEHIND_LAN_ROUTER }

    static final String HOST_INTERFACE = "lan0";
    static final String NAT_INSIDE = "in0";
    static final String NAT_OUTSIDE = "out0";
    static final Inet4Address INSIDE_HOST = v4("192.168.1.2");
    static final Inet4Address PUBLIC = v4("198.18.0.1");
    static final Inet4Address BEYOND_NAT = v4("198.18.0.2");
    static final Inet4Address DESTINATION = v4("198.18.0.6");

    private static final AtomicInteger COUNTER = new AtomicInteger(10_000);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    final Shape shape;
    final String host;
    final String nat;
    final String router;
    final String destination;
    private final List<String> namespaces = new ArrayList<>();

    private NatTopology(Shape shape) {
        this.shape = shape;
        String name = Namespaces.labName(ProcessHandle.current().pid(), COUNTER.incrementAndGet());
        int natTtl = shape == Shape.GATEWAY ? 1 : 2;
        host = name + "-h";
        nat = name + "-r" + natTtl;
        router = name + "-r" + (natTtl + 1);
        destination = name + "-d";
        namespaces.add(host);
        if (shape == Shape.BEHIND_LAN_ROUTER) {
            namespaces.add(name + "-r1");
        }
        namespaces.addAll(List.of(nat, router, destination));
    }

    static NatTopology build(Shape shape) {
        NatTopology t = new NatTopology(shape);
        try {
            t.setUp();
            return t;
        } catch (RuntimeException | Error e) {
            Exec.closeAfterFailure(e, t::close);
            throw e;
        }
    }

    /** The TTL at which the NAT router answers. */
    int natTtl() {
        return shape == Shape.GATEWAY ? 1 : 2;
    }

    /** What a traceroute from the inside host to {@link #DESTINATION} shows, TTL 1 first. */
    List<Optional<InetAddress>> expectedPath() {
        List<Optional<InetAddress>> path = new ArrayList<>();
        path.add(Optional.of(v4("192.168.1.1")));
        if (shape == Shape.BEHIND_LAN_ROUTER) {
            path.add(Optional.of(v4("192.168.2.2"))); // the NAT router, from its inside address: untranslated
        }
        path.add(Optional.of(BEYOND_NAT));
        path.add(Optional.of(DESTINATION));
        return path;
    }

    List<String> namespaces() {
        return List.copyOf(namespaces);
    }

    /** Runs {@code command} in namespace {@code ns}. */
    static ProcessBuilder in(String ns, String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(command));
        return new ProcessBuilder(cmd);
    }

    QuotePreservingNat startNat() {
        return QuotePreservingNat.start(nat, NAT_INSIDE, NAT_OUTSIDE, INSIDE_HOST, PUBLIC);
    }

    @Override
    public void close() {
        Namespaces.delete(namespaces.stream().filter(Namespaces::exists).toList(), List.of(), TIMEOUT);
        List<String> left = namespaces.stream().filter(Namespaces::exists).toList();
        if (!left.isEmpty()) {
            throw new LabException("namespaces left behind: " + left);
        }
    }

    private void setUp() {
        String lan = shape == Shape.BEHIND_LAN_ROUTER ? namespaces.get(1) : null;
        StringBuilder batch = new StringBuilder();
        namespaces.forEach(n -> batch.append("netns add ").append(n).append('\n'));
        String firstHop = lan != null ? lan : nat;
        batch.append(veth(host, HOST_INTERFACE, firstHop, lan != null ? "up0" : NAT_INSIDE));
        if (lan != null) {
            batch.append(veth(lan, "dn0", nat, NAT_INSIDE));
        }
        batch.append(veth(nat, NAT_OUTSIDE, router, "up0"));
        batch.append(veth(router, "dn0", destination, "up0"));
        Exec.check("creating the NAT lab", List.of("ip", "-batch", "-"), "ip -batch -", batch.toString(),
                batch.toString(), TIMEOUT);

        List<String[]> scripts = new ArrayList<>();
        scripts.add(new String[] {host, node(false, List.of(HOST_INTERFACE), List.of("192.168.1.2/24 dev lan0"),
                List.of("198.18.0.0/15 via 192.168.1.1"))});
        if (lan != null) {
            scripts.add(new String[] {lan, node(true, List.of("up0", "dn0"),
                    List.of("192.168.1.1/24 dev up0", "192.168.2.1/30 dev dn0"), List.of("198.18.0.0/15 via 192.168.2.2"))});
            scripts.add(new String[] {nat, node(true, List.of(NAT_INSIDE, NAT_OUTSIDE),
                    List.of("192.168.2.2/30 dev in0", "198.18.0.1/30 dev out0"),
                    List.of("198.18.0.0/15 via 198.18.0.2", "192.168.1.0/24 via 192.168.2.1"))});
        } else {
            scripts.add(new String[] {nat, node(true, List.of(NAT_INSIDE, NAT_OUTSIDE),
                    List.of("192.168.1.1/24 dev in0", "198.18.0.1/30 dev out0"), List.of("198.18.0.0/15 via 198.18.0.2"))});
        }
        // the router beyond the NAT knows only its two links: no route to the home network
        scripts.add(new String[] {router, node(true, List.of("up0", "dn0"),
                List.of("198.18.0.2/30 dev up0", "198.18.0.5/30 dev dn0"), List.of())});
        scripts.add(new String[] {destination, node(false, List.of("up0"), List.of("198.18.0.6/30 dev up0"),
                List.of("198.18.0.0/15 via 198.18.0.5"))});
        Exec.parallel(scripts, s -> Exec.check("setting up " + s[0], List.of("ip", "netns", "exec", s[0], "sh", "-c", s[1]),
                "ip netns exec " + s[0] + " sh -c <script>", null, null, TIMEOUT));
        // every veth end transmits once the kernel has seen its peer up (state UP)
        String wait = "for i in $(seq 100); do ip -o link show type veth | grep -qv 'state UP' || exit 0; sleep 0.05; done; "
                + "ip -o link show type veth >&2; exit 1";
        Exec.parallel(namespaces, ns -> Exec.check("waiting for the links of " + ns,
                List.of("ip", "netns", "exec", ns, "sh", "-c", wait), "ip netns exec " + ns + " sh -c <wait>", null, null,
                TIMEOUT));
    }

    private static String veth(String ns1, String if1, String ns2, String if2) {
        return "link add name " + if1 + " netns " + ns1 + " type veth peer name " + if2 + " netns " + ns2 + "\n";
    }

    private static String node(boolean forwards, List<String> ifaces, List<String> addresses, List<String> routes) {
        StringBuilder s = new StringBuilder("set -e\nip link set lo up\n");
        if (Files.isDirectory(Path.of("/proc/sys/net/ipv6"))) {
            s.append("sysctl -qw net.ipv6.conf.all.disable_ipv6=1\n");
        }
        s.append("sysctl -qw net.ipv4.conf.all.rp_filter=0\n");
        s.append("sysctl -qw net.ipv4.icmp_ratelimit=0\n");
        s.append("sysctl -qw net.ipv4.ip_forward=").append(forwards ? 1 : 0).append('\n');
        for (String a : addresses) {
            s.append("ip addr add ").append(a).append('\n');
        }
        for (String i : ifaces) {
            s.append("ip link set dev ").append(i).append(" up\n");
            s.append("ethtool -K ").append(i).append(" tx off >/dev/null\n");
        }
        for (String r : routes) {
            s.append("ip route add ").append(r).append('\n');
        }
        return s.toString();
    }

    static Inet4Address v4(String text) {
        try {
            return (Inet4Address) InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
