package io.pathprobe.lab.middlebox;

import io.pathprobe.lab.LabException;
import io.pathprobe.lab.namespace.Exec;
import io.pathprobe.lab.namespace.Namespaces;
import io.pathprobe.lab.namespace.Teardown;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A quote-preserving 1:1 NAT on a lab router: it behaves like the many CPE NATs that translate an
 * outgoing probe but, when an ICMP error about it comes back, restore only the addresses of the
 * quoted packet and leave its transport checksum as translated. Dublin traceroute detects such a
 * NAT by comparing the quoted checksum with the one the probe was sent with. Linux conntrack NAT
 * ({@code nft masquerade}) restores the quote exactly, checksum included, so it cannot show this.
 *
 * <pre>{@code
 * try (QuotePreservingNat nat = QuotePreservingNat.start("pathprobe-123-1-r1", "in0", "out0",
 *         (Inet4Address) InetAddress.getByName("192.168.1.2"), (Inet4Address) InetAddress.getByName("198.18.0.1"))) {
 *     // probes from 192.168.1.2 leave out0 as 198.18.0.1; their ICMP errors come back with a telling quote
 * }
 * }</pre>
 *
 * <h2>What it installs in the router's namespace</h2>
 * <ul>
 *   <li>Outbound, an nftables postrouting filter chain: packets from {@code insideHost} leaving by
 *       {@code outsideInterface} get source {@code publicAddress} (stateless {@code ip saddr set},
 *       which fixes the IP and the UDP/TCP checksums). Ports and ICMP echo identifiers are not
 *       changed (no port shift: a NAT that also translates ports is not modelled).</li>
 *   <li>Inbound, an nftables prerouting filter chain (priority -150), for packets arriving on
 *       {@code outsideInterface} addressed to {@code publicAddress}: ICMP errors (destination
 *       unreachable, source quench, time exceeded, parameter problem) are dropped there, before
 *       routing; everything else (echo replies, TCP SYN-ACK/RST, UDP, ...) gets destination
 *       {@code insideHost} (stateless {@code ip daddr set}) and is routed on.</li>
 *   <li>A small daemon ({@code lab/src/main/c/quotenat.c}, compiled with {@code gcc} once per JVM
 *       into a temporary directory) that reads the ICMP errors for {@code publicAddress} with a
 *       packet socket on {@code outsideInterface} (which sees them before netfilter drops them) and
 *       forwards them toward {@code insideHost} through a raw socket: outer destination
 *       {@code insideHost}, outer TTL minus one, the router that sent it still the outer source; the
 *       quoted IP header's source {@code insideHost} with its header checksum recomputed; the quoted
 *       transport header, its checksum included, untouched; bytes beyond the quote (RFC 4884
 *       extensions) kept and lengths unchanged; ICMP and outer IP checksums recomputed. Errors that
 *       arrive with TTL 1, and fragments, are dropped.</li>
 * </ul>
 * Everything else the router forwards untouched. The router must forward (ip_forward=1) and
 * {@code publicAddress} must reach it from outside, typically as its own address on
 * {@code outsideInterface}; this class assigns no address and adds no route. On veth links, turn
 * off transmit checksum offload ({@code ethtool -K <veth> tx off}) on the links the probes cross,
 * or UDP checksums stay partial on the wire and the quotes carry garbage. IPv4 only; the rules are
 * stateless and do not use conntrack.
 *
 * <h2>Clean-up</h2>
 * {@link #close()} deletes the nftables table it added and stops the daemon (closing its standard
 * input, then SIGTERM, then SIGKILL), and waits for it to exit; it is idempotent and is also run by a
 * JVM shutdown hook. The daemon exits by itself when its standard input closes, which the kernel does
 * when this JVM dies in any way (even SIGKILL), and when {@code outsideInterface} disappears (the
 * lab torn down), so no process outlives its JVM or its lab. A table left by a JVM that died lives in
 * the router's namespace and goes with it.
 *
 * <p>Needs Linux, root, iproute2's {@code ip}, {@code nft} and {@code gcc} (build/deps installs
 * them). Thread-safe.
 */
