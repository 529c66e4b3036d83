package io.pathprobe.bufferbloat.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.PathTracer;
import io.pathprobe.bufferbloat.BufferbloatGrade;
import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.bufferbloat.BufferbloatResult;
import io.pathprobe.bufferbloat.BufferbloatStatus;
import io.pathprobe.bufferbloat.DirectionResult;
import io.pathprobe.bufferbloat.LatencySample;
import io.pathprobe.bufferbloat.LoadDirection;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabBuilder;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.runner.Iperf3;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * {@code testBufferbloat} through a real bottleneck: a 2-hop lab whose router shapes both directions
 * with tc tbf at 20 Mbit/s, the responsiveness server in the destination namespace, and in the same
 * run the reference: iputils ping to the same address while iperf3 loads the same link with the
 * same flows started at the same times as ours ({@link Iperf3#pingUnderSchedule}).
 *
 * <p>What the tests assert is what must hold on any machine: the test completes, both tools see
 * the deep queue as bufferbloat (a grade of C or worse: 60 ms or more of increase, where the
 * loss-based flows keep 300-600 ms queued) and the shallow one as none (A+ or A: under 30 ms, where
 * 5 ms can queue), the load's goodput is real and no more than the link carries, RPM falls with the
 * queue's depth, and the test leaves no thread or socket behind. How close our loaded latency, grade
 * boundary, goodput and RPM come to the references' is the benchmark's
 * ({@code build/bench bufferbloat}): on this 2-vCPU machine ours read -17 % to +23 % of the
 * reference's latency over 15 runs, a figure, not a property.
 *
 * <p>Deep queue: 600 ms of queue ({@code 1.5 MB}). Shallow queue: 5 ms. Why 600 and not 500: on
 * 500 ms the loaded latency straddles the 400 ms D/F grade boundary (under BBR a quiet run read
 * 397.5 ms, a D against the reference's F, 1 run in about 20; under Reno the bench read 386-399 ms,
 * D, against the reference's 416-437 ms, F); on 600 ms it read 470-590 ms under BBR and 418-565 ms
 * under Reno, all F. The lab's TCP is Reno ({@link LabBuilder#congestionControl}), a
 * loss-based control: its flows fill the tail-drop queue until it overflows, halve together and fill
 * it again (see {@link #deepQueueMatchesPingBesideIperf3()} for what that means here). Under the machine's
 * BBR the queue a ramp leaves, and the goodput, varied from run to run (414-597 ms and
 * 14.5-18.7 Mbit/s over five runs of the deep test, for iperf3's flows as for ours; one run failed
 * the latency bar and one, in CI, the goodput bar), because BBR flows that join a standing queue
 * take it for their base RTT, overflow it and then lose heavily. The reference runs exactly
 * {@code download.flows()} flows, started as ours. The tests build their labs
 * themselves, one after the other (the JVM's namespace is the host of one lab at a time), and the
 * RPM comparison uses what the deep and shallow tests measured.
 */
@LabTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BufferbloatLabTest {
    static final long RATE = 20_000_000;
    static final Duration DEEP = Duration.ofMillis(600);
    static final Duration SHALLOW = Duration.ofMillis(5);
    static final int PORT = 4443;
    static final int IPERF_PORT = 5201;

    private static BufferbloatResult deep;
    private static BufferbloatResult shallow;

    static Lab bottleneckLab(Duration queue) {
        return Lab.chain(2).bottleneckBothWays(1, RATE, queue).congestionControl("reno")
                .inCurrentNamespace().build();
    }

    static BufferbloatRequest.Builder request(URI url, LoadDirection direction) {
        return BufferbloatRequest.builder(url).insecure(true).direction(direction).quick();
    }

    static double ms(Duration d) {
        return d.toNanos() / 1e6;
    }

    static String describe(BufferbloatResult r) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s idle %.2f ms, increase %.1f ms, grade %s, RPM %s (%s), "
                + "confidence %s, %s, %d samples", r.status(), ms(r.idleLatency()), ms(r.latencyIncrease()), r.grade().map(BufferbloatGrade::text).orElse("-"),
                r.rpm().map(x -> String.format(Locale.ROOT, "%.0f", x)).orElse("-"), r.rpmCategory().map(Enum::name).orElse("-"),
                r.confidence(), r.duration(), r.samples().size()));
        for (DirectionResult d : Stream.of(r.download(), r.upload()).flatMap(java.util.Optional::stream).toList()) {
            sb.append(String.format(Locale.ROOT, "; %s loaded %.1f ms (p90 %.1f), %.2f Mbit/s, %d flows, RPM %s", d.phase(),
                    ms(d.loadedLatency()), ms(d.loadedLatencyP90()), d.megabitsPerSecond(), d.flows(),
                    d.rpm().map(x -> String.format(Locale.ROOT, "%.0f", x)).orElse("-")));
        }
        if (!r.notes().isEmpty()) {
            sb.append("; notes ").append(r.notes());
        }
        return sb.toString();
    }

    /** The bottleneck's two tbf queues now: backlog and drops toward the destination (downlink) and the host (uplink). */
    static String queues(Lab lab) {
        try {
            Process p = lab.command(1, List.of("tc", "-s", "qdisc", "show")).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            StringBuilder sb = new StringBuilder();
            String dev = null;
            for (String line : out.split("\n")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("qdisc tbf \\S+ dev (\\S+)").matcher(line);
                if (m.find()) {
                    dev = m.group(1);
                }
                java.util.regex.Matcher d = java.util.regex.Pattern.compile("dropped (\\d+)").matcher(line);
                if (dev != null && d.find()) {
                    sb.append(dev).append(" dropped ").append(d.group(1));
                }
                java.util.regex.Matcher b = java.util.regex.Pattern.compile("backlog (\\S+)").matcher(line);
                if (dev != null && b.find()) {
                    sb.append(" backlog ").append(b.group(1)).append("; ");
                    dev = null;
                }
            }
            return sb.toString();
        } catch (IOException | InterruptedException e) {
            return e.toString();
        }
    }

    /** Threads other than the lab's own helpers (pathprobe-lab-*: the lab's process I/O) and JUnit's. */
    static Set<String> threads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                // Cleaner-0: the JVM's one java.lang.ref.Cleaner thread, made once by the first library that asks
                // (the soak shows it does not grow with tracers)
                .filter(n -> !n.startsWith("pathprobe-lab-") && !n.startsWith("process reaper") && !n.equals("Cleaner-0")
                        && !n.startsWith("ForkJoinPool.commonPool") && !n.startsWith("junit-"))
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    /** This JVM's open file descriptors that are sockets. */
    static long sockets() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(p -> {
                try {
                    return Files.readSymbolicLink(p).toString().startsWith("socket:");
                } catch (IOException e) {
                    return false; // the directory's own descriptor, closed
                }
            }).count();
        }
    }

    /**
     * This JVM's sockets as /proc/self/net lists them (protocol, local and remote address in hex, state), for a
     * failed "sockets left" check to say which they are.
     */
    static String socketReport() throws IOException {
        Set<String> inodes = new java.util.TreeSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            fds.forEach(p -> {
                try {
                    String t = Files.readSymbolicLink(p).toString();
                    if (t.startsWith("socket:[")) {
                        inodes.add(t.substring(8, t.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            });
        }
        StringBuilder out = new StringBuilder(inodes.size() + " sockets:");
        for (String proto : List.of("tcp", "tcp6", "udp", "udp6", "raw", "raw6", "unix", "netlink")) {
            Path table = Path.of("/proc/self/net", proto);
            if (!Files.exists(table)) {
                continue;
            }
            for (String line : Files.readAllLines(table)) {
                String[] f = line.trim().split("\\s+");
                for (String field : f) {
                    if (inodes.contains(field)) {
                        out.append("\n  ").append(proto).append(' ').append(line.trim());
                        break;
                    }
                }
            }
        }
        return out.toString();
    }

    /** Waits up to 5 s for what was started to end (threads finish asynchronously after close). */
    static void awaitBaseline(Set<String> threadsBefore, long socketsBefore) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline && (!threadsBefore.containsAll(threads()) || sockets() > socketsBefore)) {
            Thread.sleep(50);
        }
    }

    /** The congestion control a lab namespace's TCP uses (reno: {@link #bottleneckLab}). */
    static String congestionControl(Lab lab, int node) {
        try {
            Process p = lab.command(node, List.of("cat", "/proc/sys/net/ipv4/tcp_congestion_control")).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            p.waitFor();
            return out;
        } catch (IOException | InterruptedException e) {
            return e.toString();
        }
    }

    /** Our download phase's progress reports: when it added its flows. */
    static final class Ramp implements io.pathprobe.bufferbloat.BufferbloatListener {
        final List<Iperf3.Progress> progress = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void progress(io.pathprobe.bufferbloat.BufferbloatPhase phase, long elapsedNanos, double bitsPerSecond, int flows,
                double latencyMillis) {
            if (phase == io.pathprobe.bufferbloat.BufferbloatPhase.DOWNLOAD) {
                progress.add(new Iperf3.Progress(elapsedNanos, flows));
            }
        }
    }

    /**
     * Deep queue, download: pathprobe grades it as bufferbloat (C or worse), and so does iputils ping
     * beside iperf3 running the same flows started at the same times as ours (our ramp: 1, 2, 4, 8 …
     * flows, one step per interval), pinged over the same part of the load as ours (its last MAD
     * intervals). Both loaded latencies are printed; their ratio is the benchmark's figure. Then the
     * test's end: within 10x its deadline (a liveness bound), no thread or socket left.
     *
     * <p>Under Reno the queue saws between about half and all of its 600 ms (over 15 runs ours read
     * 418-564 ms, the reference 409-518 ms), so the grade is F or D; asserted is C or worse, far from
     * the 60 ms boundary. Why the same start times: under a delay-based control the load pattern
     * decides the queue (a BBR flow that starts while others hold a queue takes the queued RTT for its
     * minimum), so the reference loads as we did, whatever the control.
     */
    @Test
    @Order(1)
    @Timeout(180)
    void deepQueueMatchesPingBesideIperf3() throws Exception {
        try (Lab lab = bottleneckLab(DEEP)) {
            URI url = lab.responsivenessServer(PORT, true);
            Set<String> threadsBefore = threads();
            long socketsBefore = sockets();
            Ramp ramp = new Ramp();
            // the default 20 s limit, not quick(): on a 1.5 MB tail-drop queue the ramp's slow starts take
            // seconds to settle
            BufferbloatRequest request = BufferbloatRequest.builder(url).insecure(true).direction(LoadDirection.DOWNLOAD)
                    .listener(ramp).build();
            long start = System.nanoTime();
            BufferbloatResult ours;
            try (PathTracer tracer = PathTracer.builder().offline().packetsPerSecond(0).build()) {
                ours = tracer.testBufferbloat(request);
            }
            long took = System.nanoTime() - start;
            awaitBaseline(threadsBefore, socketsBefore);
            deep = ours;
            System.out.println("deep, pathprobe: " + describe(ours) + "; congestion control: server "
                    + congestionControl(lab, 2) + ", router " + congestionControl(lab, 1));

            DirectionResult down = ours.download().orElseThrow();
            List<Iperf3.Step> steps = Iperf3.steps(ramp.progress, request.interval(), Iperf3.Direction.DOWNLOAD);
            Duration length = Iperf3.length(ramp.progress, request.interval());
            Duration window = request.interval().multipliedBy(io.pathprobe.bufferbloat.internal.strategy.Draft09.MAD);
            Duration pingFrom = length.minus(window).isNegative() ? length.dividedBy(2) : length.minus(window);
            Iperf3.Reference ref = Iperf3.pingUnderSchedule(lab, IPERF_PORT, steps, Iperf3.Direction.DOWNLOAD, length,
                    pingFrom, Duration.ofMillis(100));
            System.out.println("deep, reference (iperf3 flows started as ours: " + steps + ", ping from " + pingFrom
                    + " to " + length + "): " + ref);
            double oursMs = ms(down.loadedLatency());
            double refMs = ms(ref.loadedTrimmedMean());
            BufferbloatGrade refGrade = BufferbloatGrade.of(ref.increase());
            System.out.printf(Locale.ROOT, "deep: loaded %.1f ms vs %.1f ms (%+.0f %%), grade %s vs %s, %.2f Mbit/s, "
                    + "took %.1f s of %s%n", oursMs, refMs, 100 * (oursMs - refMs) / refMs, ours.grade().map(BufferbloatGrade::text).orElse("-"),
                    refGrade.text(), down.megabitsPerSecond(), took / 1e9, request.deadline());

            assertThat(ours.status()).isEqualTo(BufferbloatStatus.COMPLETED);
            assertThat(steps.stream().mapToInt(Iperf3.Step::flows).sum()).isEqualTo(down.flows());
            // the result names the load: Reno, as the lab set it in the server's namespace (its socket says so)
            assertThat(down.load().congestionControl()).contains("reno");
            assertThat(down.loadedLatencyP99()).isGreaterThanOrEqualTo(down.loadedLatencyP90());
            // both see the deep queue as bufferbloat: far from the C boundary (60 ms) on a 600 ms queue
            assertThat(ours.grade()).as("grade of %.1f ms", ms(ours.latencyIncrease())).get()
                    .isIn(BufferbloatGrade.C, BufferbloatGrade.D, BufferbloatGrade.F);
            assertThat(refGrade).as("the reference's grade of %.1f ms", ms(ref.increase()))
                    .isIn(BufferbloatGrade.C, BufferbloatGrade.D, BufferbloatGrade.F);
            assertThat(ours.samples()).anyMatch(s -> s.kind() == LatencySample.Kind.PING);
            // the goodput is real and no more than the 20 Mbit/s link carries (a quarter of the link and
            // a fourth more are liveness and sanity bounds; how close to iperf3's is the benchmark's)
            assertThat(down.throughputBitsPerSecond()).isBetween(RATE / 4.0, RATE * 1.25);

            // ends (liveness: within 10x its deadline; COMPLETED above says its own deadline held), releases every
            // thread and socket
            assertThat(took).isLessThan(request.deadline().multipliedBy(10).toNanos());
            assertThat(threads()).as("threads left").isSubsetOf(threadsBefore);
            assertThat(sockets()).as("sockets left: %s", socketReport()).isLessThanOrEqualTo(socketsBefore);
        }
    }

    /** Shallow queue (5 ms): grade A+ or A (under 30 ms of increase, where 5 ms can queue), the load real. */
    @Test
    @Order(2)
    @Timeout(60)
    void shallowQueueGradesAPlusOrA() {
        try (Lab lab = bottleneckLab(SHALLOW)) {
            URI url = lab.responsivenessServer(PORT, true);
            BufferbloatResult ours;
            try (PathTracer tracer = PathTracer.builder().offline().packetsPerSecond(0).build()) {
                ours = tracer.testBufferbloat(request(url, LoadDirection.DOWNLOAD).build());
            }
            shallow = ours;
            System.out.println("shallow, pathprobe: " + describe(ours));
            assertThat(ours.status()).isEqualTo(BufferbloatStatus.COMPLETED);
            if (ours.download().orElseThrow().load().saturated()) {
                assertThat(ours.grade()).get().isIn(BufferbloatGrade.A_PLUS, BufferbloatGrade.A);
            } else {
                // a starved machine's load may not hold the link: then no latency was measured under load, and
                // a grade would be a guess; the result says so instead (seen at load average 7)
                System.out.println("shallow: the load did not hold the link, so no grade");
                assertThat(ours.grade()).isEmpty();
                assertThat(ours.notes()).anyMatch(n -> n.contains("did not hold the link"));
            }
            assertThat(ours.download().orElseThrow().throughputBitsPerSecond()).isBetween(RATE / 4.0, RATE * 1.25);
        }
    }

    /**
     * RPM deep &lt; RPM shallow, by more than a factor of 2: RPM is 60 s over the probes' latency,
     * which is the queue's delay plus what the probe itself costs at both ends, and 600 ms against
     * 5 ms of queue leaves a factor near 10 (the bench read RPM 103 against 1,085). How close it comes to
     * (deep loaded + probe cost) / (shallow loaded + probe cost) is printed and is the benchmark's
     * figure: a self probe also waits behind what the server has queued on its connection, which
     * draft-09 counts on purpose.
     */
    @Test
    @Order(3)
    void rpmFallsWithTheQueueDepth() {
        org.junit.jupiter.api.Assumptions.assumeTrue(deep != null && shallow != null, "deep and shallow ran");
        // a phase whose throughput never became stable has no RPM (draft-09 reports none then; seen once on the deep
        // queue at load 9.6, its note: "throughput did not become stable"): nothing to compare
        org.junit.jupiter.api.Assumptions.assumeTrue(deep.rpm().isPresent() && shallow.rpm().isPresent(),
                () -> "an RPM for both queues (deep: " + deep.notes() + ", shallow: " + shallow.notes() + ")");
        double rpmDeep = deep.rpm().orElseThrow();
        double rpmShallow = shallow.rpm().orElseThrow();
        double deepLoaded = ms(deep.download().orElseThrow().loadedLatency());
        double shallowLoaded = ms(shallow.download().orElseThrow().loadedLatency());
        double probeCost = Math.max(0, 60_000 / rpmShallow - shallowLoaded);
        double expected = (deepLoaded + probeCost) / (shallowLoaded + probeCost);
        double rpmRatio = rpmShallow / rpmDeep;
        System.out.printf(Locale.ROOT, "RPM deep %.0f (%s), shallow %.0f (%s): ratio %.2f; loaded latencies %.1f and %.1f ms "
                + "(ratio %.1f), the probes' own cost %.1f ms, so the expected RPM ratio %.2f (%+.0f %%)%n", rpmDeep,
                deep.rpmCategory().orElseThrow(), rpmShallow, shallow.rpmCategory().orElseThrow(), rpmRatio, deepLoaded,
                shallowLoaded, deepLoaded / shallowLoaded, probeCost, expected, 100 * (rpmRatio - expected) / expected);
        assertThat(rpmDeep).isLessThan(rpmShallow);
        assertThat(rpmRatio).isGreaterThan(2);
    }
}
