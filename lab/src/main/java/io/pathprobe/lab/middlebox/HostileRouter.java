package io.pathprobe.lab.middlebox;

import io.pathprobe.lab.LabException;
import io.pathprobe.lab.namespace.Namespaces;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A hostile router ({@link Chaos#hostileRouter(int, String)}): a small C program
 * ({@code lab/src/main/c/forger.c}, compiled with gcc once per JVM) in a router's namespace that
 * watches the host's probes arriving on the router's interface toward the host (a packet socket) and
 * answers each with forged ICMP messages quoting a plausible but wrong probe, from addresses of its
 * own, {@value #PREFIX}.&lt;kind&gt; (so what a measurement attributes to them is known to be forged):
 * <ol>
 *   <li>Time Exceeded quoting the probe's ICMP identifier (UDP/TCP source port) + 1;</li>
 *   <li>Time Exceeded quoting the next probe number: ICMP sequence + 1 (UDP checksum + 1 and IP ID
 *       + 1; TCP sequence number + 1 and IP ID + 1);</li>
 *   <li>Time Exceeded quoting the probe exactly but to another destination (address + 1);</li>
 *   <li>for an echo request an Echo Reply with its exact identifier, sequence and payload from
 *       {@value #PREFIX}.4 instead of the destination; for UDP/TCP a Port Unreachable quoting
 *       destination port + 1;</li>
 *   <li>Port Unreachable quoting the probe exactly, with a wrong ICMP checksum (off by one);</li>
 *   <li>Time Exceeded quoting the probe with its probe number rewritten to that of the previous probe
 *       of the same flow the forger saw (another plausible, outstanding probe), every other quoted
 *       byte left as sent: ICMP sequence (the quoted checksum left as sent: under Paris every probe's);
 *       UDP checksum (Paris UDP's probe number) and destination port (classic UDP's); TCP sequence
 *       number (checksum, source port and IP ID left). Quote: 28 bytes;</li>
 *   <li>as 6, but quoting the whole probe (up to 576 bytes of ICMP error, as the kernel quotes),
 *       payload included; for UDP also every payload word that differs between the two probes but
 *       the first (a probe number in clear, not the checksum's compensation word).</li>
 * </ol>
 * Quotes of kinds 1-6 are 28 bytes (IP header and 8 transport bytes, RFC 792's minimum): they prove
 * what a transport can make those bytes prove (its IP ID, the 8 bytes); kind 7 what a whole quote
 * proves (payload cookie, compensation, checksum over the quoted bytes). Kinds 6 and 7 forge nothing
 * until the forger has seen an earlier probe of the flow with another number. {@link #forged()} is
 * the log: every forged packet, what it quoted and instead of what. Stopped by {@link #close()}
 * (and by {@link Chaos#close()}); exits by itself when this JVM dies (its stdin is a pipe from it).
 */
public final class HostileRouter implements AutoCloseable {
    /** The first three octets of the forged sources: kind k answers from {@value}.k. */
    public static final String PREFIX = "198.18.250";
    private static final Pattern LINE = Pattern.compile(
            "forged (\\d) (\\S+) (\\d+) (\\S+ [^>]+?) -> (.+)");

    /**
     * One forged packet.
     *
     * @param kind 1..7 as in the class description
     * @param source the forged source address, {@value #PREFIX}.kind
     * @param probeTtl the IP TTL of the probe as it arrived at the router
     * @param probeKey the probe: "icmp ID SEQ DST", "udp SPORT DPORT CHECKSUM IPID DST" or "tcp SPORT DPORT SEQ IPID
     * DST"
     * @param quotedKey what the forged packet quotes (for kind 4 on an echo request: the echo it
     *     answers), in the same form
     */
    public record Forged(int kind, InetAddress source, int probeTtl, String probeKey, String quotedKey) {}

    private final String namespace;
    private final Daemon<Forged> daemon;

    private HostileRouter(String namespace, Daemon<Forged> daemon) {
        this.namespace = namespace;
        this.daemon = daemon;
    }

    /**
     * Starts the forger in {@code namespace} on {@code iface}, answering probes from {@code host} with {@code kinds}
     * (digits 1-7).
     */
    static HostileRouter start(String namespace, String iface, InetAddress host, String kinds) {
        Objects.requireNonNull(namespace, "namespace");
        if (!kinds.matches("[1-7]{1,7}")) {
            throw new IllegalArgumentException("kinds are digits 1-7, was '" + kinds + "'");
        }
        Path program = compiled();
        List<String> cmd = Namespaces.in(namespace, program.toString(), iface, host.getHostAddress(),
                PREFIX, kinds);
        return new HostileRouter(namespace, Daemon.start(cmd, "the forger", HostileRouter::parse));
    }

    private static @Nullable Forged parse(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            return null;
        }
        try {
            return new Forged(Integer.parseInt(m.group(1)), InetAddress.getByName(m.group(2)),
                    Integer.parseInt(m.group(3)), m.group(4).strip(), m.group(5).strip());
        } catch (UnknownHostException e) {
            throw new UncheckedIOException(e); // cannot happen: the forger prints an address
        }
    }

    /** The namespace it runs in. */
    public String namespace() {
        return namespace;
    }

    /** Every packet forged so far (all of them once {@link #close()} returned). */
    public List<Forged> forged() {
        return daemon.entries();
    }

    /** Clears the log (e.g. between two measurements). */
    public void clear() {
        daemon.clear();
    }

    /**
     * Stops the forger (closes its stdin; SIGTERM, SIGKILL if it lingers) and waits until its log is read. Idempotent.
     *
     * @throws LabException if the forger would not die (it is killed)
     */
    @Override
    public void close() {
        daemon.stop();
    }

    @Override
    public String toString() {
        return "HostileRouter[" + namespace + ", pid " + daemon.pid() + ", " + daemon.entries().size() + " forged]";
    }

    /** The forger compiled from the class path resource forger.c with gcc, once per JVM (deleted at exit). */
    static Path compiled() {
        return CProgram.compiled("forger", "the forger");
    }
}
