package io.pathprobe.evidence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.core.internal.runtime.EngineLoop;
import io.pathprobe.core.internal.runtime.Scheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * The engine's work is named by what caused it and how many pieces its cause had given before; the application's
 * code (a listener's events, on the callback pool) is not the engine's and takes no number. Found in the lab: a
 * trace's answer queued a hop event for the CLI's hop table before its refill timer, so the timer was named as the
 * answer's fourth piece; a replay without that listener named it the third, and left the record when it ran.
 */
@Timeout(30)
class RecorderNamesTest {
    @TempDir
    Path dir;

    /** The names of the loop's work, in the order it ran, when loop work queues {@code callbacks} events first. */
    private List<String> names(String file, int callbacks) throws Exception {
        Path f = dir.resolve(file);
        Recorder rec = Recorded.recorder(f);
        EngineLoop engine = new EngineLoop(() -> { });
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Scheduler loop = rec.scheduler(engine);
            Executor application = rec.callbacks(pool);
            CountDownLatch timerRan = new CountDownLatch(1);
            loop.execute(() -> {
                for (int i = 0; i < callbacks; i++) {
                    application.execute(() -> { }); // a listener's event
                }
                loop.schedule(timerRan::countDown, 1_000_000L); // the refill retry's timer
            });
            assertThat(timerRan.await(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            engine.shutdown();
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            rec.close();
        }
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(f)) {
            JsonNode n = Codec.JSON.readTree(line);
            if (n.path("type").asText().equals("act")) {
                names.add(n.path("k").asText());
            }
        }
        return names;
    }

    @Test
    void aListenersEventsDoNotRenameTheEnginesLaterWork() throws Exception {
        List<String> without = names("without.ndjson", 0);
        List<String> with = names("with.ndjson", 3);
        assertThat(without).hasSize(2);
        assertThat(with).isEqualTo(without);
    }
}
