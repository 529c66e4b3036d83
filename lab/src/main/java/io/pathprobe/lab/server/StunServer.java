package io.pathprobe.lab.server;

import io.pathprobe.lab.LabBuilder;
import io.pathprobe.lab.LabException;
import io.pathprobe.lab.namespace.Namespaces;
import io.pathprobe.lab.namespace.TiedProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The lab's STUN servers ({@link LabBuilder#stunServer()}), in the destination's namespace (the
 * "public internet" side of the home lab), under a shell that ends them when its standard input ends
 * (at {@link #close()}, or when the JVM that started it dies):
 * <ul>
 * <li>coturn ({@code turnserver -n --stun-only}, Debian package coturn) on port {@value #PORT} of the
 * destination's addresses, UDP and TCP, no TLS/DTLS, no CLI, no RFC 5780 (with an IPv4 and an IPv6
 * address it would announce an OTHER-ADDRESS it cannot serve, and {@code turnutils_stunclient} would
 * then wait forever for its second test), its pid file and user database in a directory of its own
 * that {@link #close()} deletes;</li>
 * <li>a junk responder on UDP port {@value #JUNK_PORT}: every datagram gets 32 bytes that are no
 * STUN message (not even a STUN header: first byte 0xff);</li>
 * <li>a silent one on UDP port {@value #SILENT_PORT}: it reads every datagram and answers nothing
 * (no ICMP port unreachable either), so a client times out.</li>
 * </ul>
 * The responders are a perl-base one-liner, IPv4 only.
 */
public final class StunServer extends TiedServer {
    /** coturn's port, UDP and TCP. */
    public static final int PORT = 3478;
    /** The junk responder's UDP port. */
    public static final int JUNK_PORT = 3490;
    /** The silent responder's UDP port. */
    public static final int SILENT_PORT = 3491;

    private static final String RESPONDERS = """
            use strict; use IO::Socket::INET; use IO::Select;
            my ($addr, $junk, $silent) = @ARGV;
            $| = 1;
            my $j = IO::Socket::INET->new(LocalAddr => "$addr:$junk", Proto => 'udp')
                or die "pathprobe-stun: error: junk socket: $!\\n";
            my $s = IO::Socket::INET->new(LocalAddr => "$addr:$silent", Proto => 'udp')
                or die "pathprobe-stun: error: silent socket: $!\\n";
            my $sel = IO::Select->new(\\*STDIN, $j, $s);
            print "pathprobe-stun: responders ready\\n";
            while (1) {
                for my $fh ($sel->can_read) {
                    if ($fh == $j) {
                        my $peer = $j->recv(my $d, 65535);
                        $j->send(pack('C', 0xff) . ('junk' x 7) . 'jun', 0, $peer) if defined $peer;
                    } elsif ($fh == $s) {
                        $s->recv(my $d, 65535);
                    } else {
                        exit 0 if !sysread(STDIN, my $chunk, 4096);
                    }
                }
            }
            """;

    private final Path dir;

    private StunServer(Process process, Path dir, String description) {
        super(process, description);
        this.dir = dir;
    }

    private static String quote(String arg) {
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    /** coturn's arguments. */
    static List<String> arguments(List<InetAddress> listen, Path dir) {
        List<String> args = new ArrayList<>(List.of("-n", "--stun-only", "--listening-port=" + PORT, "--no-tls",
                "--no-dtls", "--no-cli", "--log-file=stdout", "--simple-log", "--no-software-attribute", "--no-rfc5780",
                "--pidfile=" + dir.resolve("turnserver.pid"), "--userdb=" + dir.resolve("turndb")));
        for (InetAddress a : listen) {
            args.add("--listening-ip=" + (a instanceof Inet6Address ? a.getHostAddress().replaceAll("%.*", "")
                    : a.getHostAddress()));
        }
        return args;
    }

    /** Starts coturn and the responders in {@code namespace}; returns once coturn has made its servers. */
    public static StunServer start(String namespace, List<InetAddress> listen, Duration timeout) {
        Path dir;
        try {
            dir = Files.createTempDirectory("pathprobe-stun-");
        } catch (IOException e) {
            throw new LabException("cannot make a directory for coturn: " + e, e);
        }
        StringBuilder sh = new StringBuilder("PATH=\"$PATH:/usr/bin:/usr/sbin\"\n");
        sh.append("command -v turnserver >/dev/null || { echo \"pathprobe-stun: error: turnserver not found (Debian "
                + "package coturn)\"; exit 127; }\n");
        sh.append("turnserver");
        arguments(listen, dir).forEach(a -> sh.append(' ').append(quote(a)));
        sh.append(" </dev/null 2>&1 &\nturn=$!\n");
        sh.append("trap 'kill $turn 2>/dev/null; wait; exit 0' TERM INT HUP\n");
        sh.append("perl -e ").append(quote(RESPONDERS)).append(' ').append(quote(listen.get(0).getHostAddress()))
                .append(' ').append(JUNK_PORT).append(' ').append(SILENT_PORT).append(" 2>&1\n");
        sh.append("kill $turn 2>/dev/null\nwait\nexit 0\n");
        List<String> cmd = Namespaces.in(namespace, "sh", "-c", sh.toString(), "pathprobe-stun");
        String description = "STUN server (coturn) on " + listen.stream().map(InetAddress::getHostAddress).toList()
                + " port " + PORT + " in " + (namespace.isEmpty() ? "this namespace" : namespace);
        boolean[] seen = new boolean[2];
        TiedProcess tied;
        try {
            tied = TiedProcess.start(cmd, description, timeout, line -> {
                synchronized (seen) {
                    if (line.contains("Total General servers")) {
                        seen[0] = true;
                    }
                    if (line.equals("pathprobe-stun: responders ready")) {
                        seen[1] = true;
                    }
                    if (line.startsWith("pathprobe-stun: error") || line.contains("CONFIG ERROR")
                            || line.contains("Cannot bind")) {
                        return TiedProcess.Line.FATAL;
                    }
                    return seen[0] && seen[1] ? TiedProcess.Line.READY : TiedProcess.Line.MORE;
                }
            }, 60);
        } catch (RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
        return new StunServer(tied.process(), dir, description);
    }

    /** Ends coturn and the responders, and deletes coturn's directory. */
    @Override
    public void close() {
        super.close();
        deleteTree(dir);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort: a temporary directory
        }
    }
}
