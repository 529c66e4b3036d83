package io.pathprobe.lab.middlebox;

import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabBuilder;
import io.pathprobe.lab.namespace.Exec;
import io.pathprobe.lab.namespace.Namespaces;
import io.pathprobe.lab.topology.ChainTopology;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SYN-flood protection in front of the destination ({@link LabBuilder#limitNewTcpConnections}): router
 * {@code ttl}'s nftables forward chain drops the TCP packets of new connections (conntrack state NEW: the
 * SYNs) it would forward away from the host beyond {@code burst} back to back, then {@code perMinute} a
 * minute, and passes every packet of a connection conntrack knows (ESTABLISHED, and RELATED: the ICMP errors
 * about it), as a stateful firewall does. Switched off and on again while the lab runs
 * ({@link Lab#newTcpConnectionLimit(boolean)}: on again, the limit starts with a full burst); the rule counts
 * what it dropped ({@link Lab#newTcpConnectionsDropped()}). Forwarding comes after the kernel's TTL check, so
 * probes expiring at {@code ttl} are still answered there, SYNs included.
 *
 * @param ttl the router (1..hops-1)
 * @param perMinute new connections a minute, after the burst (at least 1)
 * @param burst new connections let through back to back (at least 1)
 */
public record NewConnectionLimit(int ttl, int perMinute, int burst) {
    static final String TABLE = "pathprobe_new_connections";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern COUNTER = Pattern.compile("counter packets (\\d+) bytes \\d+");

    public NewConnectionLimit {
        if (perMinute < 1 || burst < 1) {
            throw new IllegalArgumentException("perMinute and burst must be at least 1, were "
                    + perMinute + ", " + burst);
        }
    }

    /** Puts the rule in place (again: a full burst, its counter at 0). */
    public void on(Lab lab) {
        off(lab);
        run(lab, List.of("nft", "-f", "-"), """
                table inet %1$s {
                    chain forward {
                        type filter hook forward priority filter; policy accept;
                        iifname "%2$s" meta l4proto tcp ct state new \
                limit rate over %3$d/minute burst %4$d packets counter drop
                    }
                }
                """.formatted(TABLE, ChainTopology.UPLINK, perMinute, burst));
    }

    /** Takes the rule away (nothing is limited). */
    public void off(Lab lab) {
        Exec.run(Namespaces.in(lab.namespace(ttl), "nft", "delete", "table", "inet",
                TABLE), null, TIMEOUT);
    }

    /** The packets the rule dropped since it was last put in place; 0 while it is off. */
    public long dropped(Lab lab) {
        Exec.Result r = Exec.run(Namespaces.in(lab.namespace(ttl), "nft", "list",
                "table", "inet", TABLE),
                null, TIMEOUT);
        if (!r.ok()) {
            return 0;
        }
        Matcher m = COUNTER.matcher(r.stdout());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private void run(Lab lab, List<String> command, String stdin) {
        Exec.check("limiting new TCP connections at router " + ttl, Namespaces.in(lab.namespace(ttl), command),
                String.join(" ", command), stdin, null, TIMEOUT);
    }

    @Override
    public String toString() {
        return "new TCP connections limited at router " + ttl + " (" + perMinute + "/minute, burst " + burst + ")";
    }
}
