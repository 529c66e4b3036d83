package io.pathprobe.agent;

import io.pathprobe.agent.sink.ResultSink;
import io.pathprobe.agent.sink.ResultSinkProvider;
import io.pathprobe.agent.sink.SinkSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * A sink's settings checked when the schedule is read, without opening anything, so that {@code agent --check}
 * refuses what start would: a type no provider on the class path opens ({@code s3}; {@code kafka} without
 * pathprobe-agent-kafka), a buffer over {@link #MAX_BUFFER_RECORDS}, and whatever the type's provider refuses in
 * {@link ResultSinkProvider#check} (an unknown option, a value the sink would refuse; Kafka's producer settings).
 */
final class SinkCheck {
    /** The most records a sink's queue may hold ({@code bufferRecords}). */
    static final int MAX_BUFFER_RECORDS = 1_000_000;

    private SinkCheck() {}

    /** {@return the provider of the sink's type} @throws IllegalArgumentException if none, or an option is wrong */
    static ResultSinkProvider check(SinkSettings s) {
        ResultSinkProvider provider = provider(s);
        if (s.bufferRecords() > MAX_BUFFER_RECORDS) {
            throw new IllegalArgumentException("sink " + s.name() + ": bufferRecords must be 1.." + MAX_BUFFER_RECORDS
                    + ", was " + s.bufferRecords());
        }
        provider.check(s);
        return provider;
    }

    /**
     * Checks and opens a sink as the agent's start does.
     *
     * @param source the schedule's file (or "config"), which a refusal names
     * @throws AgentConfigException if it is refused or cannot be opened (one line naming the sink)
     */
    static ResultSink open(String source, SinkSettings s) {
        try {
            return check(s).open(s);
        } catch (IOException | IllegalArgumentException e) {
            String why = java.util.Objects.requireNonNullElse(e.getMessage(), e.toString());
            throw new AgentConfigException(source, 0, 0, why.startsWith("sink ") ? why
                    : "sink " + s.name() + " (" + s.type() + "): " + why);
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
