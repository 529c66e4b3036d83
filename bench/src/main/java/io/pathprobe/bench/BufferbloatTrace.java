package io.pathprobe.bench;

import io.pathprobe.PathTracer;
import io.pathprobe.bufferbloat.BufferbloatGrade;
import io.pathprobe.bufferbloat.BufferbloatListener;
import io.pathprobe.bufferbloat.BufferbloatPhase;
import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.bufferbloat.BufferbloatResult;
import io.pathprobe.bufferbloat.DirectionResult;
import io.pathprobe.bufferbloat.LatencySample;
import io.pathprobe.bufferbloat.LoadDirection;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabBuilder;
import io.pathprobe.lab.runner.Iperf3;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A per-run trace of a bufferbloat load, for pathprobe and for iperf3 on the same lab, to see where
 * their queues differ: RTT over time (the pings), bytes and TCP state per connection over time
 * (the sender's kernel, sampled with {@code ss -tinO} every {@value #SAMPLE_MS} ms in the sender's
 * namespace: bytes acknowledged, srtt, cwnd, the congestion control and, for BBR, its pacing gain,
 * app-limited, receive-window and send-buffer limited time, retransmissions), and when each
 * connection started.
 *
 * <p>Three runs per repetition, in one lab ({@code bottleneckBothWays(1, rate, queue)}, the given
 * congestion control in every namespace): pathprobe's test (its own pings as the RTT), then
 * {@code iperf3 [-R] -P N} with N = pathprobe's final flows, all at once, then iperf3 with the
 * flows started as pathprobe's ramp started them ({@link Iperf3#steps}); iputils {@code ping -D -i
 * 0.1} beside each iperf3 run. Each run's loaded latency is the 5 % trimmed mean of its pings over
 * the same last 4 s of the load.
 *
 * <p>Run as root in a private network namespace: {@code build/netns/bin/java -cp ...
 * io.pathprobe.bench.BufferbloatTrace [cc, default bbr] [queue ms, 500] [Mbit/s, 20] [download|upload]
 * [time limit s, 20] [repetitions, 1] [interval ms or -, the request's default] [step|nostep] [server nice, the
 * lab's] [server mode: tls, plain, tls_http1_only, plain_http1_only; tls]}. Prints a summary per
 * run (per second and per flow) and {@code RESULT} lines; the raw samples go to
 * {@code bench/results/logs/trace-<stamp>/} when that directory can be made.
 */
public final class BufferbloatTrace {
    static final int SAMPLE_MS = 200;
    private static final Pattern SS_ADDR = Pattern.compile("^\\s*\\d+\\s+\\d+\\s+(\\S+)\\s+(\\S+)\\s+(.*)$");
    private static final Pattern PING_D = Pattern.compile("^\\[(\\d+\\.\\d+)\\].*icmp_seq=(\\d+).*time=([\\d.]+) ms");

    private BufferbloatTrace() {}

    /** One socket as ss saw it at one time. */
    record Sock(long atMs, String local, String peer, String cc, double srttMs, long cwnd, long bytesAcked,
            long bytesReceived, double pacingGain, boolean appLimited, double rwndLimitedPct, double sndbufLimitedPct,
            long retrans, long notsent, double minRttMs, String raw) {
        String key() {
            return local + ">" + peer;
        }
    }

    /** Samples ss in one namespace (the sender's) every SAMPLE_MS until stopped. */
    static final class Sampler implements AutoCloseable {
        final List<Sock> samples = new CopyOnWriteArrayList<>();
        private final Thread thread;
        private volatile boolean stop;

        Sampler(Lab lab, int ttl, int port) {
            thread = new Thread(() -> {
                while (!stop) {
                    long at = System.currentTimeMillis();
                    try {
                        Process p = lab.command(ttl, List.of("ss", "-tinHO", "state", "established"))
                                .redirectErrorStream(true)
                                .start();
                        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                                StandardCharsets.UTF_8))) {
                            String line;
                            while ((line = r.readLine()) != null) {
                                Sock s = parse(at, line);
                                if (s != null && (s.local().endsWith(":" + port) || s.peer().endsWith(":" + port)
                                        || portIn(s, port))) {
                                    samples.add(s);
                                }
                            }
                        }
                        p.waitFor(2, TimeUnit.SECONDS);
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                    long sleep = at + SAMPLE_MS - System.currentTimeMillis();
                    if (sleep > 0) {
                        try {
                            Thread.sleep(sleep);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }, "trace-ss");
            thread.setDaemon(true);
            thread.start();
        }

        /** iperf3's step clients use ports port..port+15. */
        private static boolean portIn(Sock s, int port) {
            for (String a : List.of(s.local(), s.peer())) {
                int p = Integer.parseInt(a.substring(a.lastIndexOf(':') + 1));
                if (p >= port && p < port + 16) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.join(3000);
        }
    }

    static @Nullable Sock parse(long at, String line) {
        Matcher m = SS_ADDR.matcher(line);
        if (!m.matches()) {
            return null;
        }
        String rest = m.group(3).strip();
        String cc = rest.split("\\s+")[0];
        return new Sock(at, m.group(1), m.group(2), cc, num(rest, "rtt:([\\d.]+)/"), (long) num(rest, "cwnd:(\\d+)"),
                (long) num(rest, "bytes_acked:(\\d+)"), (long) num(rest, "bytes_received:(\\d+)"),
                num(rest, "pacing_gain:([\\d.]+)"), rest.contains("app_limited"),
                num(rest, "rwnd_limited:\\d+ms\\(([\\d.]+)%"),
                num(rest, "sndbuf_limited:\\d+ms\\(([\\d.]+)%"), (long) num(rest, "retrans:\\d+/(\\d+)"),
                (long) num(rest, "notsent:(\\d+)"), num(rest, "minrtt:([\\d.]+)"), rest);
    }

    private static double num(String s, String regex) {
        Matcher m = Pattern.compile(regex).matcher(s);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** RTT over time: epoch ms of the send, RTT ms. */
    record Rtt(long atMs, double ms) {}

    /** A run's trace. */
    record Run(String name, long startMs, long endMs, List<Rtt> pings, List<Sock> socks, long measureFromMs,
            List<Long> connectionStartsMs, String note) {}

    public static void main(String[] args) throws Exception {
        LabRuns.requireLabNamespace();
        String cc = args.length > 0 ? args[0] : "bbr";
        Duration queue = Duration.ofMillis(args.length > 1 ? Long.parseLong(args[1]) : 500);
        long rate = (args.length > 2 ? Long.parseLong(args[2]) : 20) * 1_000_000L;
        boolean upload = args.length > 3 && args[3].equalsIgnoreCase("upload");
        Duration limit = Duration.ofSeconds(LabRuns.intArg(args, 4, 20));
        int reps = LabRuns.intArg(args, 5, 1);
        Duration interval = args.length > 6 && !args[6].equals("-") ? Duration.ofMillis(Long.parseLong(args[6])) : null;
        boolean runStepped = !(args.length > 7 && args[7].equals("nostep"));
        int serverNice = args.length > 8 ? Integer.parseInt(args[8])
                : io.pathprobe.lab.server.LabResponsivenessServer.DEFAULT_NICE;
        io.pathprobe.lab.server.LabResponsivenessServer.Mode mode = args.length > 9
                ? io.pathprobe.lab.server.LabResponsivenessServer.Mode.valueOf(args[9].toUpperCase(Locale.ROOT))
                : io.pathprobe.lab.server.LabResponsivenessServer.Mode.TLS;
        Path out = Path.of("bench/results/logs/trace-" + System.currentTimeMillis());
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            out = null;
        }
        LabBuilder shape = Lab.chain(2).icmpUnlimited("the bottleneck's queue is measured, not the routers' limits")
                .bottleneckBothWays(1, rate, queue).inCurrentNamespace();
        if (!cc.equals("machine")) {
            shape.congestionControl(cc);
        }
        System.out.printf(Locale.ROOT, "trace: cc=%s queue=%d ms rate=%d Mbit/s %s limit=%s reps=%d load %s%n", cc,
                queue.toMillis(), rate / 1_000_000, upload ? "upload" : "download", limit, reps, LabRuns.load());
        try (Lab lab = shape.build();
                PathTracer tracer = PathTracer.builder().offline().packetsPerSecond(0).build()) {
            URI url = lab.responsivenessServer(4443, mode, serverNice).configUrl();
            int senderTtl = upload ? 0 : lab.hops();
            for (int rep = 1; rep <= reps; rep++) {
                // --- pathprobe
                List<Iperf3.Progress> progress = new CopyOnWriteArrayList<>();
                BufferbloatPhase phase = upload ? BufferbloatPhase.UPLOAD : BufferbloatPhase.DOWNLOAD;
                BufferbloatRequest.Builder rb = BufferbloatRequest.builder(url)
                        .insecure(url.getScheme().equals("https"))
                        .direction(upload ? LoadDirection.UPLOAD : LoadDirection.DOWNLOAD).deadline(limit)
                        .listener(new BufferbloatListener() {
                            @Override
                            public void progress(BufferbloatPhase p, long elapsedNanos, double bits,
                                    int flows, double ms) {
                                if (p == phase) {
                                    progress.add(new Iperf3.Progress(elapsedNanos, flows));
                                }
                            }
                        });
                if (interval != null) {
                    rb.interval(interval);
                }
                BufferbloatRequest request = rb.build();
                String loadBefore = LabRuns.load();
                BufferbloatResult r;
                Run ours;
                try (Sampler s = new Sampler(lab, senderTtl, 4443)) {
                    long t0 = System.currentTimeMillis();
                    r = tracer.testBufferbloat(request);
                    long t1 = System.currentTimeMillis();
                    long start = r.startedAt().toEpochMilli();
                    List<Rtt> pings = new ArrayList<>();
                    long phaseStart = Long.MAX_VALUE;
                    for (LatencySample x : r.samples()) {
                        if (x.kind() == LatencySample.Kind.PING
                                && (x.phase() == phase || x.phase() == BufferbloatPhase.IDLE)) {
                            pings.add(new Rtt(start + x.at().toMillis(), x.rtt().toNanos() / 1e6));
                        }
                        if (x.phase() == phase) {
                            phaseStart = Math.min(phaseStart, start + x.at().toMillis());
                        }
                    }
                    s.close();
                    long end = pings.isEmpty() ? t1 : pings.get(pings.size() - 1).atMs();
                    ours = new Run("pathprobe", Math.min(t0, start), end, pings, s.samples, end - 4000, List.of(),
                            r.status() + " " + r.notes());
                }
                DirectionResult d = (upload ? r.upload() : r.download()).orElseThrow();
                Iperf3.Direction idir = upload ? Iperf3.Direction.UPLOAD : Iperf3.Direction.DOWNLOAD;
                // the ramp: the progress reports until the flows dropped to 0 (closed to be reopened together)
                List<Iperf3.Progress> ramp = new ArrayList<>();
                for (Iperf3.Progress p : progress) {
                    if (p.flows() == 0 && !ramp.isEmpty()) {
                        break;
                    }
                    ramp.add(p);
                }
                List<Iperf3.Step> steps = Iperf3.steps(ramp, request.interval(), idir);
                Duration phaseLength = Iperf3.length(progress, request.interval());
                Duration length = d.load().startedTogether() ? d.load().duration() : phaseLength;
                int n = d.flows();
                System.out.printf(Locale.ROOT,
                        "%n### rep %d: pathprobe %s: loaded %.1f ms (P90 %.1f), idle %.2f ms, grade %s, "
                        + "%.2f Mbit/s, %d flows, load [%s] for %.1f s, phase %.1f s, ramp steps %s; "
                        + "load average %s -> %s%n",
                        rep, r.status(), ms(d.loadedLatency()), ms(d.loadedLatencyP90()), ms(r.idleLatency()),
                        r.grade().map(BufferbloatGrade::text).orElse("-"), d.megabitsPerSecond(), n, d.load(),
                        length.toMillis() / 1e3, phaseLength.toMillis() / 1e3, steps, loadBefore, LabRuns.load());
                report(ours, upload, out, rep);
                Thread.sleep(2000);
                // --- iperf3 -P N together
                Run together = iperf3(lab, List.of(new Iperf3.Step(Duration.ZERO, Math.max(1, n))),
                        length, upload, senderTtl,
                        5201, "iperf3 -P " + n + " together");
                report(together, upload, out, rep);
                Thread.sleep(2000);
                // --- iperf3 as pathprobe's ramp
                Run stepped = !runStepped ? null
                        : iperf3(lab, steps, phaseLength, upload, senderTtl, 5301, "iperf3 as the ramp " + steps);
                if (stepped != null) {
                    report(stepped, upload, out, rep);
                }
                System.out.printf(Locale.ROOT, "RESULT cc=%s queue_ms=%d mbit=%d dir=%s rep=%d flows=%d ours_ms=%.1f "
                        + "ours_trace_ms=%.1f together_ms=%.1f stepped_ms=%.1f ours_mbps=%.2f together_mbps=%.2f "
                        + "stepped_mbps=%.2f load=\"%s\"%n", cc, queue.toMillis(), rate / 1_000_000,
                        upload ? "upload" : "download",
                        rep, n, ms(d.loadedLatency()), loaded(ours), loaded(together),
                        stepped == null ? Double.NaN : loaded(stepped),
                        d.megabitsPerSecond(), goodput(together, upload),
                        stepped == null ? Double.NaN : goodput(stepped, upload),
                        LabRuns.load());
                Thread.sleep(2000);
            }
        }
    }

    /** iperf3 as {@code steps} say (one client per step, each to the end), with ping -D and the sampler. */
    static Run iperf3(Lab lab, List<Iperf3.Step> steps, Duration total, boolean upload, int senderTtl, int basePort,
            String name) throws Exception {
        InetAddress dest = lab.destination();
        List<Iperf3.Server> servers = new ArrayList<>();
        List<Process> clients = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        List<Rtt> pings = new ArrayList<>();
        Process ping = null;
        try (Sampler s = new Sampler(lab, senderTtl, basePort)) {
            for (int k = 0; k < steps.size(); k++) {
                servers.add(lab.iperf3Server(basePort + k));
            }
            long t0 = System.currentTimeMillis();
            ping = lab.command(List.of("ping", "-n", "-D", "-i", "0.1", "-w", Long.toString(total.toSeconds() + 3),
                    dest.getHostAddress())).redirectErrorStream(true).start();
            Process pingProcess = ping;
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(pingProcess.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        Matcher m = PING_D.matcher(line);
                        if (m.find()) {
                            double rtt = Double.parseDouble(m.group(3));
                            long recv = (long) (Double.parseDouble(m.group(1)) * 1000);
                            pings.add(new Rtt(recv - (long) rtt, rtt));
                        }
                    }
                } catch (IOException e) {
                    // ended
                }
            }, "trace-ping");
            reader.setDaemon(true);
            reader.start();
            Thread.sleep(1000); // a second of idle pings
            long loadStart = System.currentTimeMillis();
            for (int k = 0; k < steps.size(); k++) {
                Iperf3.Step step = steps.get(k);
                long wait = loadStart + step.at().toMillis() - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                long left = Math.max(1, (total.toMillis() - step.at().toMillis() + 999) / 1000);
                List<String> cmd = new ArrayList<>(List.of("iperf3", "-c", dest.getHostAddress(), "-p",
                        Integer.toString(basePort + k), "-t", Long.toString(left), "-P",
                        Integer.toString(step.flows()), "-J"));
                if (!upload) {
                    cmd.add("-R");
                }
                starts.add(System.currentTimeMillis());
                clients.add(lab.command(cmd).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
            }
            for (Process c : clients) {
                c.waitFor(total.toSeconds() + 30, TimeUnit.SECONDS);
            }
            long end = loadStart + total.toMillis();
            ping.destroy();
            reader.join(2000);
            s.close();
            return new Run(name, t0, end, new ArrayList<>(pings), s.samples, end - 4000, starts, "");
        } finally {
            if (ping != null) {
                ping.destroyForcibly();
            }
            clients.forEach(Process::destroyForcibly);
            servers.forEach(Iperf3.Server::close);
        }
    }

    /** The 5 % trimmed mean of the run's pings sent in its last 4 s. */
    static double loaded(Run run) {
        List<Double> v = new ArrayList<>();
        for (Rtt p : run.pings()) {
            if (p.atMs() >= run.measureFromMs() && p.atMs() <= run.endMs()) {
                v.add(p.ms());
            }
        }
        Collections.sort(v);
        int keep = Math.max(1, v.size() - (int) Math.floor(v.size() * 0.05));
        return v.isEmpty() ? Double.NaN
                : v.subList(0, keep).stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    /** Bulk flows: sockets that carried at least 256 KB. */
    static Map<String, List<Sock>> flows(Run run, boolean upload) {
        Map<String, List<Sock>> all = new LinkedHashMap<>();
        for (Sock s : run.socks()) {
            all.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(s);
        }
        Map<String, List<Sock>> bulk = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (v.get(v.size() - 1).bytesAcked() >= 256 << 10) {
                bulk.put(k, v);
            }
        });
        return bulk;
    }

    /** The senders' bytes acknowledged over the last 4 s, in Mbit/s. */
    static double goodput(Run run, boolean upload) {
        long from = run.measureFromMs();
        long to = run.endMs();
        double bits = 0;
        for (List<Sock> f : flows(run, upload).values()) {
            Sock a = null;
            Sock b = null;
            for (Sock s : f) {
                if (s.atMs() <= from || a == null) {
                    a = s.atMs() <= from ? s : a;
                }
                if (s.atMs() <= to) {
                    b = s;
                }
            }
            long base = a == null ? 0 : a.bytesAcked();
            if (b != null) {
                bits += (b.bytesAcked() - base) * 8.0;
            }
        }
        return bits / ((to - from) / 1e3) / 1e6;
    }

    static void report(Run run, boolean upload, @Nullable Path out, int rep) throws IOException {
        Map<String, List<Sock>> flows = flows(run, upload);
        long base = run.startMs();
        PrintStream o = System.out;
        o.printf(Locale.ROOT, "%n#### %s (rep %d)%s%n", run.name(), rep, run.note().isEmpty() ? "" : ": " + run.note());
        o.printf(Locale.ROOT,
                "loaded latency over the last 4 s: %.1f ms; senders' goodput there %.2f Mbit/s; %d bulk flows%n",
                loaded(run), goodput(run, upload), flows.size());
        o.println("| t s | ping median ms | flows | goodput Mbit/s | sender srtt median ms | in BBR startup | "
                + "app-limited | retrans |");
        o.println("|---|---|---|---|---|---|---|---|");
        long end = run.endMs();
        Map<String, Sock> prev = new java.util.HashMap<>();
        for (long t = base; t < end; t += 1000) {
            long t1 = t + 1000;
            List<Double> pr = new ArrayList<>();
            for (Rtt p : run.pings()) {
                if (p.atMs() >= t && p.atMs() < t1) {
                    pr.add(p.ms());
                }
            }
            int active = 0;
            int startup = 0;
            int appLimited = 0;
            long acked = 0;
            long retrans = 0;
            List<Double> srtt = new ArrayList<>();
            for (Map.Entry<String, List<Sock>> f : flows.entrySet()) {
                Sock last = null;
                for (Sock s : f.getValue()) {
                    if (s.atMs() < t1) {
                        last = s;
                    }
                }
                if (last == null || last.atMs() < t) {
                    continue;
                }
                active++;
                Sock before = prev.get(f.getKey());
                acked += last.bytesAcked() - (before == null ? 0 : before.bytesAcked());
                retrans += last.retrans() - (before == null ? 0 : before.retrans());
                srtt.add(last.srttMs());
                if (last.pacingGain() > 2) {
                    startup++;
                }
                if (last.appLimited()) {
                    appLimited++;
                }
                prev.put(f.getKey(), last);
            }
            o.printf(Locale.ROOT, "| %.0f | %s | %d | %.2f | %s | %d | %d | %d |%n",
                    (t - base) / 1e3, median(pr), active,
                    acked * 8 / 1e6, median(srtt), startup, appLimited, retrans);
        }
        o.println();
        o.println("| flow | cc | first seen s | MB | Mbit/s last 4 s | srtt last ms | min rtt ms | cwnd last "
                + "| BBR startup episodes "
                + "| app-limited samples | rwnd-limited % | sndbuf-limited % | retrans | cwnd collapses |");
        o.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        int i = 0;
        for (Map.Entry<String, List<Sock>> f : flows.entrySet()) {
            List<Sock> v = f.getValue();
            Sock first = v.get(0);
            Sock last = v.get(v.size() - 1);
            Sock atFrom = first;
            int startups = 0;
            boolean inStartup = false;
            int collapses = 0;
            long maxCwnd = 0;
            int app = 0;
            for (Sock s : v) {
                if (s.atMs() <= run.measureFromMs()) {
                    atFrom = s;
                }
                boolean st = s.pacingGain() > 2;
                if (st && !inStartup) {
                    startups++;
                }
                inStartup = st;
                if (maxCwnd > 40 && s.cwnd() <= 10) {
                    collapses++;
                    maxCwnd = 0;
                }
                maxCwnd = Math.max(maxCwnd, s.cwnd());
                if (s.appLimited()) {
                    app++;
                }
            }
            double secs = (last.atMs() - atFrom.atMs()) / 1e3;
            o.printf(Locale.ROOT,
                    "| %d | %s | %.1f | %.1f | %.2f | %.1f | %.2f | %d | %d | %d/%d | %.1f | %.1f | %d | %d |%n",
                    ++i, last.cc(), (first.atMs() - base) / 1e3, last.bytesAcked() / 1e6,
                    secs > 0 ? (last.bytesAcked() - atFrom.bytesAcked()) * 8 / secs / 1e6 : 0,
                    last.srttMs(), last.minRttMs(),
                    last.cwnd(),
                    startups, app, v.size(), last.rwndLimitedPct(), last.sndbufLimitedPct(), last.retrans(), collapses);
        }
        if (!run.connectionStartsMs().isEmpty()) {
            o.println("iperf3 clients started at (s): " + run.connectionStartsMs().stream()
                    .map(x -> String.format(Locale.ROOT, "%.1f", (x - base) / 1e3)).toList());
        }
        if (out != null) {
            String file = run.name().replaceAll("[^a-zA-Z0-9]+", "-") + "-rep" + rep;
            List<String> lines = new ArrayList<>();
            lines.add("# pings: send epoch ms, rtt ms");
            run.pings().forEach(p -> lines.add("P " + p.atMs() + " " + p.ms()));
            lines.add("# ss: epoch ms, local, peer, raw");
            run.socks().forEach(s -> lines.add("S " + s.atMs() + " " + s.local() + " " + s.peer() + " " + s.raw()));
            Files.write(out.resolve(file + ".txt"), lines);
        }
    }

    private static String median(List<Double> v) {
        if (v.isEmpty()) {
            return "-";
        }
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return String.format(Locale.ROOT, "%.1f", s.get(s.size() / 2));
    }

    private static double ms(Duration d) {
        return d.toNanos() / 1e6;
    }
}
