package io.pathprobe.lab;

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
 * A TCP listener in a lab namespace ({@link Lab.Builder#tcpListener(int)}): a perl process (perl-base
 * is on every Debian) that listens on all addresses, accepts and closes connections, and exits when
 * its standard input ends: when {@link #close()} closes it, or when the JVM dies.
 */
final class TcpListener implements AutoCloseable {
    static final String SCRIPT = """
            use Socket qw(:DEFAULT IPPROTO_IPV6 IPV6_V6ONLY pack_sockaddr_in6 IN6ADDR_ANY);
            my ($port, $v6) = @ARGV;
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
            while (1) {
                my $r = $rin;
                select($r, undef, undef, undef) >= 0 or next;
                if (vec($r, fileno($s), 1)) { accept(my $c, $s) and close($c); }
                if (vec($r, fileno(STDIN), 1)) { sysread(STDIN, my $buf, 4096) or exit 0; }
            }
            """;

    private final Process process;
    private final String description;

    private TcpListener(Process process, String description) {
        this.process = process;
        this.description = description;
    }

    /** Starts the listener and returns once it listens. */
    static TcpListener start(Lab lab, String namespace, int port, boolean ipv6, Duration timeout) {
        List<String> cmd = new ArrayList<>();
        if (!namespace.isEmpty()) {
            cmd.addAll(List.of("ip", "netns", "exec", namespace));
        }
        cmd.addAll(List.of("perl", "-e", SCRIPT, Integer.toString(port), ipv6 ? "1" : "0"));
        String description = "TCP listener on port " + port + " in " + namespace;
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new LabException("cannot start the " + description + " (needs perl): " + e.getMessage(), e);
        }
        TcpListener listener = new TcpListener(p, description);
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
            try {
                String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
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
        return listener;
    }

    /** Ends the listener (closing its input, then killing it if it lingers) and waits for it. */
    @Override
    public void close() {
        Exec.endTiedProcess(process, Duration.ofSeconds(2));
    }

    @Override
    public String toString() {
        return description;
    }
}
