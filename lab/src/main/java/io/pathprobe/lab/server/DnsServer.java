package io.pathprobe.lab.server;

import io.pathprobe.lab.Addressing;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabBuilder;
import io.pathprobe.lab.LabException;
import io.pathprobe.lab.namespace.Exec;
import io.pathprobe.lab.namespace.Namespaces;
import io.pathprobe.lab.namespace.TiedProcess;
import io.pathprobe.lab.topology.HomePlan;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The lab's DNS server ({@link LabBuilder#dnsServer()}, {@link Lab#dns()}): two {@code dnsmasq}
 * processes and a small perl helper in one lab namespace, under a shell that ends them all when its
 * standard input ends (when {@link #stop()} or {@link #close()} closes it, or when the JVM that
 * started it dies).
 *
 * <ul>
 * <li>The <b>resolver</b> listens on the lab's DNS address, port 53, UDP and TCP. It answers the
 * lab's records itself ({@code --host-record}: A/AAAA and their PTR; {@code txt-record} in a
 * configuration file on descriptor 3: the Cymru-style origin and AS records) with TTL {@value #TTL} ({@code
 * --local-ttl}), logs every query ({@code --log-queries}: {@link #queries()} reads the log) and caches nothing
 * ({@code --cache-size=0}). Other names of {@value Lab#DNS_ZONE}, {@code cymru.com},
 * {@code in-addr.arpa} and {@code ip6.arpa} go to the authoritative server on the namespace's
 * loopback; names under {@value #SERVFAIL_ZONE} to the helper, which answers SERVFAIL; names under
 * {@value #TIMEOUT_ZONE} to a loopback port nobody listens on, so they get no answer at all; every
 * other name gets REFUSED (no upstream: nothing leaves the namespace, {@code --no-resolv}).</li>
 * <li>The <b>authoritative</b> server (127.0.0.1 port {@value #AUTH_PORT}, {@code --auth-zone} for
 * {@value Lab#DNS_ZONE} with the lab's address blocks, and {@code cymru.com}) has no records: it
 * answers what the resolver passes it with NXDOMAIN (or NOERROR without data for a known name of
 * another type) and the zone's SOA in the authority section, whose TTL and minimum are
 * {@value #NEGATIVE_TTL} s: the negative TTL of RFC 2308. (dnsmasq adds no SOA to the NXDOMAIN of a
 * {@code --local} zone, hence the second server; its {@code --auth-ttl} sets every TTL it gives.)
 * Addresses outside the blocks get REFUSED.</li>
 * <li>The <b>helper</b> (perl-base) answers SERVFAIL on 127.0.0.1 port {@value #SERVFAIL_PORT} and,
 * for {@link #queries()}, sends a marker query to the resolver, so that every query answered before
 * is in the log read so far.</li>
 * </ul>
 * Both dnsmasq stay root ({@code --user=root}), read no configuration, hosts or resolv.conf, write no
 * pid file and log to standard error, which this class reads.
 */
public final class DnsServer implements AutoCloseable {
    /** The port it listens on, UDP and TCP. */
    public static final int PORT = 53;
    /** The records' TTL (without it dnsmasq serves local records with TTL 0). */
    public static final int TTL = 300;
    /** The TTL and minimum of the SOA in negative answers. */
    public static final int NEGATIVE_TTL = 60;
    /** Queries for this name and names under it get SERVFAIL. */
    public static final String SERVFAIL_ZONE = "fail." + Lab.DNS_ZONE;
    /** Queries for this name and names under it get no answer (the client times out). */
    public static final String TIMEOUT_ZONE = "timeout." + Lab.DNS_ZONE;
    /** An address whose PTR and origin TXT lookups get SERVFAIL. */
    public static final String SERVFAIL_ADDRESS = "198.18.255.1";
    /** An address whose PTR and origin TXT lookups get no answer. */
    public static final String TIMEOUT_ADDRESS = "198.18.255.2";
    static final int AUTH_PORT = 5300;
    static final int SERVFAIL_PORT = 5301;
    static final int BLACKHOLE_PORT = 5302;
    private static final String SYNC_PREFIX = "pathprobe-sync-";
    private static final Pattern QUERY = Pattern.compile("dnsmasq\\[\\d+\\]: query\\[(\\S+)\\] (\\S+) from (\\S+)");
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(10);
    private static final int KEPT_LINES = 80;

    /**
     * The helper: SERVFAIL on its UDP socket; for each "sync N" line on standard input, a query for
     * pathprobe-sync-N.lab.example to the resolver; exits at the end of its input.
     */
    private static final String HELPER = """
            use strict; use IO::Socket::INET; use IO::Select;
            my ($resolver, $port) = @ARGV;
            $| = 1;
            my $fail = IO::Socket::INET->new(LocalAddr => "127.0.0.1:$port", Proto => 'udp')
                or die "pathprobe-dns: error: servfail socket: $!\\n";
            my $sync = IO::Socket::INET->new(PeerAddr => "$resolver:53", Proto => 'udp')
                or die "pathprobe-dns: error: sync socket: $!\\n";
            my $sel = IO::Select->new(\\*STDIN, $fail, $sync);
            print "pathprobe-dns: helper ready\\n";
            my $in = '';
            while (1) {
                for my $fh ($sel->can_read) {
                    if ($fh == $fail) {
                        my $peer = $fail->recv(my $d, 4096);
                        next if !defined $peer || length($d) < 12;
                        my $flags = unpack('n', substr($d, 2, 2));
                        $fail->send(substr($d, 0, 2) . pack('n', 0x8000 | ($flags & 0x7900) | 0x0080 | 2)
                            . substr($d, 4, 2) . ("\\0" x 6) . substr($d, 12), 0, $peer);
                    } elsif ($fh == $sync) {
                        $sync->recv(my $d, 4096);
                    } else {
                        my $n = sysread(STDIN, my $chunk, 4096);
                        exit 0 if !$n;
                        $in .= $chunk;
                        while ($in =~ s/^sync (\\d+)\\n//) {
                            my $q = pack('nnnnnn', $1 & 0xffff, 0x0100, 1, 0, 0, 0)
                                . join('', map { chr(length) . $_ } split /\\./, "pathprobe-sync-$1.lab.example")
                                . "\\0" . pack('nn', 1, 1);
                            $sync->send($q);
                        }
                    }
                }
            }
            """;

    private final String namespace;
    private final List<InetAddress> listen;
    private final List<String> command;
    private final String description;
    private final List<Query> log = new ArrayList<>(); // guarded by this
    private final AtomicInteger syncs = new AtomicInteger();
    private int seenSync = -1; // guarded by this
    private @Nullable TiedProcess tied; // guarded by this
    private final Duration timeout;

    /**
     * One query the resolver received, as its log names it.
     *
     * @param name the name asked for, as sent (dnsmasq prints it in lower case when the client did)
     * @param type the type: A, AAAA, PTR, TXT, SOA, ...
     * @param from the client's address as the resolver saw it (behind the home lab's NATs: the CGNAT's outside address)
     */
    public record Query(String name, String type, String from) {}

    private DnsServer(String namespace, List<InetAddress> listen, List<String> command, Duration timeout) {
        this.namespace = namespace;
        this.listen = List.copyOf(listen);
        this.command = List.copyOf(command);
        this.timeout = timeout;
        this.description = "DNS server (dnsmasq) on " + listen.stream().map(InetAddress::getHostAddress).toList()
                + " port " + PORT + " in " + (namespace.isEmpty() ? "this namespace" : namespace);
    }

    /** The resolver's arguments: answers {@code records} and {@code txt} itself, passes the rest as described above. */
    public static List<String> arguments(List<InetAddress> listen, Map<String, List<InetAddress>> records) {
        List<String> args = new ArrayList<>(common());
        args.addAll(List.of("--port=" + PORT, "--cache-size=0", "--log-queries", "--local-ttl=" + TTL,
                "--neg-ttl=" + NEGATIVE_TTL));
        for (InetAddress a : listen) {
            args.add("--listen-address=" + literal(a));
        }
        String auth = "127.0.0.1#" + AUTH_PORT;
        String fail = "127.0.0.1#" + SERVFAIL_PORT;
        String hole = "127.0.0.1#" + BLACKHOLE_PORT;
        args.add("--server=/" + SERVFAIL_ZONE + "/" + fail);
        args.add("--server=/" + TIMEOUT_ZONE + "/" + hole);
        byte[] sf = Addressing.inet(HomePlan.parse(SERVFAIL_ADDRESS)).getAddress();
        byte[] to = Addressing.inet(HomePlan.parse(TIMEOUT_ADDRESS)).getAddress();
        args.add("--server=/" + HomePlan.reverse4(sf) + ".in-addr.arpa/" + HomePlan.reverse4(sf)
                + ".origin.asn.cymru.com/" + fail);
        args.add("--server=/" + HomePlan.reverse4(to) + ".in-addr.arpa/" + HomePlan.reverse4(to)
                + ".origin.asn.cymru.com/" + hole);
        for (String zone : List.of(Lab.DNS_ZONE, "cymru.com", "in-addr.arpa", "ip6.arpa")) {
            args.add("--server=/" + zone + "/" + auth);
        }
        records.forEach((name, addresses) -> {
            StringBuilder record = new StringBuilder("--host-record=").append(name.toLowerCase(Locale.ROOT));
            for (InetAddress a : addresses) {
                record.append(',').append(literal(a));
            }
            args.add(record.toString());
        });
        return args;
    }

    /**
     * The resolver's configuration file, given on file descriptor 3: its TXT records. (On the command
     * line dnsmasq would split a text at its commas into several strings, and it keeps quotes there;
     * in a file a quoted text is one string.)
     */
    public static String configuration(Map<String, String> txt) {
        StringBuilder conf = new StringBuilder();
        txt.forEach((name, text) -> conf.append("txt-record=").append(name).append(",\"").append(text).append("\"\n"));
        return conf.toString();
    }

    /** The authoritative server's arguments. */
    public static List<String> authArguments() {
        List<String> args = new ArrayList<>(common());
        args.addAll(List.of("--port=" + AUTH_PORT, "--listen-address=127.0.0.1",
                "--auth-server=" + HomePlan.DNS_NAME + ",127.0.0.1",
                "--auth-zone=" + Lab.DNS_ZONE + ",198.18.0.0/15,192.168.0.0/16,100.64.0.0/10,2001:db8::/32",
                "--auth-zone=cymru.com", "--auth-soa=2024010101,hostmaster." + Lab.DNS_ZONE + ",1200,180,1209600",
                "--auth-ttl=" + NEGATIVE_TTL));
        return args;
    }

    private static List<String> common() {
        return List.of("--keep-in-foreground", "--conf-file=/dev/null", "--log-facility=-",
                "--pid-file=", "--user=root",
                "--no-resolv", "--no-hosts", "--no-poll", "--bind-interfaces");
    }

    private static String literal(InetAddress a) {
        return a instanceof Inet6Address ? a.getHostAddress().replaceAll("%.*", "") : a.getHostAddress();
    }

    private static String quote(String arg) {
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    /** The shell wrapper: both dnsmasq in the background, the helper in the foreground on its input; then ends them. */
    static String wrapper(List<String> resolverArgs, String configuration, InetAddress resolver) {
        StringBuilder sh = new StringBuilder();
        sh.append("PATH=\"$PATH:/usr/sbin:/sbin\"\n");
        sh.append("command -v dnsmasq >/dev/null || { echo \"dnsmasq: not found (Debian package "
                + "dnsmasq-base)\"; exit 127; }\n");
        sh.append("dnsmasq");
        authArguments().forEach(a -> sh.append(' ').append(quote(a)));
        sh.append(" </dev/null 2>&1 &\nauth=$!\n");
        sh.append("dnsmasq");
        resolverArgs.forEach(a -> sh.append(' ').append(quote(a)));
        sh.append(" --conf-file=/dev/fd/3 </dev/null 2>&1 3<<'PATHPROBE_EOF' &\n").append(configuration)
                .append("PATHPROBE_EOF\nresolver=$!\n");
        sh.append("trap 'kill $auth $resolver 2>/dev/null; wait; exit 0' TERM INT HUP\n");
        sh.append("perl -e ").append(quote(HELPER)).append(' ').append(quote(resolver.getHostAddress())).append(' ')
                .append(SERVFAIL_PORT).append(" 2>&1\n");
        sh.append("kill $auth $resolver 2>/dev/null\nwait\nexit 0\n");
        return sh.toString();
    }

    /**
     * Starts the server in {@code namespace} ("" = this one) listening on {@code listen} (the first
     * an IPv4 address) and returns once both dnsmasq have bound their sockets and the helper runs.
     */
    public static DnsServer start(String namespace, List<InetAddress> listen, Map<String, List<InetAddress>> records,
            Map<String, String> txt, Duration timeout) {
        List<String> cmd = Namespaces.in(namespace, "sh", "-c", wrapper(arguments(listen, records),
                configuration(txt), listen.get(0)), "pathprobe-dns");
        DnsServer server = new DnsServer(namespace, listen, cmd, timeout);
        server.start();
        return server;
    }

    /**
     * Starts the server again after {@link #stop()} (the same records); returns once it answers.
     * Nothing if it runs.
     *
     * @throws LabException if it does not start
     */
    public synchronized void start() {
        if (tied != null && tied.process().isAlive()) {
            return;
        }
        AtomicInteger started = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean helper = new java.util.concurrent.atomic.AtomicBoolean();
        tied = TiedProcess.start(command, description, timeout, line -> {
            if (line.contains("started, version")) {
                started.incrementAndGet();
            }
            if (line.equals("pathprobe-dns: helper ready")) {
                helper.set(true);
            }
            if (line.startsWith("dnsmasq: ") || line.startsWith("pathprobe-dns: error")
                    || line.startsWith("Can't locate")) {
                return TiedProcess.Line.FATAL;
            }
            // both dnsmasq have bound their sockets (they log "started" after) and the helper runs
            return helper.get() && started.get() >= 2 ? TiedProcess.Line.READY : TiedProcess.Line.MORE;
        }, KEPT_LINES, this::onLine);
    }

    private void onLine(String line) {
        Matcher m = QUERY.matcher(line);
        if (!m.find()) {
            return;
        }
        synchronized (this) {
            String name = m.group(2);
            if (name.startsWith(SYNC_PREFIX)) {
                int dot = name.indexOf('.');
                try {
                    seenSync = Math.max(seenSync, Integer.parseInt(name.substring(SYNC_PREFIX.length(), dot)));
                } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                    // not ours
                }
                notifyAll();
                return;
            }
            log.add(new Query(name, m.group(1), m.group(3)));
        }
    }

    /**
     * Stops the server (both dnsmasq and the helper) and waits until they are gone: queries to it
     * then get ICMP port unreachable. {@link #queries()} keeps what it had. Nothing if it is stopped.
     */
    public synchronized void stop() {
        if (tied != null) {
            Exec.endTiedProcess(tied.process(), Duration.ofSeconds(5));
            tied = null;
        }
    }

    /** Whether the server runs. */
    public synchronized boolean running() {
        return tied != null && tied.process().isAlive();
    }

    /** Where it listens: the first address (IPv4), port {@value #PORT}. */
    public InetSocketAddress address() {
        return new InetSocketAddress(listen.get(0), PORT);
    }

    /** Every address it listens on (IPv4, and IPv6 in a dual-stack lab), port {@value #PORT}. */
    public List<InetSocketAddress> addresses() {
        return listen.stream().map(a -> new InetSocketAddress(a, PORT)).toList();
    }

    /** The namespace it runs in. */
    public String namespace() {
        return namespace;
    }

    /**
     * Every query the resolver received since it was built or since {@link #clearQueries()}, in
     * order (restarts included). While it runs, every query it answered before this call is in the
     * list: the call sends a marker query to the resolver and waits until the log shows it.
     *
     * @throws LabException if the marker does not show within 10 s
     */
    public List<Query> queries() {
        synchronized (this) {
            if (tied == null || !tied.process().isAlive()) {
                return List.copyOf(log);
            }
        }
        int n = syncs.incrementAndGet();
        TiedProcess t;
        synchronized (this) {
            t = tied;
        }
        if (t != null) {
            try {
                OutputStream in = t.process().getOutputStream();
                synchronized (in) {
                    in.write(("sync " + n + "\n").getBytes(StandardCharsets.US_ASCII));
                    in.flush();
                }
            } catch (IOException e) {
                throw new LabException("cannot reach the " + description + "'s helper: " + e, e);
            }
        }
        long deadline = System.nanoTime() + SYNC_TIMEOUT.toNanos();
        synchronized (this) {
            while (seenSync < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || tied == null) {
                    throw new LabException("the " + description + " did not log its marker query within "
                            + SYNC_TIMEOUT + ": " + (tied == null ? "stopped" : tied.lastLines()));
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LabException("interrupted while reading the DNS query log", e);
                }
            }
            return List.copyOf(log);
        }
    }

    /** Forgets the queries received so far (after waiting, as {@link #queries()} does, for those already answered). */
    public void clearQueries() {
        queries();
        synchronized (this) {
            log.clear();
        }
    }

    /** The last lines both dnsmasq and the helper printed. */
    synchronized String lastLines() {
        return tied == null ? "" : tied.lastLines();
    }

    /** Ends the server (closing the wrapper's input: the helper ends and the wrapper kills both dnsmasq). */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return description;
    }
}
