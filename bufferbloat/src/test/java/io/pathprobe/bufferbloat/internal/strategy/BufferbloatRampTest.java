package io.pathprobe.bufferbloat.internal.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.bufferbloat.BufferbloatResult;
import io.pathprobe.bufferbloat.BufferbloatStatus;
import io.pathprobe.bufferbloat.DirectionResult;
import io.pathprobe.bufferbloat.LatencySample;
import io.pathprobe.bufferbloat.LoadDirection;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ramp and the load that is measured after it, on the pure {@link BufferbloatStrategy} driven by
 * hand on made-up ticks: a bottleneck shared by the open connections, pings every 100 ms whose RTT is
 * the idle one plus a queue that fills while load flows and drains in {@link #DRAIN_MS} once none does.
 * Every instant is exact: when the ramp ends, when its flows close, when the queue has drained, when
 * the same number opens together, and what the result says of its load.
 */
class BufferbloatRampTest {
    private static final long MS = 1_000_000L;
    private static final double IDLE_MS = 0.1;
    private static final double QUEUE_MS = 400;
    private static final long DRAIN_MS = 300;

    /** A driven test: connections open at once, deliver at the bottleneck's rate, pings answer as the queue is. */
    private static final class Drive {
        final BufferbloatStrategy s;
        long now;
        final Map<Integer, double[]> conns = new LinkedHashMap<>(); // id -> {bytes, open 1/0, generation}
        final List<String> log = new ArrayList<>();
        final Map<Integer, Long> openedAt = new LinkedHashMap<>();
        final Map<Integer, Long> closedAt = new LinkedHashMap<>();
        /** The bottleneck in bit/s. */
        final double capacity = 40e6;
        /** The first tick: the test's start, from which the result's samples count. */
        final long start = 1_000 * MS;
        double perConnection = 10e6;
        /** When set, what each connection opened after the ramp's close can carry at most (a load that falls short). */
        double measuredPerConnection = Double.NaN;
        /** The congestion control each connection's sender names, if any. */
        String congestionControl;
        long lastFlowing = -1;
        long nextPing;
        BufferbloatResult result;

        Drive(BufferbloatRequest r) {
            now = start;
            s = new BufferbloatStrategy(r, Instant.EPOCH, now);
            apply(s.start(now));
            apply(s.onConfigured(URI.create(r.url() + "/.well-known/nq"), InetAddress.getLoopbackAddress(), true, now));
            nextPing = now;
        }

        long open() {
            return conns.values().stream().filter(c -> c[1] == 1).count();
        }

        void apply(List<LoadCommand> cs) {
            for (LoadCommand c : cs) {
                if (c instanceof LoadCommand.OpenConnection o) {
                    log.add("open " + o.id());
                    openedAt.put(o.id(), now);
                    double cap = !closedAt.isEmpty() && !Double.isNaN(measuredPerConnection) ? measuredPerConnection
                            : perConnection;
                    conns.put(o.id(), new double[] {0, 1, cap});
                    apply(s.onOpened(o.id(), true, now));
                    if (congestionControl != null) {
                        apply(s.onCongestionControl(o.id(), congestionControl));
                    }
                } else if (c instanceof LoadCommand.CloseConnection o) {
                    log.add("close " + o.id());
                    closedAt.put(o.id(), now);
                    conns.get(o.id())[1] = 0;
                } else if (c instanceof LoadCommand.CloseAll) {
                    log.add("closeAll");
                    conns.values().forEach(x -> x[1] = 0);
                } else if (c instanceof LoadCommand.Probe p) {
                    double ms = pingMs();
                    apply(s.onProbeConnected(p.id(), (long) (ms * MS), (long) (ms * MS), "TLSv1.3", now));
                    apply(s.onProbeAnswered(p.id(), false, (long) (ms * MS), now));
                    if (p.selfOn() >= 0) {
                        apply(s.onProbeAnswered(p.id(), true, (long) (ms * MS), now));
                    }
                } else if (c instanceof LoadCommand.Finish f) {
                    result = f.result();
                }
            }
        }

        /** The queue: full while load flows, draining linearly over DRAIN_MS once none does. */
        double pingMs() {
            if (open() > 0) {
                return IDLE_MS + QUEUE_MS;
            }
            if (lastFlowing < 0) {
                return IDLE_MS;
            }
            double left = Math.max(0, 1 - (now - lastFlowing) / (double) (DRAIN_MS * MS));
            return IDLE_MS + QUEUE_MS * left;
        }

        void advanceTo(long t) {
            long dt = t - now;
            long n = open();
            if (n > 0 && dt > 0) {
                conns.values().stream().filter(c -> c[1] == 1)
                        .forEach(c -> c[0] += Math.min(c[2], capacity / n) / 8 * dt / 1e9);
                lastFlowing = t;
            }
            now = t;
        }

        BufferbloatResult run(Duration limit) {
            long end = now + limit.toNanos();
            while (result == null && now - end < 0) {
                long wake = s.nextWakeup(now);
                long t = Math.min(wake == Long.MAX_VALUE ? end : now + Math.max(wake, 1), nextPing);
                advanceTo(t);
                if (now - nextPing >= 0) {
                    apply(s.onPing(LatencySample.Kind.PING, now, pingMs(), now));
                    nextPing = now + 100 * MS;
                }
                for (int id : s.counting()) {
                    s.onDelivered(id, (long) conns.get(id)[0], now);
                }
                apply(s.onTick(now));
            }
            return result;
        }
    }

    private static BufferbloatRequest.Builder request() {
        return BufferbloatRequest.builder("https://127.0.0.1:4043").probesPerSecond(20).pingFirstHop(false)
                .direction(LoadDirection.DOWNLOAD).interval(Duration.ofSeconds(1)).maxConnections(16);
    }

    @Test
    void theRampsFlowsCloseAndAsManyOpenTogetherOnceThePingsSayTheQueueDrained() {
        Drive d = new Drive(request().deadline(Duration.ofSeconds(20)).build());
        d.congestionControl = "bbr";
        BufferbloatResult r = d.run(Duration.ofSeconds(30));

        assertThat(r.status()).as(r.notes().toString()).isEqualTo(BufferbloatStatus.COMPLETED);
        // the share: 20 s less 2 s idle, less 1 s teardown = 17 s; the ramp may take a quarter of it (4.25 s), so
        // it ends at the end of its 5th interval: 1, 2, 4 connections (doubling while the goodput grew), then one
        // more per interval; all of them close at that instant
        long loadStart = d.openedAt.get(0);
        List<Integer> ramp = d.closedAt.keySet().stream().toList();
        assertThat(ramp).isNotEmpty();
        long rampEnd = d.closedAt.get(ramp.get(0));
        assertThat(rampEnd - loadStart).isEqualTo(5000 * MS);
        assertThat(d.closedAt.values()).allMatch(t -> t == rampEnd);
        // the queue drains in 300 ms: the first ping sent after the close that comes back within 2 x idle + 5 ms
        // starts the measured load (pings every 100 ms), not the 1 s cap
        List<Integer> measured = d.openedAt.entrySet().stream().filter(e -> e.getValue() > rampEnd).map(Map.Entry::getKey)
                .toList();
        long reopen = d.openedAt.get(measured.get(0));
        assertThat(reopen - rampEnd).isEqualTo(300 * MS);
        // as many as the ramp ended with, opened together, and none added after them
        assertThat(measured).hasSize(ramp.size());
        assertThat(measured).allMatch(id -> d.openedAt.get(id) == reopen);
        DirectionResult down = r.download().orElseThrow();
        io.pathprobe.bufferbloat.BufferbloatLoad load = down.load();
        assertThat(down.flows()).isEqualTo(ramp.size());
        assertThat(load.startedTogether()).isTrue();
        assertThat(down.throughputBitsPerSecond()).isCloseTo(40e6, within(0.5e6));
        assertThat(load.duration()).isGreaterThanOrEqualTo(Duration.ofSeconds(5)); // MAD + 1 intervals at least
        assertThat(r.notes()).anyMatch(n -> n.startsWith("download: measured with the ramp's " + ramp.size()
                + " flows opened together once its queue drained"));
        // the loaded latency is the measured load's pings (all alike in this model), none of the drain's
        List<LatencySample> pings = r.samples().stream().filter(x -> x.kind() == LatencySample.Kind.PING).toList();
        List<Duration> draining = pings.stream().filter(x -> at(d, rampEnd) < x.at().toNanos()
                && x.at().toNanos() < at(d, reopen)).map(LatencySample::rtt).toList();
        Duration firstUnderLoad = pings.stream().filter(x -> x.at().toNanos() > at(d, reopen)).findFirst()
                .orElseThrow().rtt();
        assertThat(draining).isNotEmpty().doesNotContain(firstUnderLoad);
        assertThat(down.loadedLatency()).isEqualTo(firstUnderLoad);
        assertThat(r.grade()).isPresent();
        assertThat(r.notes()).noneMatch(n -> n.contains("had not drained"));
        // the result names the load: its senders' congestion control, opened together, and that it held the link
        // (the capacity estimate is the higher of the ramp's goodput and the measured 40 Mbit/s)
        assertThat(down.load().congestionControl()).contains("bbr");
        assertThat(down.load().startedTogether()).isTrue();
        assertThat(down.load().capacityBitsPerSecond()).isCloseTo(40e6, within(0.5e6));
        assertThat(down.load().saturated()).isTrue();
        assertThat(down.loadedLatencyP99()).isEqualTo(firstUnderLoad);
        assertThat(down.rpmP90()).isPresent();
        assertThat(down.rpmP99()).isPresent();
        assertThat(r.notes()).noneMatch(n -> n.contains("did not hold the link"));
    }

    @Test
    void aMeasuredLoadThatDoesNotHoldTheLinkTheRampFoundIsNotGraded() {
        // the flows opened together carry 2 Mbit/s each: the ramp's 9, 18 of the 40 Mbit/s its own flows carried
        Drive d = new Drive(request().deadline(Duration.ofSeconds(20)).build());
        d.measuredPerConnection = 2e6;
        BufferbloatResult r = d.run(Duration.ofSeconds(30));

        assertThat(r.status()).as(r.notes().toString()).isEqualTo(BufferbloatStatus.COMPLETED);
        DirectionResult down = r.download().orElseThrow();
        assertThat(down.load().startedTogether()).isTrue();
        // the estimate is the ramp's delivery curve over its last MAD intervals, earlier ones with fewer flows
        // included: it errs low (never above the 40 Mbit/s the link carries), so a load is never called short of a
        // capacity nobody saw
        assertThat(down.load().capacityBitsPerSecond()).isBetween(30e6, 40.5e6);
        assertThat(down.throughputBitsPerSecond()).isCloseTo(down.flows() * 2e6, within(0.5e6));
        assertThat(down.load().saturation()).isCloseTo(down.throughputBitsPerSecond()
                / down.load().capacityBitsPerSecond(), within(1e-9));
        assertThat(down.load().saturated()).isFalse();
        assertThat(down.load().congestionControl()).isEmpty(); // no sender said
        assertThat(r.grade()).isEmpty();
        assertThat(r.notes()).anyMatch(n -> n.startsWith("download: the measured load carried ")
                && n.contains("it did not hold the link"));
        assertThat(r.toString()).contains("not graded (a load did not hold the link)");
    }

    /** A tick as the result's samples give it: from the test's start. */
    private static long at(Drive d, long tick) {
        return tick - d.start;
    }

    @Test
    void withoutPingsTheDrainLastsItsCapAndSaysSo() {
        Drive d = new Drive(request().deadline(Duration.ofSeconds(20)).build());
        d.nextPing = Long.MAX_VALUE; // no ping ever answers
        BufferbloatResult r = d.run(Duration.ofSeconds(30));
        long rampEnd = d.closedAt.values().iterator().next();
        long reopen = d.openedAt.values().stream().filter(t -> t > rampEnd).findFirst().orElseThrow();
        assertThat(reopen - rampEnd).isEqualTo(1000 * MS); // the interval, within 500 ms .. 2 s
        assertThat(r.notes()).anyMatch(n -> n.equals("download: the queue had not drained 1000 ms after the ramp's flows "
                + "closed (no ping back at idle)"));
    }

    @Test
    void withNoRoomForASecondLoadTheRampsOwnIsMeasured() {
        // 8 s, sequential: shares of 2.5 s; the ramp may take 2 intervals, and no drain plus MAD + 1 intervals fits
        Drive d = new Drive(request().direction(LoadDirection.SEQUENTIAL).deadline(Duration.ofSeconds(8))
                .interval(Duration.ofMillis(500)).build());
        BufferbloatResult r = d.run(Duration.ofSeconds(20));
        assertThat(d.closedAt).isEmpty();
        assertThat(r).isNotNull();
        assertThat(java.util.stream.Stream.of(r.download(), r.upload()).map(x -> x.orElseThrow().load().startedTogether()))
                .containsExactly(false, false);
    }

    @Test
    void thePreciseTestMeasuresDraft09sFiveSecondIntervalsAndEndsOnceStable() {
        // precise(): 5 s intervals, 120 s at most; the measured load ends once goodput and responsiveness are
        // stable over MAD intervals, so it runs at least MAD x 5 s and the download alone ends long before 120 s
        BufferbloatRequest request = request().precise().direction(LoadDirection.DOWNLOAD).build();
        assertThat(request.interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(request.deadline()).isEqualTo(BufferbloatRequest.PRECISE_DEADLINE);
        Drive d = new Drive(request);
        BufferbloatResult r = d.run(Duration.ofSeconds(200));

        assertThat(r.status()).as(r.notes().toString()).isEqualTo(BufferbloatStatus.COMPLETED);
        io.pathprobe.bufferbloat.BufferbloatLoad load = r.download().orElseThrow().load();
        assertThat(load.startedTogether()).isTrue();
        assertThat(load.duration()).isGreaterThanOrEqualTo(Duration.ofSeconds(5 * Draft09.MAD));
        assertThat(r.duration()).isLessThan(Duration.ofSeconds(90));
        // the ramp's steps are whole 5 s intervals apart
        List<Long> opens = d.openedAt.values().stream().filter(t -> d.closedAt.isEmpty()
                || t < d.closedAt.values().iterator().next()).distinct().toList();
        for (int i = 1; i < opens.size(); i++) {
            assertThat((opens.get(i) - opens.get(0)) % (5000 * MS)).isZero();
        }
        assertThat(r.download().orElseThrow().throughputConfidence()).isEqualTo(io.pathprobe.bufferbloat.MeasurementConfidence.HIGH);
    }

    @Test
    void theQuickTestStillReopensItsFlowsTogether() {
        // quick(): 10 s, 500 ms intervals, download: share 8 s, ramp at most 2 s (and 8 - 0.5 - 2.5 = 5 s)
        Drive d = new Drive(request().quick().direction(LoadDirection.DOWNLOAD).build());
        BufferbloatResult r = d.run(Duration.ofSeconds(20));
        DirectionResult down = r.download().orElseThrow();
        assertThat(down.load().startedTogether()).isTrue();
        assertThat(down.flows()).isGreaterThan(1);
        assertThat(down.load().duration()).isGreaterThanOrEqualTo(Duration.ofMillis(2500));
    }
}
