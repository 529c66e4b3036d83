package io.pathprobe.lab.runner;

import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabException;
import io.pathprobe.lab.MiniJson;
import io.pathprobe.lab.namespace.Exec;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * iperf3 (3.x) in the lab, the bufferbloat test's references: a server in the destination's
 * namespace ({@link Lab#iperf3Server(int)}: {@code iperf3 -s -1 -B <addr> -p <port>}), a client in
 * the host's ({@link #client}: {@code iperf3 -c <addr> -p <port> -t <s> -P <flows> [-R|--bidir] -J},
 * throughput and per-stream results parsed from its JSON), and {@link #pingUnderLoad}: iputils ping
 * to the same address while the client loads the link, the reference a bufferbloat test's loaded
 * latency is compared with.
 */
public final class Iperf3 {
    private Iperf3() {}

    /** Which way the client loads. */
    public enum Direction {
        /** The client sends (iperf3's default): upload. */
        UPLOAD,
        /** The server sends ({@code -R}): download. */
        DOWNLOAD,
        /** Both at once ({@code --bidir}). */
        BOTH
    }

    /** One stream's received rate. */
    public record Stream(int socket, Direction direction, double bitsPerSecond, long bytes) {}

    /**
     * What a client run measured: the receivers' goodput per direction (0 for a direction that did not
     * run), the sender's retransmissions, each stream, and the JSON.
     */
    public record Result(double downloadBitsPerSecond, double uploadBitsPerSecond,
            long retransmits, List<Stream> streams,
            String json) {
        public Result {
            streams = List.copyOf(streams);
        }

        /** Download plus upload. */
        public double bitsPerSecond() {
            return downloadBitsPerSecond + uploadBitsPerSecond;
        }
    }

    /** An iperf3 server for one test, in a lab namespace. */
    public static final class Server implements AutoCloseable {
        private final Process process;
        private final CompletableFuture<String> output;
        private final InetAddress address;
        private final int port;

        private Server(Process process, CompletableFuture<String> output, InetAddress address, int port) {
            this.process = process;
            this.output = output;
            this.address = address;
            this.port = port;
        }

        public static Server start(Lab lab, int ttl, InetAddress address, int port) {
            List<String> cmd = List.of("iperf3", "-s", "-1", "-B", address.getHostAddress(), "-p",
                    Integer.toString(port),
                    "--forceflush");
            Process p;
            try {
                p = lab.command(ttl, cmd).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new LabException("cannot start `" + String.join(" ", cmd)
                        + "` (is iperf3 installed? build/deps): "
                        + e.getMessage(), e);
            }
            // wait for "Server listening on <port>", keep draining after
            CompletableFuture<Void> listening = new CompletableFuture<>();
            CompletableFuture<String> all = CompletableFuture.supplyAsync(() -> {
                StringBuilder sb = new StringBuilder();
                try (InputStream in = p.getInputStream()) {
                    byte[] buf = new byte[4096];
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        sb.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                        if (sb.indexOf("Server listening") >= 0) {
                            listening.complete(null);
                        }
                    }
                } catch (IOException e) {
                    sb.append(e);
                }
                listening.complete(null);
                return sb.toString();
            }, Exec.THREADS);
            Server server = new Server(p, all, address, port);
            try {
                listening.get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                server.close();
                throw new LabException("interrupted while starting iperf3", e);
            } catch (ExecutionException | TimeoutException e) {
                server.close();
                throw new LabException("iperf3 -s did not start within 10 s: " + server.output.getNow(""), e);
            }
            if (!p.isAlive()) {
                throw new LabException("iperf3 -s ended at once: " + all.join().strip());
            }
            return server;
        }

        public InetAddress address() {
            return address;
        }

        public int port() {
            return port;
        }

        /** Ends it if still running (it ends by itself after one test). */
        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroy();
                try {
                    if (!process.waitFor(3, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                        process.waitFor(3, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public String toString() {
            return "iperf3 server on " + address.getHostAddress() + ":" + port;
        }
    }

    /**
     * Runs {@code iperf3 -c <addr> -p <port> -t <seconds> -P <flows> [-R|--bidir] -J} in the host's
     * namespace (a server must be listening: {@link Lab#iperf3Server(int)}) and parses its JSON.
     *
     * @throws LabException if it fails or prints no result
     */
    public static Result client(Lab lab, InetAddress server, int port, Duration duration,
            int flows, Direction direction) {
        return parse(Exec.run(lab.command(clientCommand(server, port, duration, flows, direction)), null,
                duration.plusSeconds(30)), clientCommand(server, port, duration, flows, direction));
    }

    static List<String> clientCommand(InetAddress server, int port, Duration duration, int flows, Direction direction) {
        if (flows < 1 || flows > 128) {
            throw new IllegalArgumentException("flows must be 1..128, was " + flows);
        }
        long seconds = Math.max(1, (duration.toMillis() + 999) / 1000);
        List<String> cmd = new ArrayList<>(List.of("iperf3", "-c", server.getHostAddress(), "-p",
                Integer.toString(port),
                "-t", Long.toString(seconds), "-P", Integer.toString(flows), "-J"));
        switch (direction) {
            case DOWNLOAD -> cmd.add("-R");
            case BOTH -> cmd.add("--bidir");
            case UPLOAD -> { }
        }
        return cmd;
    }

    private static Result parse(Exec.Result r, List<String> cmd) {
        try {
            return parseJson(r.stdout());
        } catch (RuntimeException e) {
            throw new LabException(Exec.failure("running iperf3", String.join(" ", cmd), r, null) + "; output: "
                    + r.stdout().strip(), e);
        }
    }

    /**
     * Parses {@code iperf3 -J}'s output: {@code end.sum_received} (and {@code sum_received_bidir_reverse}
     * with {@code --bidir}), {@code end.sum_sent.retransmits}, {@code end.streams[].receiver}.
     *
     * @throws IllegalArgumentException if it is not an iperf3 result (or reports an error)
     */
    @SuppressWarnings("unchecked")
    public static Result parseJson(String json) {
        Map<String, Object> top = MiniJson.object(MiniJson.parse(json.strip()));
        if (top.get("error") != null) {
            throw new IllegalArgumentException("iperf3: " + top.get("error"));
        }
        Map<String, Object> start = MiniJson.object(top.get("start"));
        Map<String, Object> testStart = MiniJson.object(start.get("test_start"));
        boolean reverse = num(testStart.get("reverse")) != 0;
        Map<String, Object> end = MiniJson.object(top.get("end"));
        // iperf3 3.12 says --bidir only by the reverse sums (test_start has no "bidir")
        boolean bidir = end.get("sum_received_bidir_reverse") != null;
        double forward = num(MiniJson.object(end.get("sum_received")).get("bits_per_second"));
        double back = bidir ? num(MiniJson.object(end.get("sum_received_bidir_reverse")).get("bits_per_second")) : 0;
        long retransmits = 0;
        for (String key : List.of("sum_sent", "sum_sent_bidir_reverse")) {
            Object sum = end.get(key);
            if (sum instanceof Map<?, ?> m && m.get("retransmits") != null) {
                retransmits += (long) num(m.get("retransmits"));
            }
        }
        List<Stream> streams = new ArrayList<>();
        for (Object o : MiniJson.array(end.get("streams"))) {
            Map<String, Object> receiver = MiniJson.object(MiniJson.object(o).get("receiver"));
            Map<String, Object> sender = MiniJson.object(MiniJson.object(o).get("sender"));
            // with --bidir, a stream whose client side is the sender is the upload
            Direction d = bidir ? (Boolean.TRUE.equals(sender.get("sender")) ? Direction.UPLOAD : Direction.DOWNLOAD)
                    : reverse ? Direction.DOWNLOAD : Direction.UPLOAD;
            streams.add(new Stream((int) num(receiver.get("socket")), d, num(receiver.get("bits_per_second")),
                    (long) num(receiver.get("bytes"))));
        }
        double download;
        double upload;
        if (bidir) {
            upload = forward;
            download = back;
        } else if (reverse) {
            download = forward;
            upload = 0;
        } else {
            upload = forward;
            download = 0;
        }
        return new Result(download, upload, retransmits, streams, json);
    }

    private static double num(@Nullable Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o instanceof Boolean b) {
            return b ? 1 : 0;
        }
        throw new IllegalArgumentException("not a number: " + o);
    }

    /**
     * The reference of a bufferbloat test: iputils ping's latency to the server's address, idle and
     * while iperf3 loads the link with {@code flows} TCP flows.
     *
     * @param idle ping before the load ({@code -i <interval>}, one second of it)
     * @param loaded ping during the load, from {@code warmUp} after iperf3 starts to its end
     * @param iperf3 iperf3's result for the whole run
     * @param flows the flows iperf3 ran
     */
    public record Reference(Ping.Result idle, Ping.Result loaded, Result iperf3, int flows, Direction direction) {
        /** The loaded RTTs, ascending. */
        public List<Duration> loadedRtts() {
            return rtts(loaded);
        }

        /** The mean loaded RTT (what ping prints as avg, over the replies). */
        public Duration loadedMean() {
            return Duration.ofNanos((long) loadedRtts().stream().mapToLong(Duration::toNanos)
                    .average().orElse(Double.NaN));
        }

        /** The 5 % single-sided trimmed mean of the loaded RTTs (draft-09's: the top 5 % dropped). */
        public Duration loadedTrimmedMean() {
            return trimmedMean(loadedRtts(), 0.05);
        }

        /** The 90th percentile of the loaded RTTs (nearest rank). */
        public Duration loadedP90() {
            List<Duration> r = loadedRtts();
            return r.get(Math.max(0, (int) Math.ceil(0.9 * r.size()) - 1));
        }

        /** The median idle RTT. */
        public Duration idleMedian() {
            List<Duration> r = rtts(idle);
            return r.get(Math.max(0, (int) Math.ceil(0.5 * r.size()) - 1));
        }

        /** Trimmed loaded mean minus idle median: what grades the reference. */
        public Duration increase() {
            return loadedTrimmedMean().minus(idleMedian());
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT,
                    "ping+iperf3 %s %d flows: idle %.2f ms, loaded mean %.1f ms, trimmed %.1f ms, p90 %.1f "
                            + "ms (%d replies of %d),"
                            + " %.2f Mbit/s down, %.2f Mbit/s up", direction, flows, idleMedian().toNanos() / 1e6,
                    loadedMean().toNanos() / 1e6, loadedTrimmedMean().toNanos() / 1e6, loadedP90().toNanos() / 1e6,
                    loaded.received(), loaded.transmitted(), iperf3.downloadBitsPerSecond() / 1e6,
                    iperf3.uploadBitsPerSecond() / 1e6);
        }
    }

    /** A {@code fraction} single-sided trimmed mean (the largest dropped) of ascending values. */
    public static Duration trimmedMean(List<Duration> ascending, double fraction) {
        if (ascending.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        int keep = Math.max(1, (int) Math.ceil(ascending.size() * (1 - fraction)));
        return Duration.ofNanos((long) ascending.subList(0, keep).stream().mapToLong(Duration::toNanos).average()
                .orElseThrow());
    }

    private static List<Duration> rtts(Ping.Result r) {
        List<Duration> all = r.replies().stream().filter(x -> !x.duplicate() && x.rtt().isPresent())
                .map(x -> x.rtt().get()).sorted().toList();
        if (all.isEmpty()) {
            throw new IllegalStateException("ping got no replies");
        }
        return all;
    }

    /**
     * Measures the reference: 1 s of idle ping ({@code ping -i <interval>}) to the destination, then
     * iperf3 with {@code flows} flows for {@code warmUp + loaded} in {@code direction}, and ping during
     * its last {@code loaded} (ping starts {@code warmUp} after iperf3, so the queue has filled and the
     * flows' windows have grown). An iperf3 server is started for the run on {@code port}.
     *
     * @param interval ping's interval: 200 ms as DSLReports-like tests, 100 ms for more samples
     */
    public static Reference pingUnderLoad(Lab lab, int port, int flows, Direction direction, Duration warmUp,
            Duration loaded, Duration interval) {
        InetAddress dest = lab.destination();
        String i = String.format(java.util.Locale.ROOT, "%.3f", interval.toNanos() / 1e9);
        int idleCount = (int) Math.max(5, Duration.ofSeconds(1).toNanos() / interval.toNanos());
        Ping.Result idle = Ping.ping(lab, List.of("-i", i, "-c", Integer.toString(idleCount)), dest);
        try (Server server = lab.iperf3Server(port)) {
            Duration total = warmUp.plus(loaded).plusMillis(500);
            CompletableFuture<Result> load = CompletableFuture.supplyAsync(
                    () -> client(lab, dest, port, total, flows, direction), Exec.THREADS);
            sleep(warmUp);
            int count = (int) Math.max(1, loaded.toNanos() / interval.toNanos());
            // -w: ping never outlives the load by much, even when replies are late
            long deadline = Math.max(1, (loaded.toMillis() + 999) / 1000 + 1);
            Ping.Result loadedPing = Ping.ping(lab, List.of("-i", i, "-c", Integer.toString(count), "-w",
                    Long.toString(deadline)), dest);
            Result iperf;
            try {
                iperf = load.get(total.toSeconds() + 60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LabException("interrupted while waiting for iperf3", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new LabException("iperf3 failed: " + e.getMessage(), e);
            }
            return new Reference(idle, loadedPing, iperf, flows, direction);
        }
    }

    /** One step of a load schedule: {@code flows} more flows from {@code at} after the start. */
    public record Step(Duration at, int flows) {
        public Step {
            if (at.isNegative() || flows < 1) {
                throw new IllegalArgumentException("a step needs at >= 0 and flows >= 1: " + at + ", " + flows);
            }
        }
    }

    /** A ramping test's progress report: its elapsed time and the load flows open then. */
    public record Progress(long elapsedNanos, int flows) {}

    /**
     * A ramping test's flows as iperf3 steps, relative to the load phase's start (one interval
     * before the first report): flows reported more at report k were opened at report k-1. For
     * {@link Direction#BOTH} (the test's flows counted both ways, iperf3's {@code --bidir -P n} runs
     * n each way) each step is half the flows, at least 1.
     *
     * @param progress one phase's reports, in order
     */
    public static List<Step> steps(List<Progress> progress, Duration interval, Direction direction) {
        List<Step> steps = new ArrayList<>();
        if (progress.isEmpty()) {
            return steps;
        }
        long start = progress.get(0).elapsedNanos() - interval.toNanos();
        int before = 0;
        long previousAt = start;
        for (Progress p : progress) {
            if (p.flows() > before) {
                int more = p.flows() - before;
                steps.add(new Step(Duration.ofNanos(Math.max(0, previousAt - start)),
                        direction == Direction.BOTH ? Math.max(1, more / 2) : more));
                before = p.flows();
            }
            previousAt = p.elapsedNanos();
        }
        return steps;
    }

    /** A ramping test's load phase length: from one interval before its first report to its last. */
    public static Duration length(List<Progress> progress, Duration interval) {
        return progress.isEmpty() ? Duration.ZERO : Duration.ofNanos(progress.get(progress.size() - 1).elapsedNanos()
                - progress.get(0).elapsedNanos() + interval.toNanos());
    }

    /**
     * The reference for a load that ramps: iperf3 loads the link as {@code steps} say (each step its
     * own client and server, on ports {@code basePort}, {@code basePort + 1}, …, each running to
     * {@code total}), and ping measures from {@code pingFrom} to {@code total}; 1 s of idle ping
     * first. The same flows started at the same times as a ramping test's, so its loaded latency
     * can be compared with a reference that queued the same way (with a delay-based congestion control
     * such as BBR, flows that start while others hold a queue keep that queue; flows that start
     * together do not).
     *
     * @return the reference; its iperf3 result has every client's streams, and as rates the bytes
     *     each direction received over {@code total}
     */
    public static Reference pingUnderSchedule(Lab lab, int basePort, List<Step> steps,
            Direction direction, Duration total,
            Duration pingFrom, Duration interval) {
        if (steps.isEmpty() || pingFrom.compareTo(total) >= 0) {
            throw new IllegalArgumentException("steps must not be empty and pingFrom before total");
        }
        InetAddress dest = lab.destination();
        String i = String.format(java.util.Locale.ROOT, "%.3f", interval.toNanos() / 1e9);
        int idleCount = (int) Math.max(5, Duration.ofSeconds(1).toNanos() / interval.toNanos());
        Ping.Result idle = Ping.ping(lab, List.of("-i", i, "-c", Integer.toString(idleCount)), dest);
        List<Server> servers = new ArrayList<>();
        try {
            for (int k = 0; k < steps.size(); k++) {
                servers.add(lab.iperf3Server(basePort + k));
            }
            long t0 = System.nanoTime();
            List<CompletableFuture<Result>> clients = new ArrayList<>();
            int flows = 0;
            for (int k = 0; k < steps.size(); k++) {
                Step step = steps.get(k);
                flows += step.flows();
                sleep(Duration.ofNanos(Math.max(0, t0 + step.at().toNanos() - System.nanoTime())));
                Duration left = total.minus(step.at()).plusMillis(500);
                int port = basePort + k;
                clients.add(CompletableFuture.supplyAsync(() -> client(lab, dest, port,
                        left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left,
                        step.flows(), direction),
                        Exec.THREADS));
            }
            sleep(Duration.ofNanos(Math.max(0, t0 + pingFrom.toNanos() - System.nanoTime())));
            Duration loaded = total.minus(pingFrom);
            int count = (int) Math.max(1, loaded.toNanos() / interval.toNanos());
            long deadline = Math.max(1, (loaded.toMillis() + 999) / 1000 + 1);
            Ping.Result loadedPing = Ping.ping(lab, List.of("-i", i, "-c", Integer.toString(count), "-w",
                    Long.toString(deadline)), dest);
            List<Stream> streams = new ArrayList<>();
            double down = 0;
            double up = 0;
            long retransmits = 0;
            StringBuilder json = new StringBuilder("[");
            for (int k = 0; k < clients.size(); k++) {
                Result r;
                try {
                    r = clients.get(k).get(total.toSeconds() + 60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LabException("interrupted while waiting for iperf3", e);
                } catch (ExecutionException | TimeoutException e) {
                    throw new LabException("iperf3 failed: " + e.getMessage(), e);
                }
                double share = total.minus(steps.get(k).at()).toNanos() / (double) total.toNanos();
                down += r.downloadBitsPerSecond() * share;
                up += r.uploadBitsPerSecond() * share;
                retransmits += r.retransmits();
                streams.addAll(r.streams());
                json.append(k == 0 ? "" : ",").append(r.json());
            }
            return new Reference(idle, loadedPing,
                    new Result(down, up, retransmits, streams, json.append(']').toString()),
                    flows, direction);
        } finally {
            servers.forEach(Server::close);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", e);
        }
    }
}
