package io.pathprobe.lab.runner;

import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabException;
import io.pathprobe.lab.namespace.Exec;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * iputils {@code tracepath} (Debian's iputils-tracepath, installed by build/deps) run in a lab's host
 * namespace, and its output parsed: the first link's MTU ({@code 1?: [LOCALHOST] pmtu 1500}), every hop
 * line (TTL, responder, {@code pmtu N} when that answer reported a smaller MTU, {@code reached}) and the
 * final {@code Resume: pmtu N hops H}. The reference path MTU discovery is compared against.
 *
 * @param localMtu the MTU of the first link
 * @param lines every hop line, in order (a TTL may have several)
 * @param resumeMtu the path MTU of the {@code Resume:} line (or of {@code Too many hops:})
 * @param resumeHops the hops of the {@code Resume:} line, or -1
 * @param output everything tracepath printed
 */
public record Tracepath(OptionalInt localMtu, List<Line> lines, OptionalInt resumeMtu, int resumeHops, String output) {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final Pattern LOCAL = Pattern.compile("^\\s*\\d+\\?:\\s+\\[LOCALHOST\\].*?pmtu (\\d+)");
    private static final Pattern HOP = Pattern.compile("^\\s*(\\d+):\\s+(\\S+)(.*)$");
    private static final Pattern PMTU = Pattern.compile("pmtu (\\d+)");
    private static final Pattern RESUME = Pattern.compile("(?:Resume|Too many hops): pmtu (\\d+)(?: hops (\\d+))?");

    /**
     * One hop line.
     *
     * @param ttl the TTL
     * @param address the responder as printed, or "no reply"
     * @param pmtu the MTU this answer reported (Fragmentation Needed / Packet Too Big), if it did
     * @param reached whether the destination answered
     */
    public record Line(int ttl, String address, OptionalInt pmtu, boolean reached) {}

    /**
     * Runs {@code tracepath -n [-6] -m <hops + 2> target} in the lab's host namespace, after flushing the
     * path MTUs that namespace's kernel learned ({@code ip [-6] route flush cache}): tracepath sets
     * IP_PMTUDISC_DO, so a path MTU learned from earlier probes (its own or anyone's) would be its first
     * size, and it would show no drop.
     */
    public static Tracepath run(Lab lab, InetAddress target) {
        boolean v6 = target instanceof java.net.Inet6Address;
        List<String> flush = v6 ? List.of("ip", "-6", "route", "flush", "cache")
                : List.of("ip", "route", "flush", "cache");
        Exec.Result f = Exec.run(lab.command(flush), null, TIMEOUT);
        if (!f.ok()) {
            throw new LabException(Exec.failure("flushing the route cache", String.join(" ", flush), f, null));
        }
        List<String> cmd = new ArrayList<>(List.of("tracepath", "-n"));
        if (target instanceof java.net.Inet6Address) {
            cmd.add("-6");
        }
        cmd.addAll(List.of("-m", String.valueOf(lab.hops() + 2), target.getHostAddress()));
        Exec.Result r = Exec.run(lab.command(cmd), null, TIMEOUT);
        if (!r.ok()) {
            throw new LabException(Exec.failure("tracepath", String.join(" ", cmd), r, null));
        }
        return parse(r.stdout());
    }

    /** Parses tracepath's output. */
    public static Tracepath parse(String output) {
        OptionalInt local = OptionalInt.empty();
        OptionalInt resume = OptionalInt.empty();
        int hops = -1;
        List<Line> lines = new ArrayList<>();
        for (String line : output.split("\\R")) {
            Matcher m = LOCAL.matcher(line);
            if (m.find()) {
                local = OptionalInt.of(Integer.parseInt(m.group(1)));
                continue;
            }
            m = RESUME.matcher(line);
            if (m.find()) {
                resume = OptionalInt.of(Integer.parseInt(m.group(1)));
                hops = m.group(2) == null ? -1 : Integer.parseInt(m.group(2));
                continue;
            }
            m = HOP.matcher(line);
            if (m.find()) {
                String rest = m.group(3);
                Matcher p = PMTU.matcher(rest);
                String address = m.group(2).equals("no") ? "no reply" : m.group(2);
                lines.add(new Line(Integer.parseInt(m.group(1)), address,
                        p.find() ? OptionalInt.of(Integer.parseInt(p.group(1))) : OptionalInt.empty(),
                        rest.contains("reached")));
            }
        }
        return new Tracepath(local, List.copyOf(lines), resume, hops, output);
    }

    /** {@return the lines that reported a smaller MTU, in order} */
    public List<Line> drops() {
        return lines.stream().filter(l -> l.pmtu().isPresent()).toList();
    }

    /** {@return the TTL the destination answered at, if it did} */
    public Optional<Integer> reachedAt() {
        return lines.stream().filter(Line::reached).map(Line::ttl).findFirst();
    }
}
