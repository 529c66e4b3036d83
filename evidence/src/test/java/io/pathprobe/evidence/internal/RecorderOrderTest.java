package io.pathprobe.evidence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.runtime.EngineLoop;
import io.pathprobe.core.internal.runtime.Scheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loop work and the enrichment's jobs (and lookups' ends) take turns while recording: a job that becomes ready
 * while loop work runs waits for it to end. So what the loop work saw of them is what had ended before it began,
 * the number its "act" line carries, and a replay that runs the recorded jobs up to that number first sees the
 * same. Found in CI: a trace's last loop work asked whether its lookups were done while the last lookup's job
 * ended on another thread; the recording said it had seen none, and its replay waited for work that never ran.
 */
@Timeout(30)
class RecorderOrderTest {
    @TempDir
    Path dir;

    @Test
    void aJobReadyWhileLoopWorkRunsWaitsForItAndTheActSaysItSawNone() throws Exception {
        Path file = dir.resolve("r.ndjson");
        Recorder rec = Recorded.recorder(file);
        EngineLoop engine = new EngineLoop(() -> { });
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Scheduler loop = rec.scheduler(engine);
            Executor jobs = rec.executor(pool, true);
            CountDownLatch workStarted = new CountDownLatch(1);
            CountDownLatch jobRan = new CountDownLatch(1);
            boolean[] sawJob = new boolean[1];
            CountDownLatch workEnded = new CountDownLatch(1);
            loop.execute(() -> {
                workStarted.countDown();
                try {
                    // the job is ready now; with nothing to keep it out it runs within these 300 ms
                    sawJob[0] = jobRan.await(300, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                workEnded.countDown();
            });
            assertThat(workStarted.await(10, TimeUnit.SECONDS)).isTrue();
            jobs.execute(jobRan::countDown);
            assertThat(workEnded.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(jobRan.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(sawJob[0]).as("the job ran while the loop work did").isFalse();
        } finally {
            engine.shutdown();
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            rec.close();
        }
        List<String> lines = Files.readAllLines(file);
        int act = indexOf(lines, "\"type\":\"act\"");
        int ran = indexOf(lines, "\"type\":\"ran\"");
        assertThat(act).as("the loop work's line").isNotNegative();
        assertThat(ran).as("the job's line, written after the loop work's").isGreaterThan(act);
        assertThat(lines.get(act)).doesNotContain("\"s\":");
    }

    private static int indexOf(List<String> lines, String part) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).replace(" ", "").contains(part)) {
                return i;
            }
        }
        return -1;
    }
}
