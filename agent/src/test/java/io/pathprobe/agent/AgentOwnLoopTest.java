package io.pathprobe.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.PathTracer;
import io.pathprobe.agent.sink.AgentRecord;
import io.pathprobe.testing.FakeTime;
import io.pathprobe.testing.ScriptedHop;
import io.pathprobe.testing.ScriptedTransport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The agent on its own timer thread, its measurements ending on another thread (here the test's, which drives the
 * tracer's fake time): each end is handed back to the agent's loop, the counts add up, and close from two threads at
 * once is one close.
 */
class AgentOwnLoopTest {
    @Test
    void runsEndingOnAnotherThreadAreCountedOnTheLoopAndCloseIsIdempotentAcrossThreads() throws Exception {
        FakeTime time = new FakeTime();
        ScriptedTransport path = ScriptedTransport.builder(time).hop(ScriptedHop.router("198.18.2.1"))
                .destination(ScriptedHop.destination().delay(Duration.ofMillis(3))).build();
        List<AgentRecord> records = new CopyOnWriteArrayList<>();
        try (PathTracer tracer = PathTracer.builder().transport(path).ticker(time).scheduler(time).offline()
                .build()) {
            AgentConfig config = AgentConfig.parse("""
                    jobs:
                      - {name: a, kind: trace, targets: [198.18.2.9, 198.18.2.10], interval: 1s}
                    """, "own-loop.yaml");
            PathProbeAgent agent = PathProbeAgent.builder().config(config).tracer(tracer).observer(records::add)
                    .build().start();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // liveness only
            while (records.size() < 4 && System.nanoTime() < end) {
                time.advance(Duration.ofMillis(50)); // the traces progress on this thread
                Thread.sleep(5);
            }
            assertThat(records).hasSizeGreaterThanOrEqualTo(4);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (agent.statistics().completed() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(5); // the ends reach the loop a moment after the records
            }
            AgentStatistics s = agent.statistics();
            assertThat(s.jobs()).isEqualTo(1);
            assertThat(s.completed()).isGreaterThanOrEqualTo(4);
            assertThat(s.failed()).isZero();
            assertThat(s.records()).isGreaterThanOrEqualTo(records.size());

            CountDownLatch go = new CountDownLatch(1);
            Thread other = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                agent.close();
            });
            other.start();
            go.countDown();
            agent.close();
            other.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(other.isAlive()).isFalse();
            assertThat(agent.statistics().jobs()).isZero();
        }
    }
}
