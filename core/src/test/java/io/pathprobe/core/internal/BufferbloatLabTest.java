package io.pathprobe.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.BufferbloatGrade;
import io.pathprobe.BufferbloatRequest;
import io.pathprobe.BufferbloatResult;
import io.pathprobe.BufferbloatStatus;
import io.pathprobe.DirectionResult;
import io.pathprobe.LatencySample;
import io.pathprobe.LoadDirection;
import io.pathprobe.PathTracer;
import io.pathprobe.lab.Iperf3;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabTest;
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
 * same number of flows as our test ended with ({@link Iperf3#pingUnderLoad}).
 *
 * <p>Deep queue: 600 ms of queue ({@code 1.5 MB}). Shallow queue: 5 ms. Why 600 and not 500: on
 * 500 ms the loaded latency straddles the 400 ms D/F grade boundary (under BBR a quiet run read
 * 397.5 ms, a D against the reference's F, 1 run in about 20; under Reno the bench read 386-399 ms,
 * D, against the reference's 416-437 ms, F); on 600 ms it read 470-590 ms under BBR and 418-565 ms
 * under Reno, all F. The lab's TCP is Reno ({@link Lab.Builder#congestionControl}), a
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
    /** The deep test's goodput and iperf3's (started together), for {@link #deepQueueThroughputMatchesIperf3()}. */
    private static double[] deepThroughput;

    static Lab bottleneckLab(Duration queue) {
        return Lab.chain(2).icmpUnlimited().bottleneckBothWays(1, RATE, queue).congestionControl("reno")
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
                + "confidence %s, %s, %d samples", r.status(), ms(r.idleLatency()), ms(r.latencyIncrease()), r.grade().text(),
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
    static final class Ramp implements io.pathprobe.BufferbloatListener {
        final List<Iperf3.Progress> progress = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void progress(io.pathprobe.BufferbloatPhase phase, long elapsedNanos, double bitsPerSecond, int flows,
                double latencyMillis) {
            if (phase == io.pathprobe.BufferbloatPhase.DOWNLOAD) {
                progress.add(new Iperf3.Progress(elapsedNanos, flows));
            }
        }
    }

    /**
     * Deep queue, download: our loaded latency (trimmed mean of the pings under load) within 20 % of
     * the trimmed mean of iputils ping's beside iperf3 running the same flows started at the same
     * times as ours (our ramp: 1, 2, 4, 8 … flows, one step per interval), pinged over the same part of
     * the load as ours (its last MAD intervals); the grade of our increase the grade of the
     * reference's (our goodput against iperf3's with as many flows: {@link #deepQueueThroughputMatchesIperf3()}).
     * Then the test's end: within its time limit, no thread or socket left.
     *
     * <p>How close it is: under Reno the queue saws between about half and all of its 600 ms, and
     * over 15 runs ours read 418-564 ms against the reference's 409-518 ms, −17 % to +23 %; two runs
     * were beyond the bar (+23 % both times, ours fuller than iperf3's). The reference is not the
     * noise: three references run back to back after one of those read 443.1, 436.9 and 437.6 ms,
     * so within a run iperf3's flows leave the same queue every time, and in some runs ours leave
     * a fuller one with the same number of flows started at the same times. Why was not found.
     *
     * <p>Why the same start times: under a delay-based congestion control the load pattern decides
     * the queue. A BBR flow that starts while others hold a queue takes the queued RTT for its minimum
     * and keeps that queue; flows started together from an empty queue do not (iperf3 -P 8 started at
     * once left ~100-130 ms on a 500 ms queue, the same 8 flows started as a ramp nearly all of it).
     * Under the lab's Reno both patterns fill it (iperf3 -P N started together: 432-558 ms; started
     * as our ramp: 435-497 ms);
     * the reference still loads as we did, so the comparison holds whatever the control. Both
     * references are printed.
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
            Duration window = request.interval().multipliedBy(io.pathprobe.core.internal.bufferbloat.Draft09.MAD);
            Duration pingFrom = length.minus(window).isNegative() ? length.dividedBy(2) : length.minus(window);
            Iperf3.Reference ref = Iperf3.pingUnderSchedule(lab, IPERF_PORT, steps, Iperf3.Direction.DOWNLOAD, length,
                    pingFrom, Duration.ofMillis(100));
            System.out.println("deep, reference (iperf3 flows started as ours: " + steps + ", ping from " + pingFrom
                    + " to " + length + "): " + ref);
            Iperf3.Reference together = Iperf3.pingUnderLoad(lab, IPERF_PORT + 20, down.flows(), Iperf3.Direction.DOWNLOAD,
                    Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMillis(100));
            System.out.println("deep, iperf3 -P " + down.flows() + " started together (throughput reference): " + together);

            double oursMs = ms(down.loadedLatency());
            double refMs = ms(ref.loadedTrimmedMean());
            BufferbloatGrade refGrade = BufferbloatGrade.of(ref.increase());
            double iperfBits = together.iperf3().downloadBitsPerSecond();
            System.out.printf(Locale.ROOT, "deep: loaded %.1f ms vs %.1f ms (%+.0f %%), grade %s vs %s, %.2f vs %.2f Mbit/s "
                    + "(%+.1f %%), took %.1f s of %s%n", oursMs, refMs, 100 * (oursMs - refMs) / refMs, ours.grade().text(),
                    refGrade.text(), down.megabitsPerSecond(), iperfBits / 1e6,
                    100 * (down.throughputBitsPerSecond() - iperfBits) / iperfBits, took / 1e9, request.timeLimit());

            assertThat(ours.status()).isEqualTo(BufferbloatStatus.COMPLETE);
            assertThat(steps.stream().mapToInt(Iperf3.Step::flows).sum()).isEqualTo(down.flows());
            assertThat(oursMs).as("loaded latency vs ping beside iperf3 flows started as ours").isCloseTo(refMs,
                    org.assertj.core.data.Percentage.withPercentage(20));
            assertThat(ours.grade()).as("grade of %.1f ms vs the reference's %.1f ms", ms(ours.latencyIncrease()),
                    ms(ref.increase())).isEqualTo(refGrade);
            assertThat(ours.grade()).isIn(BufferbloatGrade.B, BufferbloatGrade.C, BufferbloatGrade.D, BufferbloatGrade.F);
            deepThroughput = new double[] {down.throughputBitsPerSecond(), iperfBits};
            assertThat(ours.samples()).anyMatch(s -> s.kind() == LatencySample.Kind.PING);

            // ends within its time limit (and a little for closing), releases every thread and socket
            assertThat(took).isLessThan(request.timeLimit().plusSeconds(1).toNanos());
            assertThat(threads()).as("threads left").isSubsetOf(threadsBefore);
            assertThat(sockets()).as("sockets left").isLessThanOrEqualTo(socketsBefore);
        }
    }

    /**
     * Deep queue: our download goodput within 10 % of iperf3's with as many flows on the same link.
     * On this deep tail-drop queue TCP delivers in bursts as losses are repaired (per-interval goodput
     * of 5-43 Mbit/s measured while the tbf sent a steady 20 Mbit/s), and bytes over the last MAD
     * intervals read 15.3-22.4 Mbit/s; the goodput is the upper envelope of the delivery curve over
     * the run at the final number of connections ({@link io.pathprobe.core.internal.bufferbloat.DeliveryCurve},
     * {@code DeliveryCurveTest.bytesHeldBackAtTheEndsDoNotCount}).
     */
    @Test
    @Order(2)
    void deepQueueThroughputMatchesIperf3() {
        org.junit.jupiter.api.Assumptions.assumeTrue(deepThroughput != null, "the deep test ran");
        assertThat(deepThroughput[0]).isCloseTo(deepThroughput[1], org.assertj.core.data.Percentage.withPercentage(10));
    }

    /** Shallow queue (5 ms): grade A+ or A, the throughput still the link's. */
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
            assertThat(ours.status()).isEqualTo(BufferbloatStatus.COMPLETE);
            assertThat(ours.grade()).isIn(BufferbloatGrade.A_PLUS, BufferbloatGrade.A);
            assertThat(ours.download().orElseThrow().megabitsPerSecond()).isGreaterThan(15);
        }
    }

    /**
     * RPM deep &lt; RPM shallow, by the ratio of their loaded latencies once the probes' own handling
     * is counted. RPM is 60 s over the probes' latency, and a probe's latency is the queue's delay
     * (the loaded latency the pings see) plus what the probe itself costs at both ends (TCP and TLS
     * set-up, the HTTP request: milliseconds, more on a busy machine). That cost, o, is the shallow
     * lab's probe latency minus its loaded latency; the RPMs' ratio must then be about
     * (deep loaded + o) / (shallow loaded + o): within a factor of 2 — and well above 2. Not closer:
     * a self probe (a GET on a loaded connection) also waits behind what the server has queued on
     * that connection (up to 64 KiB written plus the socket's 16 KiB low-water mark), which at a
     * seventh of 20 Mbit/s is a few hundred ms more on the deep lab and nothing on the shallow one
     * (measured: 750 ms of probe latency against 487 + 22 ms expected). draft-09 counts that
     * on purpose: it is the responsiveness an application on that connection gets.
     */
    @Test
    @Order(3)
    void rpmFallsWithTheQueueDepth() {
        org.junit.jupiter.api.Assumptions.assumeTrue(deep != null && shallow != null, "deep and shallow ran");
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
        assertThat(rpmRatio).isBetween(expected / 2, expected * 2);
    }
}