public final class QuotePreservingNat implements AutoCloseable {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
    private static final String SOURCE_RESOURCE = "quotenat.c";
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String namespace;
    private final String insideInterface;
    private final String outsideInterface;
    private final Inet4Address insideHost;
    private final Inet4Address publicAddress;
    private final String table;
    private final Daemon<Void> daemon;
    private final Teardown teardown;

    private QuotePreservingNat(String namespace, String insideInterface, String outsideInterface,
            Inet4Address insideHost, Inet4Address publicAddress, String table, Daemon<Void> daemon) {
        this.namespace = namespace;
        this.insideInterface = insideInterface;
        this.outsideInterface = outsideInterface;
        this.insideHost = insideHost;
        this.publicAddress = publicAddress;
        this.table = table;
        this.daemon = daemon;
        this.teardown = new Teardown("pathprobe-quotenat-teardown-" + table, () -> "pathprobe lab: " + this,
                this::close);
    }

    /**
     * Configures a quote-preserving 1:1 NAT between {@code insideHost} and {@code publicAddress} on
     * the router whose network namespace is {@code namespace} (named, as {@code ip netns} lists it),
     * and starts its daemon. Returns once both are in place.
     *
     * @param namespace an existing named network namespace of a router (forwarding on)
     * @param insideInterface the router's interface toward {@code insideHost}
     * @param outsideInterface the router's interface toward the public side
     * @param insideHost the one inside host that is translated
     * @param publicAddress the address {@code insideHost} appears as outside; it must reach this router
     * @throws IllegalArgumentException if an interface name is not a plain Linux interface name, or
     *     the two addresses or interfaces are the same
     * @throws LabException if the namespace or an interface does not exist, gcc, nft or the daemon fail
     */
    public static QuotePreservingNat start(String namespace, String insideInterface, String outsideInterface,
            Inet4Address insideHost, Inet4Address publicAddress) {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(insideHost, "insideHost");
        Objects.requireNonNull(publicAddress, "publicAddress");
        checkInterface(insideInterface, "insideInterface");
        checkInterface(outsideInterface, "outsideInterface");
        if (insideInterface.equals(outsideInterface)) {
            throw new IllegalArgumentException("inside and outside interface are both " + insideInterface);
        }
        if (insideHost.equals(publicAddress)) {
            throw new IllegalArgumentException("inside host and public address are both "
                    + insideHost.getHostAddress());
        }
        if (namespace.isEmpty() || !Namespaces.exists(namespace)) {
            throw new LabException("no network namespace named '" + namespace + "' (see ip netns list)");
        }
        Path program = compiled();
        String table = "pathprobe_quotenat_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        // ip netns exec execs the program itself: the daemon is this JVM's child and its stdin is our pipe
        Daemon<Void> daemon = Daemon.start(Namespaces.in(namespace, program.toString(), outsideInterface,
                insideInterface, insideHost.getHostAddress(), publicAddress.getHostAddress()), "the quotenat daemon",
                line -> null);
        QuotePreservingNat nat = new QuotePreservingNat(namespace, insideInterface, outsideInterface, insideHost,
                publicAddress, table, daemon);
        try {
            nat.teardown.register();
        } catch (RuntimeException e) {
            nat.daemon.stop();
            throw e;
        }
        try {
            String rules = nat.ruleset();
            Exec.check("installing the NAT rules in " + namespace, Namespaces.in(namespace, "nft", "-f", "-"),
                    "ip netns exec " + namespace + " nft -f -", rules, null, COMMAND_TIMEOUT);
            return nat;
        } catch (RuntimeException | Error e) {
            Exec.closeAfterFailure(e, nat::close);
            throw e;
        }
    }

    /** The router's namespace. */
    public String namespace() {
        return namespace;
    }

