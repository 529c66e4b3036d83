package io.pathprobe.agent;

import io.pathprobe.agent.sink.RecordFormat;
import io.pathprobe.agent.sink.ResultSink;
import io.pathprobe.agent.sink.SinkSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the agent's tests start an agent (this module's and pathprobe-agent-kafka's, through this module's test-jar):
 * a schedule written as a file would write it, and beside its own sinks a {@link Kept} sink that keeps every line
 * the agent wrote to it, so that a test compares what reached a real sink (a Kafka topic, an OTLP receiver) with
 * what the agent made.
 */
public final class AgentFixture {
    /** The name of the sink that keeps what it is given. */
    public static final String KEPT = "keep";

    private AgentFixture() {}

    /**
     * {@return a builder of the agent that runs {@code yaml}, writing to {@code kept} in {@code format} besides its
     * configured sinks; the caller adds a tracer, time or observers and builds it}
     *
     * @param yaml the schedule
     * @param format the kept sink's format
     * @param kept the sink that keeps the lines
     */
    public static PathProbeAgent.Builder builder(String yaml, RecordFormat format, Kept kept) {
        return PathProbeAgent.builder().config(AgentConfig.parse(yaml, "agent.yaml"))
                .sink(new SinkSettings(KEPT, "test", format, 1_000_000, Map.of()), kept);
    }

    /** A sink that keeps every line it is given, and notes a line given after its close. Thread-safe. */
    public static final class Kept implements ResultSink {
        private final List<String> lines = new ArrayList<>();
        private boolean closed;
        private int afterClose;

        @Override
        public synchronized void write(String record) {
            if (closed) {
                afterClose++;
            }
            lines.add(record);
        }

        @Override
        public synchronized void close() {
            closed = true;
        }

        /** {@return the lines it was given so far} */
        public synchronized List<String> lines() {
            return List.copyOf(lines);
        }

        /** {@return whether the agent closed it} */
        public synchronized boolean closed() {
            return closed;
        }

        /** {@return how many lines it was given after its close} */
        public synchronized int afterClose() {
            return afterClose;
        }
    }
}
