package io.pathprobe.lab;

import io.pathprobe.lab.middlebox.Middlebox;
import io.pathprobe.lab.middlebox.NewConnectionLimit;
import io.pathprobe.lab.middlebox.QuotePreservingNat;
import io.pathprobe.lab.namespace.Exec;
import io.pathprobe.lab.namespace.Namespaces;
import io.pathprobe.lab.server.DnsServer;
import io.pathprobe.lab.server.LabHttpServer;
import io.pathprobe.lab.server.StunServer;
import io.pathprobe.lab.server.TcpListener;
import io.pathprobe.lab.topology.DestinationShape;
import io.pathprobe.lab.topology.HomePlan;
import io.pathprobe.lab.topology.NatRouter;
import io.pathprobe.lab.topology.PathMtuShape;
import io.pathprobe.lab.topology.SidePath;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link Lab} and tears it down: creates its namespaces and links in one batch, configures every
 * namespace, waits until every link can transmit, starts the servers and processes it is built with; and
 * removes all of it again, restoring what it changed in the calling namespace.
 */
final class LabSetUp {
    /** How long the links may take to come up (normally microseconds after the last end is up). */
    private static final Duration LINK_UP_TIMEOUT = Duration.ofSeconds(5);
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final Lab lab;

    LabSetUp(Lab lab) {
        this.lab = lab;
    }

    static Lab create(LabSettings settings, List<DestinationShape> shapes) {
        return create(settings, shapes, List.of(), false, null, List.of());
    }

    static Lab create(LabSettings settings, List<DestinationShape> shapes, List<PathMtuShape> mtuShapes,
            boolean holdTcpConnections, @Nullable NewConnectionLimit newConnectionLimit, List<Middlebox> middleboxes) {
        long pid = ProcessHandle.current().pid();
        Lab lab = new Lab(Namespaces.labName(pid, COUNTER.incrementAndGet()), settings);
        lab.holdTcpConnections = holdTcpConnections;
        lab.newConnectionLimit = newConnectionLimit;
        lab.middleboxes = middleboxes;
        if (settings.currentNamespace()) {
            LabHost.requireNotRoot(Namespaces.inode("self"), Namespaces.rootInode());
            String other = Lab.CURRENT_NAMESPACE_LAB.compareAndExchange(null, lab.name);
            if (other != null) {
                throw new LabException("lab " + other + " already uses this process's network namespace as its host; "
                        + "close it before building another inCurrentNamespace() lab");
            }
            try {
                LabHost.checkNoOtherHostInterface();
            } catch (RuntimeException e) {
                Lab.CURRENT_NAMESPACE_LAB.compareAndSet(lab.name, null);
                throw e;
            }
        }
        try {
            lab.teardown.register();
        } catch (RuntimeException e) {
            Lab.CURRENT_NAMESPACE_LAB.compareAndSet(lab.name, null);
            throw e;
        }
        try {
            Lab.reapStale();
            new LabSetUp(lab).setUp();
            for (DestinationShape shape : shapes) {
                shape.apply(lab);
            }
            for (PathMtuShape shape : mtuShapes) {
                shape.apply(lab);
            }
            if (newConnectionLimit != null) {
                newConnectionLimit.on(lab);
            }
            Middlebox.apply(lab, middleboxes);
            return lab;
        } catch (RuntimeException | Error e) {
            Exec.closeAfterFailure(e, lab::close);
            throw e;
        }
    }