    /** The name of the nftables table ({@code ip} family) this NAT added to its namespace. */
    public String table() {
        return table;
    }

    /** The translated inside host. */
    public Inet4Address insideHost() {
        return insideHost;
    }

    /** The address the inside host appears as on the outside. */
    public Inet4Address publicAddress() {
        return publicAddress;
    }

    /** The daemon's process id (in this JVM's pid namespace). */
    public long daemonPid() {
        return daemon.pid();
    }

    /** What the daemon wrote to its standard error so far (its counters, once it has exited). */
    public String daemonLog() {
        return daemon.log();
    }

    /**
     * Deletes the nftables table this NAT added (if its namespace still exists) and stops the daemon,
     * waiting until it has exited. Idempotent.
     *
     * @throws LabException if the table could not be deleted or the daemon would not die (the
     *     daemon is stopped in either case)
     */
    @Override
    public synchronized void close() {
        if (!teardown.begin()) {
            return;
        }
        @Nullable LabException failure = null;
        if (Namespaces.exists(namespace)) {
            Exec.Result r = Exec.run(Namespaces.in(namespace, "nft", "delete", "table", "ip", table),
                    null, COMMAND_TIMEOUT);
            // the namespace may have been deleted meanwhile, or the table never added (start failed early)
            if (!r.ok() && Namespaces.exists(namespace) && tablePresent()) {
                failure = new LabException(Exec.failure("removing the NAT rules from " + namespace,
                        String.join(" ", r.command()), r, null));
            }
        }
        try {
            daemon.stop();
        } catch (LabException e) {
            failure = Exec.joined(failure, e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "QuotePreservingNat[" + insideHost.getHostAddress() + " <-> " + publicAddress.getHostAddress() + " in "
                + namespace + ", inside " + insideInterface + ", outside " + outsideInterface + ", table " + table
                + ", daemon " + daemon.pid() + "]";
    }

    /** The nftables ruleset this NAT installs (one {@code ip} table). */
    String ruleset() {
        return ruleset(table, outsideInterface, insideHost.getHostAddress(), publicAddress.getHostAddress());
    }

    static String ruleset(String table, String outsideInterface, String inside, String pub) {
        return "table ip " + table + " {\n"
                + "  chain inbound {\n"
                + "    type filter hook prerouting priority -150; policy accept;\n"
                + "    # ICMP errors for the public address: the quotenat daemon (a packet socket, before "
                + "netfilter) forwards them\n"
                + "    iifname \"" + outsideInterface + "\" ip daddr " + pub
                + " icmp type { destination-unreachable, source-quench, time-exceeded, parameter-problem } drop\n"
                + "    iifname \"" + outsideInterface + "\" ip daddr " + pub + " ip daddr set " + inside + "\n"
                + "  }\n"
                + "  chain outbound {\n"
                + "    type filter hook postrouting priority 100; policy accept;\n"
                + "    oifname \"" + outsideInterface + "\" ip saddr " + inside + " ip saddr set " + pub + "\n"
                + "  }\n"
                + "}\n";
    }

    boolean tablePresent() {
        Exec.Result r = Exec.run(Namespaces.in(namespace, "nft", "list", "tables", "ip"), null, COMMAND_TIMEOUT);
        return r.ok() && r.stdout().lines().anyMatch(l -> l.strip().equals("table ip " + table));
    }

    private static void checkInterface(String name, String what) {
        Objects.requireNonNull(name, what);
        if (!INTERFACE.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " is not an interface name: '" + name + "'");
        }
    }

    /**
     * The daemon, compiled from the class path resource {@value #SOURCE_RESOURCE} (a copy of
     * lab/src/main/c/quotenat.c) with {@code gcc -O2 -Wall} into a temporary directory, once per JVM;
     * the directory is deleted when the JVM exits.
     */
    public static Path compiled() {
        return CProgram.compiled("quotenat", "the quotenat daemon");
    }
}
