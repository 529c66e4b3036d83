package io.pathprobe.evidence;

import io.pathprobe.util.Checks;
import java.util.Optional;

/**
 * One measurement of a recording, replayed.
 *
 * @param kind the measurement: {@code trace}, {@code traceAll}, {@code monitor}, {@code multipath}, {@code mtu} or
 *     {@code ping} (a {@code MeasurementType}'s name)
 * @param request the request as recorded (a {@code TraceRequest}, {@code TraceAllRequest}, {@code MonitorRequest},
 *     {@code MultipathRequest}, {@code MtuRequest} or {@code PingRequest}; without the listener it had)
 * @param result the replayed result (a {@code TraceResult}, {@code TraceAllResult}, ...), also one that differs from
 *     the recorded one (the replay left the record: {@link ReplayResult#divergence()}); empty if the replay failed
 *     ({@link #failure()})
 * @param failure why the replayed measurement failed, if it did
 * @param recordedJson the result's JSON document as recorded; empty if the recording ends before the result
 * @param replayedJson the replayed result's JSON document, written as the recording wrote its own; empty if
 *     the replay failed
 */
public record ReplayedMeasurement(String kind, Object request, Optional<Object> result, Optional<String> failure,
        Optional<String> recordedJson, Optional<String> replayedJson) {
    /**
     * Checks the components (see the record's description).
     *
     * @param kind the measurement
     * @param request the request as recorded
     * @param result the replayed result
     * @param failure why the replayed measurement failed
     * @param recordedJson the result's JSON document as recorded
     * @param replayedJson the replayed result's JSON document
     * @throws NullPointerException if a component is null
     */
    public ReplayedMeasurement {
        Checks.nonNull("kind", kind, "request", request, "result", result, "failure", failure,
                "recordedJson", recordedJson, "replayedJson", replayedJson);
    }

    /**
     * {@return the replayed result as {@code type}: the recorded one (its document is the recorded document), or the
     * one replayed from a recording that ends before its result}
     *
     * @param type the result's type, e.g. {@code TraceResult.class}
     * @param <T> the result's type
     * @throws IllegalStateException if the replay failed, or if its result is not the recorded one (the replay left
     *     the record: {@link #result()} is what it gave, {@link #recordedJson()} the recorded result)
     * @throws ClassCastException if the result is of another type
     */
    public <T> T result(Class<T> type) {
        Object r = result.orElseThrow(() -> new IllegalStateException(
                "the replayed " + kind + " failed: " + failure.orElse("no result")));
        if (recordedJson.isPresent() && !identical()) {
            throw new IllegalStateException("the replayed " + what() + " is not the recorded one (the replay left "
                    + "the record, see ReplayResult.divergence()): recordedJson() is the recorded result");
        }
        return type.cast(r);
    }

    /** {@return whether the replayed result's JSON document is the recorded one, character for character} */
    public boolean identical() {
        return recordedJson.isPresent() && recordedJson.equals(replayedJson);
    }

    /** {@code "trace of 198.18.1.9: identical to the recorded result"}. */
    @Override
    public String toString() {
        String what = what();
        if (failure.isPresent()) {
            return what + ": replay failed: " + failure.get();
        }
        if (recordedJson.isEmpty()) {
            return what + ": replayed; the recording ends before its result";
        }
        return what + (identical() ? ": identical to the recorded result" : ": differs from the recorded result");
    }

    /** {@return the measurement in words: {@code "trace of 198.18.1.9"}, {@code "ping of 198.18.1.9, 198.18.1.10"}} */
    public String what() {
        return kind + " of " + targets(request);
    }

    /** The request's targets, whole: the first three, then how many more. */
    private static String targets(Object request) {
        if (!(request instanceof io.pathprobe.options.MeasurementRequest<?> q)) {
            return request.getClass().getSimpleName();
        }
        java.util.List<String> all = q.targets();
        return all.size() <= 3 ? String.join(", ", all)
                : String.join(", ", all.subList(0, 3)) + " and " + (all.size() - 3) + " more";
    }
}
