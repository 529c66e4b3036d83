package io.pathprobe.lab.runner;

import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabBuilder;
import io.pathprobe.lab.LabException;
import io.pathprobe.lab.namespace.Exec;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the reference pingers in a lab's host namespace, iputils {@code ping} and {@code fping}, and
 * parses what they print (the tools pathprobe's ping is compared against).
 *
 * <pre>{@code
 * try (Lab lab = Lab.chain(3).dropToDestination(30).build()) {
 *     Ping.FpingResult f = Ping.fping(lab, List.of("-c", "200", "-p", "10", "-q"), lab.destination());
 *     double loss = f.target(lab.destination()).lossFraction();
 *     Ping.Result p = Ping.ping(lab, List.of("-c", "100", "-i", "0.01"), lab.destination());
 *     Duration avg = p.rtt().orElseThrow().avg();
 * }
 * }</pre>
 *
 * <h2>iputils ping ({@link #ping}, {@link #parse})</h2>
 * {@code ping -n <options> <target>}. The summary: {@code N packets transmitted, N received[, +N
 * duplicates][, +N errors], L% packet loss, time Tms} and {@code rtt min/avg/max/mdev = a/b/c/d ms};
 * mdev is the population standard deviation. Each reply line ({@code 64 bytes from A: icmp_seq=S
 * ttl=T time=R ms[ (DUP!)]}) and each error line ({@code From A icmp_seq=S Destination Net
 * Unreachable}) is kept. Beware: with {@code -c N} iputils stops as soon as the N-th reply is in, so
 * a duplicate of the last reply (which arrives right after it) is never read: {@code ping -c 5}
 * against {@link LabBuilder#duplicateFromDestination()} prints {@code +4 duplicates}. A deadline
 * without a count ({@code -i 0.2 -w 1}) waits, and counts every duplicate.
 *
 * <h2>fping ({@link #fping}, {@link #parseFping})</h2>
 * {@code fping <options> <targets>}; fping writes its per-target summaries to standard error:
 * with {@code -c}, {@code T : xmt/rcv/%loss = 10/7/30%, min/avg/max = 0.038/0.047/0.059} (no
 * min/avg/max when nothing came back; the loss percentage is an integer, rounded down); with
 * {@code -C}, {@code T : 0.027 - 0.035} (every probe's RTT in ms, {@code -} for a lost one); and for
 * every duplicate {@code T : duplicate for [seq], 64 bytes, 0.050 ms}. Its per-reply lines on
 * standard output (without {@code -q}) are not parsed. fping waits for the timeout after its last
 * probe, so it counts every duplicate.
 *
 * <p>Exit codes: ping exits 1 when a reply was missing, fping when a target was; both are results.
 * A run that prints no summary (an unknown option, no route) fails with a {@link LabException}; a
 * run longer than {@link #TIMEOUT} is killed.
 */
public final class Ping {
    /** The longest a run may take before it is killed. */
    public static final Duration TIMEOUT = Duration.ofMinutes(2);

    private static final Pattern PING_SUMMARY = Pattern.compile("(\\d+) packets transmitted, (\\d+) received"
            + "(?:, \\+(\\d+) duplicates)?(?:, \\+(\\d+) errors)?, ([\\d.]+)% packet loss(?:, time (\\d+)ms)?");
    private static final Pattern PING_RTT = Pattern.compile(
            "(?:rtt|round-trip) min/avg/max/mdev = ([\\d.]+)/([\\d.]+)/([\\d.]+)/([\\d.]+) ms");
    private static final Pattern PING_REPLY = Pattern.compile(
            "^\\d+ bytes from (\\S+?):? .*?icmp_seq=(\\d+)(?: ttl=(\\d+))?(?: time=([\\d.]+) ms)?(.*)$");
    private static final Pattern PING_ERROR = Pattern.compile("^From (\\S+)(?: \\(\\S+\\))?:? icmp_seq=(\\d+) (.*)$");
    private static final Pattern FPING_C = Pattern.compile(
            "^(\\S+)\\s+: xmt/rcv/%loss = (\\d+)/(\\d+)/(\\d+)%(?:, min/avg/max = ([\\d.]+)/([\\d.]+)/([\\d.]+))?");
    private static final Pattern FPING_DUP = Pattern.compile("^(\\S+)\\s+: duplicate for \\[(\\d+)\\]");
    private static final Pattern FPING_PER_PROBE = Pattern.compile("^(\\S+)\\s+:((?:\\s+(?:[\\d.]+|-))+)\\s*$");

    private Ping() {}

    // ---------------------------------------------------------------------------------------------
    // iputils ping

    /**
     * Runs {@code ping -n <options> <target>} in the lab's host namespace and parses its output.
     *
     * @throws LabException if ping printed no summary (see the message for what it printed)
     */
    public static Result ping(Lab lab, List<String> options, InetAddress target) {
        List<String> cmd = new ArrayList<>(List.of("ping", "-n"));
        cmd.addAll(options);
        cmd.add(target.getHostAddress());
        ProcessBuilder builder = lab.command(cmd);
        Exec.Result r = Exec.run(builder, null, TIMEOUT);
        String output = r.stdout() + (r.stderr().isEmpty() ? "" : r.stderr());
        Optional<Result> parsed = tryParse(output);
        if (parsed.isEmpty()) {
            throw new LabException(Exec.failure("pinging", String.join(" ", cmd), r, null)
                    + "; output: " + r.stdout().strip());
        }
        return parsed.get();
    }

    /**
     * Parses what iputils ping printed.
     *
     * @throws IllegalArgumentException if there is no summary line
     */
    public static Result parse(String output) {
        return tryParse(output).orElseThrow(() -> new IllegalArgumentException("no ping summary in: " + output));
    }

    private static Optional<Result> tryParse(String output) {
        Matcher summary = PING_SUMMARY.matcher(output);
        if (!summary.find()) {
            return Optional.empty();
        }
        Optional<Rtt> rtt = Optional.empty();
        Matcher m = PING_RTT.matcher(output);
        if (m.find()) {
            rtt = Optional.of(new Rtt(millis(m.group(1)), millis(m.group(2)), millis(m.group(3)), millis(m.group(4))));
        }
        List<Reply> replies = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (String line : output.split("\\R")) {
            Matcher reply = PING_REPLY.matcher(line);
            if (reply.matches()) {
                replies.add(new Reply(reply.group(1), Integer.parseInt(reply.group(2)),
                        reply.group(3) == null ? -1 : Integer.parseInt(reply.group(3)),
                        reply.group(4) == null ? Optional.empty() : Optional.of(millis(reply.group(4))),
                        reply.group(5).contains("(DUP!)")));
                continue;
            }
            if (PING_ERROR.matcher(line).matches()) {
                errors.add(line);
            }
        }
        return Optional.of(new Result(Integer.parseInt(summary.group(1)), Integer.parseInt(summary.group(2)),
                count(summary.group(3)), count(summary.group(4)), Double.parseDouble(summary.group(5)),
                summary.group(6) == null ? Optional.empty()
                        : Optional.of(Duration.ofMillis(Long.parseLong(summary.group(6)))),
                rtt, replies, errors, output));
    }

    private static int count(String group) {
        return group == null ? 0 : Integer.parseInt(group);
    }

    /**
     * One iputils ping run.
     *
     * @param transmitted probes sent
     * @param received distinct probes answered (duplicates not counted)
     * @param duplicates the {@code +N duplicates}
     * @param errors the {@code +N errors}: ICMP errors received instead of replies
     * @param lossPercent as printed ({@code 33.3333} for a third)
     * @param time the {@code time Nms} of the summary, if printed
     * @param rtt the rtt line, absent when nothing was received
     * @param replies every reply line, in order, duplicates included
     * @param errorLines every {@code From ... icmp_seq=...} error line
     * @param output everything ping printed
     */
    public record Result(int transmitted, int received, int duplicates, int errors, double lossPercent,
            Optional<Duration> time, Optional<Rtt> rtt, List<Reply> replies, List<String> errorLines, String output) {
        public Result {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(rtt, "rtt");
            replies = List.copyOf(replies);
            errorLines = List.copyOf(errorLines);
            Objects.requireNonNull(output, "output");
        }

        /** {@code 1 - received / transmitted} (0 when nothing was sent). */
        public double lossFraction() {
            return transmitted == 0 ? 0 : 1 - (double) received / transmitted;
        }
    }

    /**
     * iputils' rtt line.
     *
     * @param mdev the population standard deviation of the RTTs
     */
    public record Rtt(Duration min, Duration avg, Duration max, Duration mdev) {}

    /**
     * One reply line of iputils ping.
     *
     * @param from the address it came from, as printed
     * @param sequence {@code icmp_seq}
     * @param ttl the reply's TTL (hop limit), -1 if not printed
     * @param rtt {@code time=}, if printed
     * @param duplicate whether ping marked it {@code (DUP!)}
     */
    public record Reply(String from, int sequence, int ttl, Optional<Duration> rtt, boolean duplicate) {}

    // ---------------------------------------------------------------------------------------------
    // fping

    /**
     * Runs {@code fping <options> <targets>} in the lab's host namespace and parses its summaries
     * (give it {@code -c N} or {@code -C N}; add {@code -q} to skip the per-reply lines).
     *
     * @throws LabException if fping printed no summary for any target
     */
    public static FpingResult fping(Lab lab, List<String> options, InetAddress... targets) {
        List<String> cmd = new ArrayList<>(List.of("fping"));
        cmd.addAll(options);
        for (InetAddress t : targets) {
            cmd.add(t.getHostAddress());
        }
        ProcessBuilder builder = lab.command(cmd);
        Exec.Result r = Exec.run(builder, null, TIMEOUT);
        FpingResult parsed = parseFping(r.stdout(), r.stderr());
        if (parsed.targets().isEmpty()) {
            throw new LabException(Exec.failure("pinging", String.join(" ", cmd), r, null));
        }
        return new FpingResult(parsed.targets(), r.exitCode(), r.stdout(), r.stderr());
    }

    /**
     * Parses fping's summaries: {@code -c}'s xmt/rcv/%loss lines, {@code -C}'s per-probe lines and
     * the duplicate lines, from its standard error (standard output is kept, not parsed). The
     * targets are keyed as fping printed them. Exit code -1: not known.
     */
    public static FpingResult parseFping(String stdout, String stderr) {
        Map<String, FpingTarget.Builder> targets = new LinkedHashMap<>();
        for (String line : stderr.split("\\R")) {
            Matcher c = FPING_C.matcher(line);
            if (c.find()) {
                FpingTarget.Builder t = targets.computeIfAbsent(c.group(1), FpingTarget.Builder::new);
                t.sent = Integer.parseInt(c.group(2));
                t.received = Integer.parseInt(c.group(3));
                t.lossPercent = Integer.parseInt(c.group(4));
                if (c.group(5) != null) {
                    t.min = Optional.of(millis(c.group(5)));
                    t.avg = Optional.of(millis(c.group(6)));
                    t.max = Optional.of(millis(c.group(7)));
                }
                continue;
            }
            Matcher d = FPING_DUP.matcher(line);
            if (d.find()) {
                targets.computeIfAbsent(d.group(1), FpingTarget.Builder::new).duplicates++;
                continue;
            }
            Matcher p = FPING_PER_PROBE.matcher(line);
            if (p.matches()) {
                FpingTarget.Builder t = targets.computeIfAbsent(p.group(1), FpingTarget.Builder::new);
                List<Optional<Duration>> rtts = new ArrayList<>();
                for (String v : p.group(2).strip().split("\\s+")) {
                    rtts.add(v.equals("-") ? Optional.empty() : Optional.of(millis(v)));
                }
                t.rtts = rtts;
            }
        }
        Map<String, FpingTarget> built = new LinkedHashMap<>();
        targets.forEach((k, v) -> built.put(k, v.build()));
        return new FpingResult(built, -1, stdout, stderr);
    }

    /**
     * One fping run.
     *
     * @param targets each target's summary, keyed (in the order printed) as fping printed the target
     * @param exitCode fping's exit code (0 all reachable, 1 some not, 2 an address not found), -1 if not known
     * @param stdout its standard output (per-reply lines)
     * @param stderr its standard error (the summaries)
     */
    public record FpingResult(Map<String, FpingTarget> targets, int exitCode, String stdout, String stderr) {
        public FpingResult {
            targets = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(targets));
            Objects.requireNonNull(stdout, "stdout");
            Objects.requireNonNull(stderr, "stderr");
        }

        /**
         * The summary of this target.
         *
         * @throws IllegalArgumentException if fping printed none for it
         */
        public FpingTarget target(InetAddress address) {
            return target(address.getHostAddress());
        }

        /** The summary of this target, as fping printed it. */
        public FpingTarget target(String printed) {
            FpingTarget t = targets.get(printed);
            if (t == null) {
                throw new IllegalArgumentException("no fping summary for " + printed + " in: " + stderr);
            }
            return t;
        }
    }

    /**
     * One target's fping summary. With {@code -c}: sent, received, loss and min/avg/max; with
     * {@code -C}: every probe's RTT (then the counts are derived from them). -1 where not printed.
     *
     * @param target the target as printed
     * @param sent {@code xmt} (with {@code -C} only: the number of probes listed)
     * @param received {@code rcv} (with {@code -C} only: the probes with an RTT)
     * @param lossPercent {@code %loss}, an integer rounded down as fping prints it (-1 with {@code -C} only)
     * @param min {@code min}, absent when nothing came back or with {@code -C}
     * @param avg {@code avg}
     * @param max {@code max}
     * @param rtts {@code -C}'s per-probe RTTs in probe order (empty: lost); empty list without {@code -C}
     * @param duplicates how many {@code duplicate for [n]} lines fping printed for it
     */
    public record FpingTarget(String target, int sent, int received, int lossPercent, Optional<Duration> min,
            Optional<Duration> avg, Optional<Duration> max, List<Optional<Duration>> rtts, int duplicates) {
        public FpingTarget {
            Objects.requireNonNull(target, "target");
            rtts = List.copyOf(rtts);
        }

        /** {@code 1 - received / sent}, exact (not fping's rounded percentage); 0 when nothing was sent. */
        public double lossFraction() {
            return sent <= 0 ? 0 : 1 - (double) received / sent;
        }

        private static final class Builder {
            final String target;
            int sent = -1;
            int received = -1;
            int lossPercent = -1;
            Optional<Duration> min = Optional.empty();
            Optional<Duration> avg = Optional.empty();
            Optional<Duration> max = Optional.empty();
            List<Optional<Duration>> rtts = List.of();
            int duplicates;

            Builder(String target) {
                this.target = target;
            }

            FpingTarget build() {
                int s = sent;
                int r = received;
                if (s < 0 && !rtts.isEmpty()) {
                    s = rtts.size();
                    r = (int) rtts.stream().filter(Optional::isPresent).count();
                }
                return new FpingTarget(target, s, r, lossPercent, min, avg, max, rtts, duplicates);
            }
        }
    }

    private static Duration millis(String text) {
        return Duration.ofNanos(Math.round(Double.parseDouble(text) * 1_000_000));
    }
}
