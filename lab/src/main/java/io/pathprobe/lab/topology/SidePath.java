package io.pathprobe.lab.topology;

import io.pathprobe.lab.Addressing;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabBuilder;
import io.pathprobe.lab.LabException;
import io.pathprobe.lab.LabProvisioner;
import io.pathprobe.lab.namespace.Exec;
import io.pathprobe.lab.namespace.Namespaces;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The separate TCP path of {@link LabBuilder#separateLoadPath(long, java.time.Duration)}: a veth
 * joining the host and the destination directly, TCP routed over it by policy in both namespaces,
 * tbf-shaped at both ends. Made after the chain is up; {@link #close()} removes the host's policy
 * rule (the link itself goes with the destination's namespace, a veth pair dying with either end).
 */
public final class SidePath implements AutoCloseable {
    /** The host's end of the side link when the host is the calling namespace. */
    static final String HOST_INTERFACE = "pathprobe1";
    /** The routing table of the TCP policy, in both namespaces. */
    static final int TABLE = 201;
    static final String HOST_SIDE = "198.18.254.1";
    static final String DESTINATION_SIDE = "198.18.254.2";

    private final String hostNamespace;
    private final String rule;

    private SidePath(String hostNamespace, String rule) {
        this.hostNamespace = hostNamespace;
        this.rule = rule;
    }

    /**
     * Makes the side link between {@code hostNs} ("" = the calling namespace) and {@code destNs}.
     *
     * @param hostAddress the host's address on the chain: the source of its TCP connections and where
     *     the destination sends TCP back
     */
    public static SidePath start(String hostNs, String destNs, String hostAddress, Lab.SeparatePath path,
            boolean offloadOff,
            Duration timeout) {
        String hostIf = hostNs.isEmpty() ? HOST_INTERFACE : "side";
        String destIf = "side";
        List<String> create = new ArrayList<>(List.of("ip"));
        if (!hostNs.isEmpty()) {
            create.addAll(List.of("-n", hostNs));
        }
        create.addAll(List.of("link", "add", hostIf, "type", "veth", "peer", "name", destIf, "netns", destNs));
        Exec.check("creating the separate TCP path", create, String.join(" ", create), null, null, timeout);

        String hostRule = "ipproto tcp to " + Addressing.DESTINATION_NET + " lookup " + TABLE;
        Lab.Bottleneck shape = path.shape();
        String hostScript = endScript(hostIf, HOST_SIDE, offloadOff, shape,
                "ip route add " + Addressing.DESTINATION_NET + " via " + DESTINATION_SIDE + " dev " + hostIf + " src "
                + hostAddress + " table " + TABLE + "\n"
                + "ip rule add " + hostRule + "\n");
        String destScript = endScript(destIf, DESTINATION_SIDE, offloadOff, shape,
                "ip route add " + hostAddress + "/32 via " + HOST_SIDE + " dev " + destIf + " table " + TABLE + "\n"
                + "ip rule add ipproto tcp to " + hostAddress + "/32 lookup " + TABLE + "\n");
        SidePath side = new SidePath(hostNs, hostRule);
        try {
            run(hostNs, hostScript, "setting up the host's end of the separate TCP path", timeout);
            run(destNs, destScript, "setting up the destination's end of the separate TCP path", timeout);
            waitUp(hostNs, hostIf, timeout);
            waitUp(destNs, destIf, timeout);
        } catch (RuntimeException e) {
            Exec.closeAfterFailure(e, side::close);
            throw e;
        }
        return side;
    }

    /**
     * The script of one end of the path: no reverse-path filter on {@code iface}, {@code address}/30 on it, up,
     * then {@code routing} (the TCP route and rule) and the path's shape on it.
     */
    private static String endScript(String iface, String address, boolean offloadOff, Lab.Bottleneck shape,
            String routing) {
        return "set -e\n"
                + "echo 0 > /proc/sys/net/ipv4/conf/all/rp_filter\n"
                + "echo 0 > /proc/sys/net/ipv4/conf/" + iface + "/rp_filter\n"
                + (offloadOff ? LabProvisioner.offloadOff(List.of(iface)) : "")
                + "ip addr add " + address + "/30 dev " + iface + "\n"
                + "ip link set dev " + iface + " up\n"
                + routing
                + String.join(" ", shape.tcCommand(iface)) + "\n";
    }

    private static void run(String ns, String script, String doing, Duration timeout) {
        List<String> cmd = Namespaces.in(ns, "sh", "-c", script);
        Exec.check(doing, cmd, String.join(" ", cmd.subList(0, cmd.size() - 1)) + " <script: "
                + script.strip().replace("\n", "; ") + ">", null, null, timeout);
    }

    /** Polls until the interface reports carrier and operational state UP (see {@code Lab.waitForLinks}). */
    private static void waitUp(String ns, String iface, Duration timeout) {
        long deadline = System.nanoTime() + Math.min(timeout.toNanos(), Duration.ofSeconds(5).toNanos());
        List<String> cmd = new ArrayList<>(List.of("ip"));
        if (!ns.isEmpty()) {
            cmd.addAll(List.of("-n", ns));
        }
        cmd.addAll(List.of("-o", "link", "show", "dev", iface));
        while (true) {
            String out = Exec.run(cmd, null, timeout).stdout();
            if (out.contains("state UP") && !out.contains("NO-CARRIER")) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new LabException("the separate TCP path's " + iface + " did not come up: " + out.strip());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LabException("interrupted while waiting for " + iface, e);
            }
        }
    }

    /**
     * Removes the host's policy rule (the destination's goes with its namespace), and a calling-namespace host's veth.
     */
    @Override
    public void close() {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        if (!hostNamespace.isEmpty()) {
            if (!Namespaces.exists(hostNamespace)) {
                return;
            }
            cmd.addAll(List.of("-n", hostNamespace));
        }
        cmd.addAll(List.of("rule", "del"));
        cmd.addAll(List.of(rule.split(" ")));
        Exec.run(cmd, null, Duration.ofSeconds(10)); // absent already: nothing to do
        if (hostNamespace.isEmpty()) {
            // the calling namespace outlives the lab: delete the veth here (both ends go at once). Left to the
            // destination namespace's deletion, it would go asynchronously (the kernel's netns clean-up), and
            // the next lab's side path in this namespace could find its name still taken
            Exec.run(List.of("ip", "link", "del", HOST_INTERFACE), null, Duration.ofSeconds(10));
        }
    }

    @Override
    public String toString() {
        return "separate TCP path";
    }
}
