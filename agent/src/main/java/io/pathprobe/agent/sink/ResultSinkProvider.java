package io.pathprobe.agent.sink;

import java.io.IOException;

/**
 * Makes sinks of one type ("file", "stdout", "kafka"), found through {@link java.util.ServiceLoader}: an
 * artifact on the class path that lists its provider in
 * {@code META-INF/services/io.pathprobe.agent.sink.ResultSinkProvider} adds a sink type to every agent
 * configuration.
 */
public interface ResultSinkProvider {
    /** {@return the type a configuration names ("file", "kafka"), lower case} */
    String type();

    /**
     * Checks a sink's settings as {@link #open} reads them, without opening, creating or connecting anything:
     * {@code pathprobe agent --check} and the agent's start call it before anything opens, so both refuse the same
     * settings with the same line. The default checks nothing.
     *
     * @param settings its configuration
     * @throws IllegalArgumentException if an option is missing, unknown or wrong (the message names it)
     */
    default void check(SinkSettings settings) {}

    /**
     * Opens a sink.
     *
     * @param settings its configuration
     * @return the sink
     * @throws IllegalArgumentException if an option is missing or wrong (the message names it)
     * @throws IOException if it cannot be opened
     */
    ResultSink open(SinkSettings settings) throws IOException;
}
