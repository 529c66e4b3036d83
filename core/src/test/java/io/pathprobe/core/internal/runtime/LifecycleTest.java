package io.pathprobe.core.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.MeasurementType;
import io.pathprobe.PathProbeException;
import io.pathprobe.UnknownTargetException;
import io.pathprobe.core.internal.runtime.ProbingStrategy.Stop;
import io.pathprobe.enrich.HostResolver;
import io.pathprobe.probe.IpVersion;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The one measurement lifecycle on fake time: no threads, no real sleeping. The engine loop is a
 * {@link FakeScheduler}; the user's executor and the set-up pool are queues the test drains, so it
 * can tell which code ran where.
 */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LifecycleTest {
    private static final long MS = 1_000_000L;

    /** An executor whose tasks wait until the test runs them ("the user's thread"). */
    static final class Queue implements Executor {
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        boolean refuse;

        @Override
        public void execute(Runnable r) {
            if (refuse) {
                throw new java.util.concurrent.RejectedExecutionException("closed");
            }
            tasks.add(r);
        }

        void drain() {
            Runnable r;
            while ((r = tasks.poll()) != null) {
                r.run();
            }
        }
    }

    /** A strategy that sends nothing and is done {@code lifetime} after it starts (never if negative). */
    static final class Timed implements ProbingStrategy<String> {
        @Override
        public Subject<String> subject() {
            return new Subject<>(io.pathprobe.MeasurementType.TRACE, "", "");
        }

        final long endAt;
        boolean done;

        Timed(long now, long lifetime) {
            this.endAt = lifetime < 0 ? Long.MAX_VALUE : now + lifetime;
        }

        @Override
        public @Nullable ProbeSpec next(long now) {
            return null;
        }

        @Override
        public void onSent(ProbeSpec probe, long sentNanos, long now) {}

        @Override
        public void onSendFailed(ProbeSpec probe, String reason, boolean noRoute, boolean permanent, long now) {}

        @Override
        public void onAnswer(ProbeResponse response, long now) {}

        @Override
        public void onWakeup(long now) {
            done = now >= endAt;
        }

        @Override
        public long nextWakeup(long now) {
            return endAt == Long.MAX_VALUE ? NO_WAKEUP : Math.max(0, endAt - now);
        }

        @Override
        public boolean done() {
            return done;
        }

        @Override
        public String outcome(Stop reason, long now) {
            return reason + "@" + now / MS;
        }

        @Override
        public String snapshot(long now) {
            return "running@" + now / MS;
        }
    }

    static final class Session implements ProbeSession {
        boolean closed;

        @Override
        public int maxSequence() {
            return 100;
        }

        @Override
        public long send(ProbeSpec probe) {
            throw new AssertionError("sends nothing");
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** The listener: what it saw, and on which "thread" (whether the test was draining the user's queue). */
    interface Listener {
        void event(String e);
    }

    final FakeScheduler clock = new FakeScheduler(0);
    final Queue user = new Queue();
    final Queue setup = new Queue();
    final List<String> seen = new ArrayList<>();
    final Measurements owner = new Measurements(clock);
    Duration lookupTimeout = Duration.ZERO;
    boolean draining;

    TracerRuntime runtime(HostResolver resolver) {
        SendScheduler sends = new SendScheduler(clock, clock, new RateBudget(0, 1, clock.read()));
        return new TracerRuntime(clock, clock, sends, TransportRegistry.of(List.of()), setup, user, resolver);
    }

    final Listener listener = e -> {
        assertThat(draining).as("listener code runs on the user's executor only: " + e).isTrue();
        assertThat(clock.inLoop()).as("never on the engine loop").isFalse();
        seen.add(e);
    };

    void drainUser() {
        draining = true;
        try {
            user.drain();
        } finally {
            draining = false;
        }
    }

    /** A measurement of parts that each probe for its lifetime; its result lists the parts' outcomes. */
    final class Probe implements Lifecycle.Spec<String, Listener> {
        final Lifecycle<String, Listener> m;
        final List<MeasurementPart<String>> parts = new ArrayList<>();
        final List<String> outcomes = new ArrayList<>();
        final List<Session> sessions = new ArrayList<>();
        CompletableFuture<?> lookups = CompletableFuture.completedFuture(null);
        @Nullable Throwable failWith;

        Probe(TracerRuntime rt, Optional<Duration> deadline, int maxQueued, long... lifetimes) {
            m = new Lifecycle<>(rt, owner, MeasurementType.PING, "probe", deadline, listener, e -> {},
                    (l, result) -> l.event("completed " + result), maxQueued, this);
            for (int i = 0; i < lifetimes.length; i++) {
                int index = i;
                long lifetime = lifetimes[i];
                outcomes.add("-");
                String target = i % 2 == 0 ? "192.0.2." + (i + 1) : "host" + i;
                AtomicReference<MeasurementPart<String>> self = new AtomicReference<>();
                self.set(m.part(target, Optional.empty(), IpVersion.ANY, null, (dest, choice) -> {
                    Session s = new Session();
                    sessions.add(s);
                    m.event(l -> l.event("started " + index + " " + dest.getHostAddress()));
                    self.get().run().start(s, new Timed(clock.read(), lifetime));
                }, new MeasurementPart.Ending<>() {
                    @Override
                    public void completed(String result) {
                        outcomes.set(index, result);
                        m.event(l -> l.event("ended " + index + " " + result));
                    }

                    @Override
                    public void failed(Throwable error) {
                        outcomes.set(index, "failed " + error.getClass().getSimpleName());
                        m.event(l -> l.event("ended " + index + " failed"));
                        if (failWith != null) {
                            m.fail(failWith);
                        }
                    }

                    @Override
                    public void stoppedBeforeStart(Stop reason) {
                        outcomes.set(index, "not started " + reason);
                        m.event(l -> l.event("ended " + index + " not started"));
                    }
                }));
                parts.add(self.get());
            }
        }

        @Override
        public String result(@Nullable Stop end) {
            List<String> now = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                MeasurementPart<String> p = parts.get(i);
                now.add(!p.ended() && p.running() ? p.run().snapshot() : outcomes.get(i));
            }
            return (end == null ? "RUNNING" : end.name()) + " " + now;
        }

        @Override
        public CompletableFuture<?> awaitBeforeResult() {
            return lookups;
        }

        @Override
        public Duration awaitLimit() {
            return lookupTimeout;
        }
    }

    Probe probe(long... lifetimes) {
        return new Probe(runtime(HostResolver.SYSTEM), Optional.of(Duration.ofMinutes(1)), Integer.MAX_VALUE,
                lifetimes);
    }

    static HostResolver resolving(String address) {
        return host -> List.of(InetAddress.getByName(address));
    }

    @Test
    void completesOnceWithEveryPartsOutcomeAndLeavesItsTracer() {
        Probe p = new Probe(runtime(resolving("198.51.100.7")), Optional.of(Duration.ofMinutes(1)),
                Integer.MAX_VALUE, 30 * MS, 50 * MS);
        p.m.launch();
        CompletableFuture<String> f = p.m.result();
        clock.runUntilIdle();
        setup.drain(); // the name resolves on the set-up pool
        clock.advance(Duration.ofMillis(40));
        assertThat(p.m.ended()).isFalse();
        assertThat(owner.active()).containsEntry(MeasurementType.PING, 1);
        clock.advance(Duration.ofMillis(20));
        assertThat(p.m.ended()).isTrue();
        assertThat(owner.size()).isZero();
        assertThat(owner.active()).containsEntry(MeasurementType.PING, 0);
        assertThat(p.sessions).allMatch(s -> s.closed);
        p.m.stop(Stop.CANCELLED); // nothing changes once ended
        p.m.complete();
        clock.runUntilIdle();
        assertThat(f).as("completed on the user's executor, not before").isNotDone();
        drainUser();
        assertThat(f).isCompletedWithValue("COMPLETED [COMPLETED@30, COMPLETED@50]");
        assertThat(p.m.await()).isEqualTo("COMPLETED [COMPLETED@30, COMPLETED@50]");
        assertThat(p.m.snapshot()).isEqualTo(p.m.await());
        assertThat(seen).filteredOn(e -> e.startsWith("completed")).hasSize(1);
    }

    @Test
    void cancelGivesThePartialResultAndEndsPartsNotYetStarted() {
        Probe p = probe(-1, -1); // the second is a name: it waits on the set-up pool
        p.m.launch();
        CompletableFuture<String> f = p.m.result();
        clock.advance(Duration.ofMillis(10));
        p.m.cancel();
        clock.runUntilIdle();
        assertThat(p.m.await()).isEqualTo("CANCELLED [CANCELLED@10, not started CANCELLED]");
        assertThat(p.sessions).singleElement().matches(s -> s.closed);
        setup.drain(); // resolution ends after the cancel: nothing starts
        clock.runUntilIdle();
        assertThat(p.sessions).hasSize(1);
        drainUser();
        assertThat(f).isCompletedWithValue("CANCELLED [CANCELLED@10, not started CANCELLED]");
    }

    @Test
    void completingTheCallersFutureStopsTheMeasurement() {
        Probe p = probe(-1);
        p.m.launch();
        clock.advance(Duration.ofMillis(5));
        p.m.result().cancel(true);
        clock.runUntilIdle();
        assertThat(p.m.await()).isEqualTo("CANCELLED [CANCELLED@5]");
    }

    @Test
    void theDeadlineEndsItSetUpIncluded() {
        Probe p = new Probe(runtime(HostResolver.SYSTEM), Optional.of(Duration.ofSeconds(2)), Integer.MAX_VALUE,
                -1, -1);
        p.m.launch();
        clock.advance(Duration.ofMillis(1999));
        assertThat(p.m.ended()).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(p.m.ended()).isTrue();
        assertThat(p.m.await()).isEqualTo("DEADLINE [DEADLINE@2000, not started DEADLINE]");
        assertThat(clock.pendingTimers()).isZero();
    }

    @Test
    void noDeadlineRunsUntilItsPartsEnd() {
        Probe p = new Probe(runtime(HostResolver.SYSTEM), Optional.empty(), Integer.MAX_VALUE, 3_600_000 * MS);
        p.m.launch();
        clock.advance(Duration.ofMinutes(59));
        assertThat(p.m.ended()).isFalse();
        clock.advance(Duration.ofMinutes(1));
        assertThat(p.m.await()).startsWith("COMPLETED");
    }

    @Test
    void listenerRunsOnTheUsersExecutorInOrderStartAndEndPairedCompletedLast() {
        Probe p = new Probe(runtime(resolving("198.51.100.7")), Optional.of(Duration.ofMinutes(1)),
                Integer.MAX_VALUE, 20 * MS, 10 * MS, 30 * MS);
        p.m.launch();
        CompletableFuture<String> f = p.m.result();
        List<String> atCompletion = new ArrayList<>();
        f.thenRun(() -> atCompletion.addAll(seen));
        clock.runUntilIdle();
        setup.drain();
        clock.advance(Duration.ofMillis(50));
        assertThat(seen).as("nothing ran on the engine's threads").isEmpty();
        drainUser();
        assertThat(seen).last().asString().startsWith("completed COMPLETED");
        assertThat(atCompletion).as("the future completes after the listener's last event").isEqualTo(seen);
        for (int i = 0; i < 3; i++) {
            String start = "started " + i;
            String end = "ended " + i;
            int s = indexOf(seen, start);
            int e = indexOf(seen, end);
            assertThat(s).as(start).isNotNegative();
            assertThat(e).as("every start has its end, after it").isGreaterThan(s);
        }
        assertThat(seen.stream().filter(e -> e.startsWith("ended")).toList())
                .as("in the order things happened").containsExactly("ended 1 COMPLETED@10", "ended 0 COMPLETED@20",
                        "ended 2 COMPLETED@30");
    }

    private static int indexOf(List<String> events, String prefix) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aListenerThatThrowsIsIsolated() {
        List<String> got = new ArrayList<>();
        TracerRuntime rt = runtime(HostResolver.SYSTEM);
        AtomicReference<Lifecycle<String, Listener>> m = new AtomicReference<>();
        List<String> released = new ArrayList<>();
        m.set(new Lifecycle<>(rt, owner, MeasurementType.TRACE, "trace of x", Optional.empty(), e -> {
            got.add(e);
            throw new IllegalStateException("listener bug " + e);
        }, e -> {}, (l, result) -> l.event("completed"), Integer.MAX_VALUE, new Lifecycle.Spec<String, Listener>() {
            @Override
            public String result(@Nullable Stop end) {
                return String.valueOf(end);
            }

            @Override
            public void release() {
                released.add("released");
                throw new IllegalStateException("release bug");
            }
        }));
        m.get().launch();
        clock.runUntilIdle();
        CompletableFuture<String> f = m.get().result();
        m.get().event(l -> l.event("one"));
        m.get().event(l -> l.event("two"));
        clock.execute(m.get()::complete);
        clock.runUntilIdle();
        user.drain();
        assertThat(got).containsExactly("one", "two", "completed");
        assertThat(f).isCompletedWithValue("COMPLETED");
        assertThat(released).as("a measurement without parts releases what it holds, once").hasSize(1);
    }

    @Test
    void probeEventsBeyondTheBoundAreDroppedOthersNever() {
        Probe p = new Probe(runtime(HostResolver.SYSTEM), Optional.empty(), 3, -1);
        p.m.launch();
        clock.runUntilIdle(); // "started 0" is queued
        for (int i = 0; i < 5; i++) {
            int n = i;
            p.m.probeEvent(l -> l.event("probe " + n));
        }
        p.m.event(l -> l.event("kept"));
        p.m.cancel();
        clock.runUntilIdle();
        drainUser();
        assertThat(seen).containsExactly("started 0 192.0.2.1", "probe 0", "probe 1", "kept", "ended 0 CANCELLED@0",
                "completed CANCELLED [CANCELLED@0]");
    }

    @Test
    void snapshotWhileRunningThenTheFinalResult() {
        Probe p = probe(-1, 20 * MS);
        p.m.launch();
        clock.advance(Duration.ofMillis(7));
        String[] snap = new String[1];
        clock.execute(() -> snap[0] = p.m.snapshot()); // as a listener or the engine would take it
        clock.runUntilIdle();
        assertThat(snap[0]).isEqualTo("RUNNING [running@7, -]");
        assertThat(p.m.ended()).isFalse();
        p.m.cancel();
        clock.runUntilIdle();
        assertThat(p.m.snapshot()).isEqualTo("CANCELLED [CANCELLED@7, not started CANCELLED]");
    }

    @Test
    void closeEndsEveryRunningMeasurementAndRefusesNewOnes() {
        Probe running = probe(-1);
        Probe settingUp = probe(-1, -1);
        Probe ended = probe(5 * MS);
        running.m.launch();
        settingUp.m.launch();
        ended.m.launch();
        clock.advance(Duration.ofMillis(10));
        assertThat(ended.m.ended()).isTrue();
        assertThat(owner.size()).isEqualTo(2);
        assertThat(owner.markClosed()).isTrue();
        assertThat(owner.markClosed()).isFalse();
        owner.endAll(clock::stop);
        assertThat(running.m.await()).isEqualTo("CANCELLED [CANCELLED@10]");
        assertThat(settingUp.m.await()).isEqualTo("CANCELLED [CANCELLED@10, not started CANCELLED]");
        assertThat(ended.m.await()).isEqualTo("COMPLETED [COMPLETED@5]");
        assertThat(owner.size()).isZero();
        setup.drain(); // the resolution finishing after close starts nothing
        assertThat(settingUp.sessions).hasSize(1);
        Probe late = probe(-1);
        assertThatThrownBy(late.m::launch).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void aMeasurementStartedAfterTheLoopStoppedEndsCancelled() {
        Probe p = probe(-1);
        clock.stop();
        p.m.launch();
        assertThat(p.m.await()).isEqualTo("CANCELLED [not started CANCELLED]");
        assertThat(owner.size()).isZero();
    }

    @Test
    void aCompletedResultWaitsForLookupsAtMostTheirLimit() {
        lookupTimeout = Duration.ofSeconds(1);
        Probe p = probe(10 * MS);
        CompletableFuture<Void> lookups = new CompletableFuture<>();
        p.lookups = lookups;
        p.m.launch();
        clock.advance(Duration.ofMillis(10));
        assertThat(p.m.ended()).as("waits for the lookups").isFalse();
        lookups.complete(null);
        clock.runUntilIdle();
        assertThat(p.m.await()).isEqualTo("COMPLETED [COMPLETED@10]");

        Probe q = probe(10 * MS);
        q.lookups = new CompletableFuture<>(); // never ends
        q.m.launch();
        clock.advance(Duration.ofMillis(10));
        clock.advance(Duration.ofSeconds(1).minusMillis(1));
        assertThat(q.m.ended()).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(q.m.await()).isEqualTo("COMPLETED [COMPLETED@20]");

        Probe r = probe(10 * MS);
        r.lookups = new CompletableFuture<>();
        r.m.launch();
        clock.advance(Duration.ofMillis(10));
        r.m.cancel();
        clock.runUntilIdle();
        assertThat(r.m.await()).as("stopped while waiting: what the lookups found so far").startsWith("COMPLETED");
    }

    @Test
    void oneErrorPolicyForFailures() {
        // a set-up error the kind treats as the measurement's failure: thrown as is (typed)
        Probe p = new Probe(runtime(host -> {
            throw new java.net.UnknownHostException(host);
        }), Optional.of(Duration.ofMinutes(1)), Integer.MAX_VALUE, -1, -1);
        p.failWith = null;
        p.m.launch();
        clock.runUntilIdle();
        setup.drain();
        clock.runUntilIdle();
        // the kind treated it as data: the name part ended failed, the literal part still runs
        assertThat(p.m.ended()).isFalse();
        assertThat(p.outcomes.get(1)).isEqualTo("failed UnknownTargetException");

        Probe q = new Probe(runtime(host -> {
            throw new java.net.UnknownHostException(host);
        }), Optional.of(Duration.ofMinutes(1)), Integer.MAX_VALUE, -1, -1);
        q.failWith = new UnknownTargetException("host1", "no such host", null);
        CompletableFuture<String> f = q.m.result();
        q.m.launch();
        clock.runUntilIdle();
        setup.drain();
        clock.runUntilIdle();
        assertThat(q.m.ended()).isTrue();
        assertThat(q.sessions).allMatch(s -> s.closed);
        assertThatThrownBy(q.m::await).isSameAs(q.failWith);
        assertThatThrownBy(q.m::snapshot).isSameAs(q.failWith);
        drainUser();
        assertThat(f).isCompletedExceptionally();

        // anything not a RuntimeException is wrapped in a PathProbeException naming the measurement
        Probe c = probe(-1);
        c.m.launch();
        clock.execute(() -> c.m.fail(new java.io.IOException("disk")));
        clock.runUntilIdle();
        assertThatThrownBy(c.m::await).isInstanceOf(PathProbeException.class).hasMessageContaining("probe failed")
                .hasCauseInstanceOf(java.io.IOException.class);
    }
}
