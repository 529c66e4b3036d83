package io.pathprobe.lab.server;

import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabBuilder;
import io.pathprobe.lab.LabException;
import io.pathprobe.lab.namespace.Exec;
import io.pathprobe.lab.namespace.Namespaces;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A TCP listener in a lab namespace ({@link LabBuilder#tcpListener(int)}): a perl process (perl-base
 * is on every Debian) that listens on all addresses, accepts and closes connections, and exits when
 * its standard input ends: when {@link #close()} closes it, or when the JVM dies. Holding
 * ({@link LabBuilder#tcpService(int)}), it keeps every connection it accepts, reading and discarding what
 * arrives, until the other end closes it (then it closes its side too), as a service waiting for its
 * client's request does.
 */
public final class TcpListener extends TiedServer {
    static final String SCRIPT = """
            use Socket qw(:DEFAULT IPPROTO_IPV6 IPV6_V6ONLY pack_sockaddr_in6 IN6ADDR_ANY);
            my ($port, $v6, $hold) = @ARGV;
            my $s;
            if ($v6) {
                socket($s, AF_INET6, SOCK_STREAM, 0) or die "socket: $!";
                setsockopt($s, IPPROTO_IPV6, IPV6_V6ONLY, 0) or die "v6only: $!";
                setsockopt($s, SOL_SOCKET, SO_REUSEADDR, 1);
                bind($s, pack_sockaddr_in6($port, IN6ADDR_ANY)) or die "bind: $!";
            } else {
                socket($s, AF_INET, SOCK_STREAM, 0) or die "socket: $!";
                setsockopt($s, SOL_SOCKET, SO_REUSEADDR, 1);
                bind($s, pack_sockaddr_in($port, INADDR_ANY)) or die "bind: $!";
            }
            listen($s, 4096) or die "listen: $!";
            $| = 1;
            print "listening\\n";
            my $rin = '';
            vec($rin, fileno(STDIN), 1) = 1;
            vec($rin, fileno($s), 1) = 1;
            my (%held, %bytes);
            while (1) {
                my $r = $rin;
                select($r, undef, undef, undef) >= 0 or next;
                if (vec($r, fileno($s), 1) and accept(my $c, $s)) {
                    if ($hold) { $held{fileno($c)} = $c; vec($rin, fileno($c), 1) = 1; } else { close($c); }
                }
                if (vec($r, fileno(STDIN), 1)) { sysread(STDIN, my $buf, 4096) or exit 0; }
                for my $fd (keys %held) {
                    next unless vec($r, $fd, 1);
                    my $n = sysread($held{$fd}, my $buf, 65536);
                    if ($n) { $bytes{$fd} += $n; next; }
                    print((defined $n ? "closed " : "reset ") . ($bytes{$fd} // 0) . "\n");
                    vec($rin, $fd, 1) = 0; close($held{$fd}); delete $held{$fd}; delete $bytes{$fd};
                }
            }
            """;

    /** Holding: one line per connection the other end ended, "closed N" (FIN) or "reset N" (RST), N bytes read. */
    private final List<String> ended = new java.util.concurrent.CopyOnWriteArrayList<>();

    private TcpListener(Process process, String description) {
        super(process, description, Duration.ofSeconds(2));
    }

    /**
     * Holding ({@link LabBuilder#tcpService(int)}): every connection the other end has ended so far, in order,
     * as {@link Lab.ServedConnection}s.
     */
    public List<Lab.ServedConnection> endedConnections() {
        List<Lab.ServedConnection> out = new ArrayList<>();
        for (String line : ended) {
            String[] f = line.split(" ");
            if (f.length == 2 && (f[0].equals("closed") || f[0].equals("reset"))) {
                out.add(new Lab.ServedConnection(Long.parseLong(f[1]), f[0].equals("reset")));
            }
        }
        return List.copyOf(out);
    }

    /** Starts the listener and returns once it listens; {@code hold}: it keeps the connections it accepts. */
    public static TcpListener start(Lab lab, String namespace, int port, boolean ipv6, boolean hold, Duration timeout) {
        List<String> cmd = Namespaces.in(namespace, "perl", "-e", SCRIPT, Integer.toString(port), ipv6 ? "1" : "0",
                hold ? "1" : "0");
        String description = "TCP " + (hold ? "service" : "listener") + " on port " + port + " in " + namespace;
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new LabException("cannot start the " + description + " (needs perl): " + e.getMessage(), e);
        }
        TcpListener listener = new TcpListener(p, description);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
            try {
                String line = out.readLine();
                return line == null ? "" : line;
            } catch (IOException e) {
                return "";
            }
        }, Exec.THREADS);
        String line;
        try {
            line = first.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            listener.close();
            throw new LabException("interrupted while starting the " + description, e);
        } catch (ExecutionException | TimeoutException e) {
            line = "";
        }
        if (!line.equals("listening")) {
            listener.close();
            String err;
            try {
                err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                err = e.toString();
            }
            throw new LabException("the " + description + " did not start: " + err);
        }
        Exec.THREADS.execute(() -> { // what it says about the connections it held, until it ends
            try {
                for (String l = out.readLine(); l != null; l = out.readLine()) {
                    listener.ended.add(l);
                }
            } catch (IOException e) {
                // it ended
            }
        });
        return listener;
    }
}
