package io.pathprobe.agent.sink;

import java.io.IOException;

/**
 * Where the agent's records go: one record is one line of text (a JSON object, no line feed), in the
 * {@link RecordFormat} the sink was configured with. The agent calls a sink from that sink's own writer
 * thread, one call at a time, behind a bounded buffer: a sink that is slow or down delays only itself,
 * and the agent keeps measuring (records that do not fit the buffer are dropped and counted, never
 * silently; {@link SinkStatistics}).
 *
 * <p>A {@link #write} that throws {@link IOException} means "down": the record is kept and written again
 * after a back-off, in order; a sink leaves no part of a failed record where a reader would take it for a whole
 * one. Implementations: NDJSON files and standard output here, Kafka in
 * {@code pathprobe-agent-kafka}; others plug in through {@link ResultSinkProvider}.
 */
public interface ResultSink extends AutoCloseable {
    /**
     * Writes one record.
     *
     * @param record one line of text without its line feed
     * @throws IOException if the destination cannot take it now (it is retried)
     */
    void write(String record) throws IOException;

    /**
     * Makes what was written durable or visible (called when the buffer has emptied, and before close).
     *
     * @throws IOException if the destination cannot take it now
     */
    default void flush() throws IOException {}

    /**
     * {@return records a failed write left partly written where a reader finds them (a line that does not parse,
     * never counted as written), counted by the sink; 0 for a sink that never leaves one} Read from any thread.
     */
    default long fragments() {
        return 0;
    }

    /** Releases what the sink holds; called once, after the last write and flush. */
    @Override
    void close() throws IOException;
}
