package io.pathprobe.lab;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The lab's DNS server ({@link Lab.Builder#dnsServer()}): {@code dnsmasq} in the foreground in a lab
 * namespace, answering only the lab's own records, under a shell that kills it when its standard
 * input ends: when {@link #close()} closes it, or when the JVM that started it dies.
 *
 * <p>dnsmasq is told everything on its command line ({@code --conf-file=/dev/null}: no
 * /etc/dnsmasq.conf or /etc/dnsmasq.d), with {@code --no-resolv}, {@code --no-hosts} and
 * {@code --no-poll} and no {@code --server}: it has no upstream, so it never forwards a query.
 * {@code --local=/lab.example/} makes it answer NXDOMAIN for unknown names of the lab's zone; other
 * names get REFUSED. It stays root ({@code --user=root}: dnsmasq-base brings no dnsmasq user), writes
 * no pid file, does no DHCP (no range is given), and logs to standard error, which this class reads
 * to learn that it started (its "started, version" line follows the binding of its sockets) and
 * then keeps the last lines of, for diagnostics.
 */
final class DnsServer implements AutoCloseable {
    /** The port it listens on, UDP and TCP. */
    static final int PORT = 53;
    /** The records' TTL (without it dnsmasq serves local records with TTL 0). */
    static final int TTL = 300;
    /**
     * Runs dnsmasq in the background and waits for the end of its own standard input; then (or on
     * SIGTERM, SIGINT, SIGHUP) kills dnsmasq and waits for it. dnsmasq's fatal errors start with
     * "dnsmasq: " (its log lines with "dnsmasq[pid]: "); so does the wrapper's when there is no dnsmasq.
     */
    private static final String WRAPPER = """
            PATH="$PATH:/usr/sbin:/sbin"
            command -v dnsmasq >/dev/null || { echo "dnsmasq: not found (Debian package dnsmasq-base)"; exit 127; }
            dnsmasq "$@" </dev/null 2>&1 &
            pid=$!
            trap 'kill "$pid" 2>/dev/null; wait "$pid"; exit 0' TERM INT HUP
            cat >/dev/null
            kill "$pid" 2>/dev/null
            wait "$pid"
            exit 0
            """;
    private static final int KEPT_LINES = 50;

    private final TiedProcess tied;
    private final Process process;
    private final String description;

    private DnsServer(TiedProcess tied, String description) {
        this.tied = tied;
        this.process = tied.process();
        this.description = description;
    }

    /**
     * dnsmasq's arguments: foreground, no configuration file, no upstream, listening on
     * {@code listen} only, port {@value #PORT}, answering {@code records} (A/AAAA with their PTR,
     * {@code --host-record}) with TTL {@value #TTL}.
     */
    static List<String> arguments(List<InetAddress> listen, Map<String, List<InetAddress>> records) {
        List<String> args = new ArrayList<>(List.of("--keep-in-foreground", "--conf-file=/dev/null",
                "--log-facility=-", "--pid-file=", "--user=root", "--no-resolv", "--no-hosts", "--no-poll",
                "--bind-interfaces", "--port=" + PORT, "--local=/" + Lab.DNS_ZONE + "/", "--local-ttl=" + TTL,
                "--neg-ttl=" + TTL));
        for (InetAddress a : listen) {
            args.add("--listen-address=" + a.getHostAddress());
        }
        records.forEach((name, addresses) -> {
            StringBuilder record = new StringBuilder("--host-record=").append(name.toLowerCase(Locale.ROOT));
            for (InetAddress a : addresses) {
                record.append(',').append(a instanceof Inet6Address ? a.getHostAddress().replaceAll("%.*", "")
                        : a.getHostAddress());
            }
            args.add(record.toString());
        });
        return args;
    }

    /** Starts dnsmasq in {@code namespace} ("" = this one) and returns once it has bound its sockets. */
    static DnsServer start(String namespace, List<InetAddress> listen, Map<String, List<InetAddress>> records,
            Duration timeout) {
        List<String> cmd = new ArrayList<>();
        if (!namespace.isEmpty()) {
            cmd.addAll(List.of("ip", "netns", "exec", namespace));
        }
        cmd.addAll(List.of("sh", "-c", WRAPPER, "pathprobe-dns"));
        cmd.addAll(arguments(listen, records));
        String description = "DNS server (dnsmasq) on " + listen.stream().map(InetAddress::getHostAddress).toList()
                + " port " + PORT + " in " + (namespace.isEmpty() ? "this namespace" : namespace);
        TiedProcess tied = TiedProcess.start(cmd, description, timeout, line -> line.contains("started, version")
                ? TiedProcess.Line.READY
                : line.startsWith("dnsmasq: ") ? TiedProcess.Line.FATAL : TiedProcess.Line.MORE, KEPT_LINES);
        return new DnsServer(tied, description);
    }

    /** The last lines dnsmasq (or its wrapper) printed. */
    String lastLines() {
        return tied.lastLines();
    }

    /** Whether the wrapper still runs. */
    boolean alive() {
        return process.isAlive();
    }

    /** Ends the server (closing the wrapper's input: it kills dnsmasq), then kills the wrapper if it lingers. */
    @Override
    public void close() {
        Exec.endTiedProcess(process, Duration.ofSeconds(5));
    }

    @Override
    public String toString() {
        return description;
    }
}