    void setUp() {
        String cc = lab.settings.congestionControl();
        boolean ccByRoute = cc != null && !LabHost.congestionControlAllowed(cc);
        if (ccByRoute && cc != null && !LabHost.congestionControlAvailable(cc)) {
            throw new LabException("congestion control '" + cc + "' is not available: this kernel has "
                    + LabHost.readSysctl(LabHost.AVAILABLE_CONGESTION_CONTROL) + " (load its module first)");
        }
        LabProvisioner provisioner = new LabProvisioner(lab.topology, lab.settings,
                Files.isDirectory(Path.of("/proc/sys/net/ipv6")),
                ccByRoute);
        // a host interface left by a dead process (checkNoOtherHostInterface made sure) is deleted; so are
        // namespaces of our names, which only a process that had our pid before us (now dead) can have made
        List<String> creation = provisioner.creationBatch(lab.settings.currentNamespace()
                && LabHost.hostInterfacePresent(),
                Namespaces::exists);
        String batch = String.join("\n", creation) + "\n";
        Exec.check("creating the namespaces and links of lab " + lab.name, List.of("ip", "-batch", "-"), "ip -batch -",
                batch, batch, Lab.COMMAND_TIMEOUT);
        if (lab.settings.currentNamespace()) {
            lab.savedPingGroupRange = LabHost.readSysctl(LabHost.PING_GROUP_RANGE);
            LabHost.writeSysctl(LabHost.PING_GROUP_RANGE, provisioner.pingGroupRange());
            if (cc != null && !ccByRoute) {
                lab.savedCongestionControl = LabHost.readSysctl(LabHost.CONGESTION_CONTROL);
                LabHost.writeSysctl(LabHost.CONGESTION_CONTROL, cc);
            }
        }
        if (lab.settings.currentNamespace() && lab.settings.offloadOff()) {
            Exec.check("turning checksum offload off on " + Lab.HOST_INTERFACE, List.of("sh", "-c",
                    LabProvisioner.offloadOff(List.of(Lab.HOST_INTERFACE))),
                            "ethtool -K " + Lab.HOST_INTERFACE + " tx off",
                    null, null, Lab.COMMAND_TIMEOUT);
        }
        Map<String, String> listings = configureNodes(provisioner);
        waitForLinks(listings);
        attachNat();
        if (lab.settings.separatePath() != null) {
            lab.attachments.add(SidePath.start(lab.topology.namespace(0), lab.topology.namespace(lab.topology.hops()),
                    lab.hostAddress().getHostAddress(), lab.settings.separatePath(),
                    lab.settings.offloadOff(), Lab.COMMAND_TIMEOUT));
        }
        if (ccByRoute && cc != null) { // ccByRoute: cc is set
            // after every route is in place (the side path's included), before any server listens
            for (int node : lab.topology.labNodes()) {
                Exec.check("setting congestion control " + cc + " on the routes of " + lab.topology.namespace(node),
                        Namespaces.in(lab.topology.namespace(node), "sh", "-c",
                                LabProvisioner.routeCongestionControl(cc, null)),
                        "ip route change ... congctl " + cc, null, null, Lab.COMMAND_TIMEOUT);
            }
            if (lab.settings.currentNamespace()) {
                Exec.check("setting congestion control " + cc + " on the routes through " + Lab.HOST_INTERFACE,
                        List.of("sh", "-c", LabProvisioner.routeCongestionControl(cc, Lab.HOST_INTERFACE)),
                        "ip route change ... dev " + Lab.HOST_INTERFACE + " congctl " + cc, null,
                        null, Lab.COMMAND_TIMEOUT);
            }
        }
        if (lab.settings.tcpListenPort() != 0) {
            lab.attachments.add(TcpListener.start(lab, lab.topology.namespace(lab.topology.hops()),
                    lab.settings.tcpListenPort(),
                    lab.settings.ipv6(), lab.holdTcpConnections, Lab.COMMAND_TIMEOUT));
        }
        if (lab.settings.dnsServer()) {
            HomePlan home = lab.settings.home();
            String ns = lab.topology.namespace(home != null ? home.coreNode() : lab.topology.hops());
            DnsServer server = DnsServer.start(ns, lab.dnsAddresses(), lab.dnsRecords(),
                    lab.dnsTxtRecords(), Lab.COMMAND_TIMEOUT);
            lab.dns = server;
            lab.attachments.add(server);
        }
        if (lab.settings.stunServer()) {
            lab.attachments.add(StunServer.start(lab.topology.namespace(lab.topology.hops()),
                    lab.settings.ipv6() ? List.of(lab.destination(), lab.destination6())
                            : List.of(lab.destination()), Lab.COMMAND_TIMEOUT));
        }
        if (lab.settings.httpPort() != 0) {
            lab.attachments.add(LabHttpServer.start(lab.topology.namespace(lab.topology.hops()),
                    lab.settings.httpPort(), Lab.COMMAND_TIMEOUT));
        }
    }

    /**
     * Starts what a NAT router needs beyond its nftables rules. A {@link NatKind#MASQUERADE} NAT
     * needs nothing more (its rules are in the router's set-up, {@link LabProvisioner#natRules}).
     */
    private void attachNat() {
        Optional<NatRouter> nat = lab.nat();
        if (nat.isEmpty()) {
            return;
        }
        NatRouter n = nat.get();
        switch (n.kind()) {
            case MASQUERADE -> { }
            case QUOTE_PRESERVING -> lab.attachments.add(QuotePreservingNat.start(n.namespace(), n.insideInterface(),
                    n.outsideInterface(), (Inet4Address) lab.hostAddress(), (Inet4Address) n.outsideAddress()));
        }
    }

    /**
     * Configures every lab namespace (sysctls, addresses, routes, nftables) with one process each, a
     * few at a time, and returns each namespace's link listing taken right after.
     */
    private Map<String, String> configureNodes(LabProvisioner provisioner) {
        Map<String, String> listings = new LinkedHashMap<>();
        Exec.parallel(lab.topology.labNodes(), node -> configureNode(provisioner, node)).forEach((node, listing) ->
                listings.put(lab.topology.namespace(node), listing));
        return listings;
    }

