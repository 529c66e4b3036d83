package io.pathprobe.lab.middlebox;

import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabException;
import io.pathprobe.lab.namespace.Exec;
import io.pathprobe.lab.namespace.Namespaces;
import io.pathprobe.lab.topology.ChainTopology;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Routers that all answer from one address and name themselves in RFC 5837 / Node Identification objects (issue 72
 * item 4), as routers do on networks that carry IPv4 over IPv6 next hops: a small C program
 * ({@code lab/src/main/c/identity.c}, compiled with gcc once per JVM) in router 1's namespace takes each probe of
 * the host's whose TTL (hop limit) k is at most {@code routers} off the router's interface toward the host (a packet
 * socket) and answers it as router k would: a Time Exceeded (ICMPv6 Time Exceeded) quoting the probe as the kernel
 * does (RFC 4884 length field, quote padded to 128 bytes) with an extension structure holding an Interface
 * Information object (incoming; ifIndex 100 + k, name {@code ge-0/0/k}, MTU 1500) and a Node Identification object
 * (address 198.18.252.k or 2001:db8:fe::k, name {@code rk}; k counted from another first node with
 * {@link #start(Lab, int, int)}), all from {@value #SHARED4} ({@value #SHARED6}), which
 * the router gets as its own. An nftables rule there drops those probes, so the kernel neither answers nor forwards
 * them; probes with a larger TTL pass to the real routers and the destination. Answers ICMP, UDP and TCP probes.
 * {@link #answers()} is the log of what it sent. Stopped (the rule and the addresses removed) by {@link #close()}, at
 * the latest by the lab's (one of its {@link Lab#attachments}); the program exits by itself when this JVM dies (its
 * stdin is a pipe from it).
 */
public final class IdentityRouter implements AutoCloseable {
    /** The IPv4 address every emulated router answers from. */
    public static final String SHARED4 = "198.18.251.1";
    /** The IPv6 address every emulated router answers from (dual-stack labs). */
    public static final String SHARED6 = "2001:db8:ff::1";
    private static final String TABLE = "pathprobe_identity";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern LINE = Pattern.compile(
            "answered (\\d+) (\\S+) (\\w+ [\\d ]+?) if (\\d+) (\\S+) (\\d+) node (\\S+) (\\S+)");

    /**
     * One answer the router sent.
     *
     * @param hop the router it answered as: the probe's TTL (hop limit) on arrival
     * @param source the shared address it came from
     * @param probe the probe: "icmp ID SEQ", "udp SPORT DPORT" or "tcp SPORT DPORT SEQ"
     * @param ifIndex the Interface Information object's ifIndex
     * @param ifName its name
     * @param mtu its MTU
     * @param nodeAddress the Node Identification object's address
     * @param nodeName its name
     */
    public record Answer(int hop, InetAddress source, String probe, int ifIndex, String ifName, int mtu,
            InetAddress nodeAddress, String nodeName) {}

    private final String namespace;
    private final Daemon<Answer> daemon;

    private IdentityRouter(String namespace, Daemon<Answer> daemon) {
        this.namespace = namespace;
        this.daemon = daemon;
    }

    /**
     * Starts it in {@code lab}'s router 1, answering as routers 1..{@code routers} (IPv4, and IPv6 when the lab is
     * dual-stack).
     *
     * @throws IllegalArgumentException unless {@code routers} is 1..hops-1 of a chain
     * @throws LabException if the rule, the addresses or the program cannot be set up
     */
    public static IdentityRouter start(Lab lab, int routers) {
        return start(lab, routers, 1);
    }

    /**
     * Starts it in {@code lab}'s router 1, answering as routers 1..{@code routers} that name themselves as nodes
     * {@code firstNode}..{@code firstNode + routers - 1} (node n: ifIndex 100 + n, {@code ge-0/0/n}, 198.18.252.n or
     * 2001:db8:fe::n, {@code rn}): with another {@code firstNode}, other routers behind the same shared address.
     *
     * @throws IllegalArgumentException unless {@code routers} is 1..hops-1 of a chain and the nodes 1..200
     * @throws LabException if the rule, the addresses or the program cannot be set up
     */
    public static IdentityRouter start(Lab lab, int routers, int firstNode) {
        Objects.requireNonNull(lab, "lab");
        if (routers < 1 || routers >= lab.hops() || lab.isHome() || lab.nat().isPresent()) {
            throw new IllegalArgumentException(
                    "routers must be 1.." + (lab.hops() - 1) + " of a chain, was " + routers);
        }
        if (firstNode < 1 || firstNode + routers - 1 > 200) {
            throw new IllegalArgumentException("nodes must be 1..200, were " + firstNode + ".."
                    + (firstNode + routers - 1));
        }
        String ns = lab.namespace(1);
        boolean v6 = lab.ipv6();
        String host4 = lab.hostAddress().getHostAddress();
        String host6 = v6 ? lab.hostAddress6().getHostAddress() : "-";
        String up = "iifname \"" + ChainTopology.UPLINK + "\" ";
        String addresses = "ip addr add " + SHARED4 + "/32 dev lo"
                + (v6 ? " && ip -6 addr add " + SHARED6 + "/128 dev lo nodad" : "");
        sh(ns, addresses + " && nft -f - <<'EOF'\ntable inet " + TABLE + " {\nchain pre {\n"
                + "type filter hook prerouting priority -300; policy accept;\n"
                + up + "ip saddr " + host4 + " ip ttl 1-" + routers + " drop\n"
                + (v6 ? up + "ip6 saddr " + host6 + " ip6 hoplimit 1-" + routers + " drop\n" : "")
                + "}\n}\nEOF");
        String program = CProgram.compiled("identity", "the identity router").toString();
        List<String> cmd = Namespaces.in(ns, program, ChainTopology.UPLINK, host4, SHARED4, host6,
                v6 ? SHARED6 : "-", Integer.toString(routers), Integer.toString(firstNode));
        try {
            IdentityRouter r = new IdentityRouter(ns, Daemon.start(cmd, "the identity router", IdentityRouter::parse));
            lab.attachments.add(r);
            return r;
        } catch (RuntimeException e) {
            undo(ns);
            throw e;
        }
    }

    private static @Nullable Answer parse(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            return null;
        }
        try {
            return new Answer(Integer.parseInt(m.group(1)), InetAddress.getByName(m.group(2)), m.group(3),
                    Integer.parseInt(m.group(4)), m.group(5), Integer.parseInt(m.group(6)),
                    InetAddress.getByName(m.group(7)), m.group(8));
        } catch (UnknownHostException e) {
            throw new UncheckedIOException(e); // cannot happen: the program prints addresses
        }
    }

    /** Every answer sent so far (all of them once {@link #close()} returned). */
    public List<Answer> answers() {
        return daemon.entries();
    }

    /** Clears the log (e.g. between two measurements). */
    public void clear() {
        daemon.clear();
    }

    /**
     * Stops the program (closes its stdin; SIGTERM, SIGKILL if it lingers), waits until its log is read, and removes
     * the rule and the shared addresses. Idempotent.
     *
     * @throws LabException if the program would not die (it is killed)
     */
    @Override
    public void close() {
        daemon.stop(() -> undo(namespace));
    }

    private static void undo(String ns) {
        sh(ns, "nft delete table inet " + TABLE + " 2>/dev/null; ip addr del " + SHARED4 + "/32 dev lo 2>/dev/null; "
                + "ip -6 addr del " + SHARED6 + "/128 dev lo 2>/dev/null; true");
    }

    private static void sh(String ns, String script) {
        List<String> cmd = Namespaces.in(ns, "sh", "-c", script);
        Exec.check("identity router in " + ns, cmd, String.join(" ", cmd), null, null, TIMEOUT);
    }

    @Override
    public String toString() {
        return "IdentityRouter[" + namespace + ", pid " + daemon.pid() + ", " + daemon.entries().size() + " answers]";
    }
}
