package io.pathprobe.agent.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sink that is down never holds the agent up and loses nothing silently; files rotate within their bound. */
@org.junit.jupiter.api.Timeout(60)
class SinksTest {

    /** A sink that refuses while {@code down} is set. */
    private static final class Flaky implements ResultSink {
        final AtomicBoolean down = new AtomicBoolean();
        final List<String> got = new ArrayList<>();

        @Override
        public synchronized void write(String record) throws IOException {
            if (down.get()) {
                throw new IOException("broker down");
            }
            got.add(record);
        }

        @Override
        public void close() {}
    }

    /** Waits until {@code c} holds; the class's timeout bounds the wait. */
    private static void await(java.util.function.BooleanSupplier c) throws InterruptedException {
        while (!c.getAsBoolean()) {
            Thread.sleep(5);
        }
    }

    @Test
    void aDownSinkBuffersThenDropsAndCountsAndComesBackInOrder() throws Exception {
        Flaky flaky = new Flaky();
        BufferedSink sink = new BufferedSink(new SinkSettings("k", "kafka", RecordFormat.ATLAS, 10, Map.of()), flaky);
        sink.offer(List.of("r0", "r1"));
        await(() -> sink.statistics().written() == 2);
        flaky.down.set(true);
        for (int i = 2; i < 30; i++) {
            long start = System.nanoTime();
            sink.offer(List.of("r" + i));
            assertThat(System.nanoTime() - start).as("offer never waits for the sink").isLessThan(1_000_000_000L);
        }
        await(() -> sink.statistics().failures() > 0);
        SinkStatistics down = sink.statistics();
        assertThat(down.up()).isFalse();
        assertThat(down.dropped()).isGreaterThanOrEqualTo(18); // 28 offered while down, 10 fit
        flaky.down.set(false);
        await(() -> sink.statistics().queued() == 0);
        sink.close();
        SinkStatistics end = sink.statistics();
        assertThat(end.written() + end.dropped()).isEqualTo(30);
        assertThat(end.up()).isTrue();
        // what was kept arrived in the order offered
        List<Integer> numbers = flaky.got.stream().map(s -> Integer.parseInt(s.substring(1))).toList();
        assertThat(numbers).isSorted().hasSize((int) end.written()).startsWith(0, 1);
    }

    @Test
    void recordsOfferedAfterCloseAreDroppedAndCounted() {
        Flaky flaky = new Flaky();
        BufferedSink sink = new BufferedSink(new SinkSettings("s", "stdout", RecordFormat.PATHPROBE, 10, Map.of()),
                flaky);
        sink.close(Duration.ofSeconds(1));
        sink.offer(List.of("late"));
        assertThat(sink.statistics().dropped()).isEqualTo(1);
        assertThat(flaky.got).isEmpty();
    }

    @Test
    void aFileRotatesBySizeAndKeepsAtMostItsFiles(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/records.ndjson");
        try (FileSink sink = new FileSink(file, 100, 2)) {
            for (int i = 0; i < 20; i++) {
                sink.write("{\"n\":" + i + ",\"pad\":\"xxxxxxxxxxxxxxxxxxxx\"}"); // 35 bytes a line
            }
        }
        List<Path> files;
        try (var s = Files.list(file.getParent())) {
            files = s.sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly("records.ndjson", "records.ndjson.1", "records.ndjson.2");
        for (Path f : files) {
            assertThat(Files.size(f)).isLessThanOrEqualTo(100);
            assertThat(Files.readAllLines(f)).allSatisfy(l -> assertThat(l).startsWith("{\"n\":").endsWith("}"));
        }
        assertThat(Files.readAllLines(file)).last().asString().startsWith("{\"n\":19,");
    }

    @Test
    void sizesAndProviderOptionsAreChecked(@TempDir Path dir) {
        assertThat(FileSink.bytes("100MB")).isEqualTo(100L << 20);
        assertThat(FileSink.bytes("4096")).isEqualTo(4096);
        assertThatThrownBy(() -> FileSink.bytes("lots")).hasMessageContaining("not a size");
        SinkSettings noPath = new SinkSettings("f", "file", RecordFormat.PATHPROBE, 10, Map.of());
        assertThatThrownBy(() -> new FileSink.Provider().open(noPath)).hasMessageContaining("needs the option 'path'");
        assertThatThrownBy(() -> RecordFormat.named("csv")).hasMessageContaining("not a record format");
    }
}
