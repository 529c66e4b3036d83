package io.pathprobe.agent;

import io.pathprobe.agent.sink.ResultSinkProvider;
import io.pathprobe.agent.sink.SinkSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * A sink's settings checked when the schedule is read, without opening anything, so that {@code agent --check}
 * refuses what start would: a type no provider on the class path opens ({@code s3}; {@code kafka} without
 * pathprobe-agent-kafka), and for the built-in types an unknown option or a value the sink refuses. The options of
 * other types (Kafka's) are their provider's, checked when it opens the sink.
 */
final class SinkCheck {
    /** The most records a sink's queue may hold ({@code bufferRecords}). */
    static final int MAX_BUFFER_RECORDS = 1_000_000;
    private static final Set<String> FILE = Set.of("path", "maxBytes", "files");

    private SinkCheck() {}

    /** {@return the provider of the sink's type} @throws IllegalArgumentException if none, or an option is wrong */
    static ResultSinkProvider check(SinkSettings s) {
        ResultSinkProvider provider = provider(s);
        if (s.bufferRecords() > MAX_BUFFER_RECORDS) {
            throw new IllegalArgumentException("sink " + s.name() + ": bufferRecords must be 1.." + MAX_BUFFER_RECORDS
                    + ", was " + s.bufferRecords());
        }
        switch (s.type()) {
            case "file" -> {
                known(s, FILE);
                if (s.required("path").isBlank()) {
                    throw new IllegalArgumentException("sink " + s.name() + " (file): path is empty");
                }
                long max = bytes(s, s.option("maxBytes").orElse("100MB"));
                if (max < 1) {
                    throw new IllegalArgumentException("sink " + s.name() + " (file): maxBytes must be positive, was "
                            + s.option("maxBytes").orElse(""));
                }
                String files = s.option("files").orElse("5").strip();
                if (!files.matches("[0-9]{1,6}")) {
                    throw new IllegalArgumentException("sink " + s.name() + " (file): files must be a count 0 or more,"
                            + " was '" + files + "'");
                }
            }
            case "stdout" -> known(s, Set.of());
            default -> {
                // the provider's own options: checked when it opens the sink
            }
        }
        return provider;
    }

    private static void known(SinkSettings s, Set<String> allowed) {
        for (String k : s.options().keySet()) {
            if (!allowed.contains(k)) {
                throw new IllegalArgumentException("sink " + s.name() + " (" + s.type() + "): unknown key '" + k
                        + "' (known: " + String.join(", ", new java.util.TreeSet<>(allowed)) + (allowed.isEmpty()
                        ? "none besides type, format, name and bufferRecords" : "") + ")");
            }
        }
    }

    /** A size as the file sink reads its maxBytes ({@link io.pathprobe.agent.sink.FileSink#bytes}). */
    private static long bytes(SinkSettings s, String text) {
        try {
            return io.pathprobe.agent.sink.FileSink.bytes(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sink " + s.name() + " (file): maxBytes " + e.getMessage());
        }
    }

    private static ResultSinkProvider provider(SinkSettings s) {
        ClassLoader loader = PathProbeAgent.class.getClassLoader();
        List<String> known = new ArrayList<>();
        for (ResultSinkProvider p : ServiceLoader.load(ResultSinkProvider.class, loader)) {
            if (p.type().equals(s.type())) {
                return p;
            }
            known.add(p.type());
        }
        throw new IllegalArgumentException("sink " + s.name() + ": no sink type '" + s.type() + "' (known here: "
                + String.join(", ", known) + (s.type().equals("kafka") ? "; add pathprobe-agent-kafka for kafka" : "")
                + ")");
    }
}
