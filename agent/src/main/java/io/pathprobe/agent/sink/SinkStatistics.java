package io.pathprobe.agent.sink;

/**
 * What one sink did since the agent started.
 *
 * @param name the sink's name
 * @param written records it took whole (a write that failed part way counts as a failure, not as written)
 * @param dropped records dropped because its buffer was full (it was down or slower than the schedule)
 * @param failures writes that failed (each retried)
 * @param fragments records a failed write left partly written in the destination because they could not be cut off
 *     (each a line that does not parse; never counted in {@code written}): {@link ResultSink#fragments()}
 * @param queued records waiting now
 * @param up whether its last write succeeded (true before the first)
 */
public record SinkStatistics(String name, long written, long dropped, long failures, long fragments, int queued,
        boolean up) {
    @Override
    public String toString() {
        return name + ": " + written + " written, " + dropped + " dropped, " + failures + " failed writes, "
                + (fragments > 0 ? fragments + " fragments, " : "") + queued + " queued" + (up ? "" : ", down");
    }
}
