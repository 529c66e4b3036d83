package io.pathprobe.bench;

import io.pathprobe.lab.TraceJson;
import io.pathprobe.lab.Unprivileged;
import io.pathprobe.lab.runner.Traceroute;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Back-to-back runs, the {@code fresh} and {@code short} parts of {@link RateLimitComparison}:
 * each trace a fresh process (a new {@code pathprobe trace --json} JVM, through the launcher
 * {@code cli/target/pathprobe} where the build left one ({@link #how()}), a new {@code traceroute}, a new
 * {@code mtr --report -c 1}), one right after the other with no pause, on routers that keep Linux's
 * default ICMP limits, so that every trace but the first starts on buckets the one before it drained, as
 * another tracer's or another user's traces leave them. Runs inside the lab's host namespace (the
 * comparison's {@code --inside-*} modes). Per tool and protocol, after a refill pause:
 * <ul>
 *   <li>loss claims, summed over the traces: pathprobe's {@code forwardLost + backwardLost} at every
 *       hop; mtr's lost probes ({@code Loss% · Snt}) at every hop ({@code mtr --report -c 1 -G 1}: one
 *       round, 1 s of grace for late answers instead of 5); traceroute claims none (it prints
 *       {@code *}, counted as unanswered);</li>
 *   <li>RTTs shown per router (mean over traces and routers; 3 a hop for traceroute and pathprobe, 1 for
 *       mtr -c 1), routers shown with an address (mean per trace) and router-traces without one;</li>
 *   <li>time: each process fork to exit, median and largest; for pathprobe also its own
 *       {@code durationMs} (the trace without the JVM's start).</li>
 * </ul>
 */
final class FreshTraces {
    private static final Pattern HUB = Pattern.compile("\\{[^{}]*\"count\":\\s*(\\d+)[^{}]*\\}");
    private static final Pattern FIELD = Pattern.compile("\"([A-Za-z%]+)\":\\s*(\"[^\"]*\"|[-0-9.eE]+)");

    private FreshTraces() {}

    /** What one tool showed over its back-to-back runs. */
    private static final class Tally {
        final String tool;
        final String protocol;
        final int hops;
        int runs;
        int failed;
        long lossClaims;
        long unanswered;
        long rtts;
        long routersShown;
        int reached;
        final List<Double> processMs = new ArrayList<>();
        final List<Double> traceMs = new ArrayList<>();
        @Nullable String firstWrong;

        Tally(String tool, String protocol, int hops) {
            this.tool = tool;
            this.protocol = protocol;
            this.hops = hops;
        }

        int routers() {
            return hops - 1;
        }

        void wrong(String what) {
            if (firstWrong == null) {
                firstWrong = what;
            }
        }

        void print(String part, String user) {
            double rttsPerRouter = runs == 0 ? Double.NaN : (double) rtts / ((long) runs * routers());
            double shown = runs == 0 ? Double.NaN : (double) routersShown / runs;
            long without = (long) runs * routers() - routersShown;
            System.out.printf(Locale.ROOT, "%-10s %-4s %d %s: %d loss claims, %d unanswered, %.2f RTTs a router, "
                    + "%.1f of %d routers shown (%d router-traces without an address), %d reached, "
                    + "process median %.0f ms "
                    + "(max %.0f)%s%s%n", tool, protocol, runs,
                    part.endsWith("spaced") ? "a second apart" : "back to back", lossClaims, unanswered, rttsPerRouter,
                    shown, routers(), without,
                    reached, median(processMs), max(processMs),
                    traceMs.isEmpty() ? "" : String.format(Locale.ROOT,
                            ", trace median %.0f ms (max %.0f)", median(traceMs),
                            max(traceMs)), failed > 0 ? ", " + failed + " runs failed" : "");
            if (!traceMs.isEmpty()) {
                System.out.println("  trace times (ms, in run order): " + traceMs.stream()
                        .map(ms -> String.format(Locale.ROOT, "%.0f", ms)).toList());
            }
            if (firstWrong != null) {
                System.out.println("  the first trace with a claim or a router missing: " + firstWrong);
            }
            System.out.printf(Locale.ROOT, "RESULT part=%s tool=%s protocol=%s user=%s runs=%d hops=%d loss_claims=%d "
                    + "unanswered=%d rtts_per_router=%.3f routers_shown_mean=%.2f "
                    + "router_traces_without_address=%d reached=%d "
                    + "median_ms=%.1f max_ms=%.1f median_trace_ms=%.1f max_trace_ms=%.1f failed=%d%n", part, tool,
                    protocol,
                    user, runs, hops, lossClaims, unanswered, rttsPerRouter, shown, without, reached, median(processMs),
                    max(processMs), median(traceMs), max(traceMs), failed);
        }
    }

    /**
     * The {@code fresh} part: {@code count} back-to-back runs of each of pathprobe ICMP, UDP, TCP,
     * traceroute {@code -I}, UDP, {@code -T} and {@code mtr --report -c 1}, a refill pause before each
     * tool's turn.
     */
    static void fresh(InetAddress dest, int hops, int count) throws Exception {
        System.out.printf(Locale.ROOT,
                "%d back-to-back fresh processes per tool on a %d-hop chain (%d routers), Linux's "
                + "default ICMP limits, %d s of refill before each tool's turn; pathprobe: %s%n", count, hops, hops - 1,
                RateLimitComparison.REFILL_SECONDS, how());
        for (String protocol : List.of("icmp", "udp", "tcp")) {
            refill();
            Tally t = new Tally("pathprobe", protocol, hops);
            for (int i = 0; i < count; i++) {
                pathprobe(t, cli(List.of("-P", protocol), dest), null);
            }
            t.print("fresh", "root");
        }
        for (String protocol : List.of("icmp", "udp", "tcp")) {
            refill();
            Tally t = new Tally("traceroute", protocol, hops);
            List<String> options = new ArrayList<>(Traceroute.USERS_WAIT); // as people run it
            switch (protocol) {
                case "icmp" -> options.add("-I");
                case "tcp" -> options.add("-T");
                default -> { } // UDP, traceroute's default
            }
            for (int i = 0; i < count; i++) {
                traceroute(t, options, dest);
            }
            t.print("fresh", "root");
        }
        refill();
        Tally t = new Tally("mtr", "icmp", hops);
        for (int i = 0; i < count; i++) {
            mtr(t, dest);
        }
        t.print("fresh", "root");
    }

    /**
     * The {@code short} part: a destination {@code hops} away that keeps Linux's default limits,
     * {@code count} back-to-back fresh UDP traces as nobody (uid 65534, no capabilities), the
     * unprivileged user's case.
     */
    static void shortPath(InetAddress dest, int hops, int count) throws Exception {
        System.out.printf(Locale.ROOT,
                "%d back-to-back fresh unprivileged UDP traces to a destination %d hops away, Linux's "
                + "default ICMP limits; pathprobe: %s%n", count, hops, how());
        try (Unprivileged nobody = Unprivileged.copyOfClassPath()) {
            refill();
            Tally t = new Tally("pathprobe", "udp", hops);
            for (int i = 0; i < count; i++) {
                pathprobe(t, cli(List.of("-P", "udp"), dest), nobody);
            }
            t.print("short", "nobody");
            // the same traces one second apart: each may find a token of the destination's (Linux refills one a
            // second; back to back, a process start refills less than one, and no trace can hear the destination
            // before its next token)
            refill();
            Tally spaced = new Tally("pathprobe", "udp", hops);
            for (int i = 0; i < count; i++) {
                pathprobe(spaced, cli(List.of("-P", "udp"), dest), nobody);
                Thread.sleep(SPACED_PAUSE_MS);
            }
            spaced.print("short-spaced", "nobody");
        }
    }

    /** The pause between two traces of the short part's spaced series. */
    static final long SPACED_PAUSE_MS = 1000;

    private static List<String> cli(List<String> options, InetAddress dest) {
        List<String> args = new ArrayList<>(List.of("trace", "--no-enrich", "--json"));
        args.addAll(options);
        args.add(dest.getHostAddress());
        return args;
    }

    /**
     * The command a user runs: the launcher the build leaves beside the shaded jar
     * ({@code cli/target/pathprobe}, with its class-data sharing archive), where there is one; else the
     * CLI's main class on this class path (a slower start: more time for the buckets to refill between
     * two traces).
     */
    static String how() {
        return LAUNCHER != null ? LAUNCHER.toString() + " (the launcher, class-data sharing)"
                : "the CLI's main class on the class path";
    }

    private static final @Nullable Path LAUNCHER = launcher();

    private static @Nullable Path launcher() {
        Path l = Path.of("cli", "target", "pathprobe").toAbsolutePath();
        return Files.isExecutable(l) && Files.isRegularFile(l.resolveSibling("pathprobe.jar")) ? l : null;
    }

    private static void pathprobe(Tally t, List<String> args, @Nullable Unprivileged nobody) throws Exception {
        long t0 = System.nanoTime();
        Output o = run(command(args, nobody));
        t.processMs.add((System.nanoTime() - t0) / 1e6);
        t.runs++;
        TraceJson trace;
        try {
            trace = TraceJson.parse(o.out());
        } catch (RuntimeException e) {
            t.failed++;
            t.wrong("exit " + o.exit() + ", no trace document: " + o.out() + o.err());
            return;
        }
        t.traceMs.add(trace.durationMs());
        t.reached += trace.destinationReached() ? 1 : 0;
        t.lossClaims += trace.lossClaimed();
        for (TraceJson.Hop h : trace.hops()) {
            t.unanswered += Math.max(0, h.sent() - h.received());
            if (h.ttl() < t.hops) {
                t.rtts += h.rtts();
                t.routersShown += h.address().isPresent() ? 1 : 0;
            }
        }
        if (trace.lossClaimed() > 0 || !trace.routersWithoutAddress(t.hops).isEmpty()) {
            // the hops that claimed loss or showed no address, not the whole trace
            StringBuilder b = new StringBuilder("trace " + t.runs + ", " + trace.status() + String.format(Locale.ROOT,
                    " %.0f ms:", trace.durationMs()));
            trace.hops().stream().filter(h -> h.lossClaimed() > 0 || h.address().isEmpty())
                    .forEach(h -> b.append("\n    ").append(h));
            t.wrong(b.toString());
        }
    }

    /** The command line as a user runs it, a fresh process ({@link #how}); as nobody where {@code nobody} is given. */
    static ProcessBuilder command(List<String> args, @Nullable Unprivileged nobody) throws ClassNotFoundException {
        String main = "io.pathprobe.cli.PathProbeCli";
        ProcessBuilder pb;
        if (LAUNCHER != null) {
            List<String> cmd = new ArrayList<>();
            if (nobody != null) { // as Unprivileged runs java: uid/gid 65534, no groups, no capabilities
                cmd.addAll(List.of("setpriv", "--reuid=" + Unprivileged.NOBODY, "--regid=" + Unprivileged.NOBODY,
                        "--clear-groups", "--inh-caps=-all"));
            }
            cmd.add(LAUNCHER.toString());
            cmd.addAll(args);
            pb = new ProcessBuilder(cmd);
            pb.environment().put("JAVA_HOME", System.getProperty("java.home")); // the JVM that made the archive
        } else {
            pb = nobody != null ? nobody.java(main, args)
                    : new ProcessBuilder(io.pathprobe.lab.Lab.javaCommand(Class.forName(main),
                            args.toArray(String[]::new)));
        }
        return pb;
    }

    private static void traceroute(Tally t, List<String> options, InetAddress dest) {
        long t0 = System.nanoTime();
        Traceroute.Result r;
        try {
            r = Traceroute.trace(options, dest);
        } catch (RuntimeException e) {
            t.runs++;
            t.failed++;
            t.wrong("traceroute failed: " + e.getMessage());
            return;
        }
        t.processMs.add((System.nanoTime() - t0) / 1e6);
        t.runs++;
        t.reached += r.reached(dest) ? 1 : 0;
        for (Traceroute.Hop h : r.hops()) {
            long answered = h.probes().stream().filter(Traceroute.Probe::answered).count();
            t.unanswered += h.probes().size() - answered;
            if (h.ttl() < t.hops) {
                t.rtts += answered;
                t.routersShown += h.address().isPresent() ? 1 : 0;
            }
        }
    }

    private static void mtr(Tally t, InetAddress dest) throws Exception {
        long t0 = System.nanoTime();
        // one round; a grace of 1 s for the last answers (mtr's default 5 s; the lab answers in under a millisecond)
        Output o = run(new ProcessBuilder("mtr", "-n", "--report", "--json", "-c", "1", "-G", "1",
                dest.getHostAddress()));
        t.processMs.add((System.nanoTime() - t0) / 1e6);
        t.runs++;
        if (o.exit() != 0) {
            t.failed++;
            t.wrong("mtr exit " + o.exit() + ": " + o.out() + o.err());
            return;
        }
        boolean reached = false;
        long claims = 0;
        Matcher hub = HUB.matcher(o.out());
        while (hub.find()) {
            int ttl = Integer.parseInt(hub.group(1));
            String host = null;
            double loss = 0;
            long sent = 0;
            Matcher f = FIELD.matcher(hub.group());
            while (f.find()) {
                String v = f.group(2).replace("\"", "");
                switch (f.group(1)) {
                    case "host" -> host = v;
                    case "Loss%" -> loss = Double.parseDouble(v);
                    case "Snt" -> sent = Long.parseLong(v);
                    default -> { }
                }
            }
            long lost = Math.round(loss * sent / 100);
            claims += lost;
            t.unanswered += lost;
            boolean shown = host != null && !host.equals("???");
            if (ttl < t.hops) {
                t.rtts += sent - lost;
                t.routersShown += shown ? 1 : 0;
            }
            reached |= shown && dest.getHostAddress().equals(host);
        }
        t.lossClaims += claims;
        t.reached += reached ? 1 : 0;
        if (claims > 0) {
            t.wrong("mtr run " + t.runs + ": " + o.out().replaceAll("\\s+", " "));
        }
    }

    record Output(int exit, String out, String err) {}

    static Output run(ProcessBuilder pb) throws Exception {
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return new Output(-1, out, "killed after 2 min");
        }
        return new Output(p.exitValue(), out, err.get(10, TimeUnit.SECONDS));
    }

    private static void refill() throws InterruptedException {
        Thread.sleep(RateLimitComparison.REFILL_SECONDS * 1000L);
    }

    private static double median(List<Double> v) {
        return v.isEmpty() ? Double.NaN : v.stream().sorted().toList().get((v.size() - 1) / 2);
    }

    private static double max(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