    private String configureNode(LabProvisioner provisioner, int node) {
        String ns = lab.topology.namespace(node);
        LabProvisioner.NodeSetUp setUp = provisioner.nodeSetUp(node);
        Exec.Result r = Exec.check("setting up " + lab.topology.describe(node) + " of lab " + lab.name
                + " (namespace " + ns + ")",
                Namespaces.in(ns, "sh", "-c", setUp.script()),
                "ip netns exec " + ns + " sh -c <set-up script>", null, setUp.ipBatch(), Lab.COMMAND_TIMEOUT);
        return r.stdout();
    }

    /**
     * Waits until every veth end can transmit. Of the two ends of a veth pair, the one brought up
     * second can transmit at once; the one brought up first only once the kernel's link-watch worker
     * has handled its carrier change (until then it drops what it is given), and the worker reports
     * the end's operational state UP in the same step. So this polls, with a bounded timeout, the
     * namespaces whose listing still showed an end without carrier or not UP; there is nothing to
     * block on instead. The worker handles those events at once, except (for the operational state
     * only) the second end's when both ends have the same interface index, which it batches to once
     * a second: hence the fixed indexes 2 and 3.
     *
     * <p>The one end whose peer's index the lab cannot choose is router 1's uplink toward
     * {@value Lab#HOST_INTERFACE}; it is brought up second by construction ({@value Lab#HOST_INTERFACE} is
     * up from the creation batch on), so carrier suffices there.
     */
    private void waitForLinks(Map<String, String> listings) {
        Map<String, List<String>> pending = new LinkedHashMap<>();
        listings.forEach((ns, listing) -> {
            List<String> down = LabHost.linksNotUp(listing, carrierSuffices(ns));
            if (!down.isEmpty()) {
                pending.put(ns, down);
            }
        });
        if (lab.settings.currentNamespace()) {
            pending.put("", List.of(Lab.HOST_INTERFACE)); // brought up before its peer was
        }
        long deadline = System.nanoTime() + LINK_UP_TIMEOUT.toNanos();
        while (!pending.isEmpty()) {
            Map<String, Exec.Result> polled = Exec.parallel(List.copyOf(pending.keySet()), ns -> Exec.run(
                    ns.isEmpty() ? List.of("ip", "-o", "link", "show", "dev", Lab.HOST_INTERFACE)
                            : List.of("ip", "-n", ns, "-o", "link", "show"), null, Lab.COMMAND_TIMEOUT));
            polled.forEach((ns, r) -> {
                List<String> down = r.ok() ? LabHost.linksNotUp(r.stdout(), carrierSuffices(ns))
                        : List.of("cannot list: " + r.stderr().strip());
                if (down.isEmpty()) {
                    pending.remove(ns);
                } else {
                    pending.put(ns, down);
                }
            });
            if (pending.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new LabException("links of lab " + lab.name + " did not come up within " + LINK_UP_TIMEOUT
                        + ": " + pending);
            }
            try {
                Thread.sleep(2); // polled: the kernel offers no event to wait on through ip
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LabException("interrupted while waiting for the links of lab " + lab.name, e);
            }
        }
    }

    private String carrierSuffices(String namespace) {
        return lab.topology.carrierSuffices(namespace);
    }


    void tearDown() {
        List<String> ours = lab.topology.namespaces().stream()
                .filter(ns -> !ns.isEmpty() && Namespaces.exists(ns)).toList();
        boolean hostInterface = lab.settings.currentNamespace() && LabHost.hostInterfacePresent();
        LabException failure = null;
        if (!ours.isEmpty() || hostInterface) {
            String batch = LabProvisioner.teardownBatch(ours, hostInterface);
            Exec.Result r = Exec.run(List.of("ip", "-force", "-batch", "-"), batch, Lab.COMMAND_TIMEOUT);
            List<String> left = ours.stream().filter(Namespaces::exists).toList();
            boolean interfaceLeft = lab.settings.currentNamespace() && LabHost.hostInterfacePresent();
            if (!left.isEmpty() || interfaceLeft) {
                failure = new LabException(Exec.failure("tearing down lab " + lab.name + " (left behind: " + left
                        + (interfaceLeft ? " and interface " + Lab.HOST_INTERFACE : "") + ")", "ip -force -batch -", r,
                        batch));
            }
        }
        failure = LabHost.restore(LabHost.PING_GROUP_RANGE, lab.savedPingGroupRange, failure);
        failure = LabHost.restore(LabHost.CONGESTION_CONTROL, lab.savedCongestionControl, failure);
        if (failure != null) {
            throw failure;
        }
    }
}
