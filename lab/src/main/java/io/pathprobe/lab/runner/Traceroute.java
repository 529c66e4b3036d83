package io.pathprobe.lab.runner;

import io.pathprobe.lab.Addressing;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabException;
import io.pathprobe.lab.namespace.Exec;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Runs Linux traceroute ({@code traceroute -n}, the reference pathprobe is compared against) and
 * parses what it prints into the responder of every TTL.
 *
 * <pre>{@code
 * // in the lab's host namespace, wherever this JVM runs:
 * List<Optional<InetAddress>> path = Traceroute.run(lab, List.of("-I"), lab.destination());
 * assertThat(path).isEqualTo(lab.expectedPath());
 * }</pre>
 *
 * <p>The variants without a {@link Lab} run traceroute as a child of this process, in this process's
 * network namespace, and refuse to in the root namespace: from there the probes would leave the
 * machine. {@code -n} is always passed (no name lookups); other options are traceroute's own
 * ({@code -I} ICMP, {@code -U} UDP to port 53, {@code -T} TCP, {@code -q} probes per hop, {@code -m}
 * max TTL, default 30: with a lab longer than that, the lab variants add {@code -m hops}). A run
 * that takes longer than {@link #TIMEOUT} is killed.
 *
 * <p><b>Waits.</b> Unless the options give {@code -w}, {@code -w 5,1000,1000} is passed
 * ({@link #PATIENT_WAIT}): traceroute's own default ({@code -w 5,3,10}, {@link #USERS_WAIT}) gives up on
 * a probe 3 times the RTT of an answer from the same hop after it (10 times a later hop's), about
 * 130 µs on a lab whose hops answer in 44 µs, so on a busy machine a late answer prints {@code *} and
 * a test that compares paths fails for traceroute's impatience, not for the lab. A comparison that
 * times traceroute as people run it passes {@link #USERS_WAIT}.
 *
 * <p>The parser ({@link #parse(String)}) understands traceroute 2.1's line format: a TTL, then per
 * probe an address when it differs from the previous probe's, the round-trip time or {@code *},
 * and markers such as {@code !N}, {@code !H}, {@code !X} or {@code !<code>}; it tolerates host names
 * with parenthesised addresses, ICMP extensions ({@code <...>}) and AS numbers ({@code [...]}).
 */
public final class Traceroute {
    /** The longest a traceroute run may take before it is killed. */
    public static final Duration TIMEOUT = Duration.ofMinutes(2);

    /** traceroute's default wait: at most 5 s, 3 times a same-hop answer's RTT, 10 times a later hop's. */
    public static final List<String> USERS_WAIT = List.of("-w", "5,3,10");
    /** The wait passed unless the options give one: at most 5 s, 1,000 times a same-hop or later answer's RTT. */
    public static final List<String> PATIENT_WAIT = List.of("-w", "5,1000,1000");

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[\\w.-]+)?");
    private static final Pattern NUMBER = Pattern.compile("\\d+(\\.\\d+)?");
    private static final Pattern TTL = Pattern.compile("\\d{1,3}");

    private Traceroute() {}

    /**
     * Runs {@code traceroute -n <options> <target>} in this process's network namespace and returns
     * the responder per TTL ({@link Result#path()}).
     *
     * @throws LabException if this process is in the root network namespace, or traceroute fails
     */
    public static List<Optional<InetAddress>> run(List<String> options, InetAddress target) {
        return trace(options, target).path();
    }

    /** Like {@link #run(List, InetAddress)}, with everything traceroute printed. */
    public static Result trace(List<String> options, InetAddress target) {
        if (Lab.inRootNetworkNamespace()) {
            throw new LabException("refusing to run traceroute in the root network namespace: its probes would leave "
                    + "the machine. Run it in a lab's host namespace (Traceroute.trace(lab, ...)) or in a process "
                    + "started with unshare --net");
        }
        return execute(new ProcessBuilder(commandLine(options, target, 0)));
    }

    /**
     * Runs {@code traceroute -n <options> <target>} in the lab's host namespace (through
     * {@link Lab#command(List)}) and returns the responder per TTL.
     *
     * @throws LabException if traceroute fails
     */
    public static List<Optional<InetAddress>> run(Lab lab, List<String> options, InetAddress target) {
        return trace(lab, options, target).path();
    }

    /** Like {@link #run(Lab, List, InetAddress)}, with everything traceroute printed. */
    public static Result trace(Lab lab, List<String> options, InetAddress target) {
        return execute(lab.command(commandLine(options, target, lab.hops())));
    }

    private static List<String> commandLine(List<String> options, InetAddress target, int hops) {
        List<String> cmd = new ArrayList<>();
        cmd.add("traceroute");
        if (!options.contains("-n")) {
            cmd.add("-n");
        }
        boolean maxTtlGiven = options.stream().anyMatch(o -> o.startsWith("-m") || o.startsWith("--max-hops"));
        if (hops > 30 && !maxTtlGiven) {
            cmd.add("-m");
            cmd.add(Integer.toString(hops));
        }
        if (options.stream().noneMatch(o -> o.startsWith("-w") || o.startsWith("--wait"))) {
            cmd.addAll(PATIENT_WAIT);
        }
        cmd.addAll(options);
        cmd.add(target.getHostAddress());
        return cmd;
    }

    private static Result execute(ProcessBuilder builder) {
        Exec.Result r = Exec.run(builder, null, TIMEOUT);
        if (!r.ok()) {
            throw new LabException(Exec.failure("tracing", String.join(" ", builder.command()), r, null));
        }
        return parse(r.stdout());
    }

    /**
     * Parses the output of {@code traceroute} (with or without {@code -n}); lines that are not hop
     * lines (the header) are skipped.
     */
    public static Result parse(String output) {
        List<Hop> hops = new ArrayList<>();
        for (String line : output.split("\\R")) {
            String[] tokens = line.strip().split("\\s+");
            if (tokens.length == 0 || !TTL.matcher(tokens[0]).matches()) {
                continue;
            }
            List<Probe> probes = new ArrayList<>();
            @Nullable InetAddress current = null;
            for (int i = 1; i < tokens.length; i++) {
                String t = tokens[i];
                if (t.equals("*")) {
                    probes.add(Probe.LOST);
                } else if (t.startsWith("!")) {
                    if (!probes.isEmpty()) {
                        Probe last = probes.remove(probes.size() - 1);
                        probes.add(new Probe(last.address(), last.rtt(), Optional.of(t)));
                    }
                } else if (i + 1 < tokens.length && tokens[i + 1].equals("ms") && NUMBER.matcher(t).matches()) {
                    probes.add(new Probe(Optional.ofNullable(current), Optional.of(millis(t)), Optional.empty()));
                    i++;
                } else {
                    // an address, or "name (address)" without -n; <extensions>, [AS] and '-hops' are skipped
                    InetAddress address = literal(t.startsWith("(") && t.endsWith(")")
                            ? t.substring(1, t.length() - 1) : t);
                    if (address != null) {
                        current = address;
                    }
                }
            }
            hops.add(new Hop(Integer.parseInt(tokens[0]), probes));
        }
        return new Result(hops, output);
    }

    private static Duration millis(String text) {
        return Duration.ofNanos(Math.round(Double.parseDouble(text) * 1_000_000));
    }

    /** An IP address literal, or null; never a name lookup. */
    private static @Nullable InetAddress literal(String text) {
        Matcher v4 = IPV4.matcher(text);
        if (v4.matches()) {
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(v4.group(i + 1));
                if (octet > 255) {
                    return null;
                }
                bytes[i] = (byte) octet;
            }
            return Addressing.inet(((bytes[0] & 0xFFL) << 24) | ((bytes[1] & 0xFFL) << 16) | ((bytes[2] & 0xFFL) << 8)
                    | (bytes[3] & 0xFFL));
        }
        if (IPV6.matcher(text).matches()) {
            try {
                return InetAddress.getByName(text); // a literal with ':' is never looked up
            } catch (UnknownHostException | IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * A parsed traceroute run.
     *
     * @param hops one entry per TTL line printed, in order
     * @param output what traceroute printed, for diagnostics
     */
    public record Result(List<Hop> hops, String output) {
        public Result {
            hops = List.copyOf(hops);
            Objects.requireNonNull(output, "output");
        }

        /**
         * The responder per TTL: index 0 is TTL 1, up to the last TTL printed; empty where no probe
         * was answered (or the TTL was not printed, e.g. below {@code -f}).
         */
        public List<Optional<InetAddress>> path() {
            int last = hops.isEmpty() ? 0 : hops.get(hops.size() - 1).ttl();
            List<Optional<InetAddress>> path = new ArrayList<>();
            for (int ttl = 1; ttl <= last; ttl++) {
                path.add(hop(ttl).flatMap(Hop::address));
            }
            return List.copyOf(path);
        }

        /** The line for this TTL, if traceroute printed one. */
        public Optional<Hop> hop(int ttl) {
            return hops.stream().filter(h -> h.ttl() == ttl).findFirst();
        }

        /** Whether {@code target} answered at the last TTL printed. */
        public boolean reached(InetAddress target) {
            return !hops.isEmpty() && hops.get(hops.size() - 1).addresses().contains(target);
        }
    }

    /**
     * One TTL's line.
     *
     * @param ttl the TTL
     * @param probes each probe sent at this TTL, in the order printed
     */
    public record Hop(int ttl, List<Probe> probes) {
        public Hop {
            probes = List.copyOf(probes);
        }

        /** The first address that answered, empty if none did. */
        public Optional<InetAddress> address() {
            return probes.stream().flatMap(p -> p.address().stream()).findFirst();
        }

        /** Every distinct address that answered, in order (more than one: load balancing). */
        public List<InetAddress> addresses() {
            return probes.stream().flatMap(p -> p.address().stream()).distinct().toList();
        }

        /** Whether no probe was answered ({@code * * *}). */
        public boolean silent() {
            return address().isEmpty();
        }

        /** The markers printed after the probes' times, e.g. {@code !N}, in order. */
        public List<String> annotations() {
            return probes.stream().flatMap(p -> p.annotation().stream()).toList();
        }
    }

    /**
     * One probe's outcome.
     *
     * @param address who answered; empty for {@code *}
     * @param rtt the round-trip time printed; empty for {@code *}
     * @param annotation the marker printed after it, such as {@code !N} (network unreachable),
     *     {@code !H} (host), {@code !X} (prohibited), {@code !<code>} (another ICMP code)
     */
    public record Probe(Optional<InetAddress> address, Optional<Duration> rtt, Optional<String> annotation) {
        /** A probe nobody answered. */
        public static final Probe LOST = new Probe(Optional.empty(), Optional.empty(), Optional.empty());

        public Probe {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(rtt, "rtt");
            Objects.requireNonNull(annotation, "annotation");
        }

        /** Whether someone answered. */
        public boolean answered() {
            return address.isPresent();
        }
    }
}
