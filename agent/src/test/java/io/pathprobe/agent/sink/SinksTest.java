package io.pathprobe.agent.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
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

    /** Runs {@code n} records through a buffered file sink whose writes fail as {@code failing} says. */
    private static FileSink fill(Path file, int n, java.util.function.IntPredicate failing, boolean truncates,
            BufferedSink[] buffered) throws Exception {
        FileSink sink = new FileSink(file, 1 << 30, 0, io.pathprobe.core.internal.runtime.PrivateFiles.mode("0600"), (p, mode) -> new FailingChannel(
                java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.WRITE), failing, truncates));
        BufferedSink b = new BufferedSink(new SinkSettings("f", "file", RecordFormat.PATHPROBE, 1000, Map.of()), sink);
        buffered[0] = b;
        for (int i = 0; i < n; i++) {
            b.offer(List.of("{\"n\":" + i + ",\"pad\":\"" + "x".repeat(200) + "\"}"));
        }
        await(() -> b.statistics().written() + b.statistics().dropped() == n);
        b.close();
        return sink;
    }

    @Test
    void aFailedWriteIsCutBackToTheLastWholeRecordAndWrittenCountsTheLines(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("records.ndjson");
        BufferedSink[] b = new BufferedSink[1];
        fill(file, 20, w -> w >= 5 && w < 9, true, b); // writes 5..8 fail half way (a full disk that clears)
        SinkStatistics end = b[0].statistics();
        List<String> lines = Files.readAllLines(file);
        ObjectMapper json = new ObjectMapper();
        for (String l : lines) {
            assertThat(json.readTree(l).get("n")).as(l).isNotNull(); // every line parses
        }
        assertThat(end.failures()).isEqualTo(4);
        assertThat(end.written()).isEqualTo(20).isEqualTo(lines.size());
    }

    @Test
    void whereTruncationFailsTheRetryStartsOnANewLineAndTheFragmentIsCounted(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("records.ndjson");
        BufferedSink[] b = new BufferedSink[1];
        FileSink sink = fill(file, 10, w -> w == 3, false, b);
        List<String> lines = Files.readAllLines(file);
        assertThat(sink.fragments()).isEqualTo(1);
        assertThat(b[0].statistics().written()).isEqualTo(10);
        assertThat(lines).hasSize(11);
        ObjectMapper json = new ObjectMapper();
        long whole = lines.stream().filter(l -> {
            try {
                return json.readTree(l).has("n");
            } catch (IOException e) {
                return false;
            }
        }).count();
        assertThat(whole).isEqualTo(10); // every record whole on its own line, the fragment on one apart
    }

    @Test
    void anUnwritableSinkIsRefusedWhenItOpensWithOneLine(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> new FileSink(dir, 100, 1)).isInstanceOf(IOException.class)
                .hasMessageContaining("is not a regular file");
        assertThatThrownBy(() -> new FileSink(Path.of("/proc/self/mem"), 100, 1)).isInstanceOf(IOException.class)
                .hasMessageContaining("proc");
        Path aFile = Files.writeString(dir.resolve("plain"), "x");
        assertThatThrownBy(() -> new FileSink(aFile.resolve("sub/records.ndjson"), 100, 1))
                .isInstanceOf(IOException.class).hasMessageContaining("cannot create the directory");
        assertThatThrownBy(() -> new FileSink(aFile.resolve("records.ndjson"), 100, 1))
                .isInstanceOf(IOException.class).hasMessageEndingWith("plain: it exists and is not a directory");
        assertThatThrownBy(() -> io.pathprobe.core.internal.runtime.PrivateFiles.mode("rw")).hasMessageContaining("octal");
        SinkSettings empty = new SinkSettings("f", "file", RecordFormat.PATHPROBE, 10, Map.of("path", ""));
        assertThatThrownBy(() -> new FileSink.Provider().open(empty)).hasMessageContaining("path is empty");
    }

    @Test
    void filesAreCreatedOwnerOnlyUnlessAModeIsGiven(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("records.ndjson");
        try (FileSink sink = new FileSink(file, 40, 1)) {
            sink.write("{\"n\":1,\"pad\":\"xxxxxxxxxxxxxxxxxxxx\"}");
            sink.write("{\"n\":2,\"pad\":\"xxxxxxxxxxxxxxxxxxxx\"}"); // rotates: the new file is created too
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("records.ndjson.1"))))
                .isEqualTo("rw-------");
        Path shared = dir.resolve("shared.ndjson");
        SinkSettings s = new SinkSettings("f", "file", RecordFormat.PATHPROBE, 10,
                Map.of("path", shared.toString(), "mode", "0640"));
        new FileSink.Provider().open(s).close();
        assertThat(Files.getPosixFilePermissions(shared)).contains(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE).doesNotContain(PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_WRITE); // 0640, less what the umask takes
    }

    @Test
    void aFailingStandardOutputIsReportedNotCountedAsWritten() throws Exception {
        java.io.OutputStream broken = new java.io.OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        StdoutSink sink = new StdoutSink(new java.io.PrintStream(broken, false,
                java.nio.charset.StandardCharsets.UTF_8));
        assertThatThrownBy(() -> sink.write("{}")).isInstanceOf(IOException.class)
                .hasMessageContaining("standard output failed");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        new StdoutSink(new java.io.PrintStream(bytes, false, java.nio.charset.StandardCharsets.UTF_8)).write("{}");
        assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("{}" + System.lineSeparator());
    }
}
