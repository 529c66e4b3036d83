package io.pathprobe.agent.sink;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Run by {@link FileSinkFullDiskLabTest} on a small tmpfs: offers records of about 1 KiB to a file sink until its
 * writes have failed a few times (the tmpfs full), then closes it and prints how many it counted written.
 */
public final class FullDiskWriter {
    private FullDiskWriter() {}

    public static void main(String[] args) throws Exception {
        FileSink file = new FileSink(Path.of(args[0]), 1L << 30, 0);
        BufferedSink sink = new BufferedSink(new SinkSettings("f", "file", RecordFormat.PATHPROBE, 1000, Map.of()),
                file);
        for (int i = 0; i < 200; i++) {
            sink.offer(List.of("{\"n\":" + i + ",\"pad\":\"" + "x".repeat(1000 + i % 7) + "\"}"));
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (sink.statistics().failures() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        sink.close(Duration.ofMillis(100));
        SinkStatistics s = sink.statistics();
        System.out.println(s.written() + " " + s.failures() + " " + file.fragments());
    }
}
