package io.pathprobe.evidence.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.Measurement;
import io.pathprobe.MeasurementType;
import io.pathprobe.PathTracer;
import io.pathprobe.TracerStats;
import io.pathprobe.TransportInfo;
import io.pathprobe.core.internal.runtime.TransportOpening;
import io.pathprobe.options.MeasurementRequest;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The tracer an application runs on during a replay ({@link io.pathprobe.ReplayApplication}): each start must ask
 * for the next recorded request (listener aside) and runs the recorded one, on the replayed engine, on the replay's
 * loop thread; what else it is asked, the replayed engine answers on that thread.
 */
final class ReplayingTracer implements PathTracer, TransportOpening {
    private final PathTracer engine;
    private final ReplayLoop loop;
    private final List<Replayer.Outcome> outcomes;
    private int started;

    ReplayingTracer(PathTracer engine, ReplayLoop loop, List<Replayer.Outcome> outcomes) {
        this.engine = engine;
        this.loop = loop;
        this.outcomes = outcomes;
    }

    /**
     * Starts the next recorded measurement, which must be {@code request} (its listener aside).
     *
     * @throws IllegalArgumentException if the recording's next measurement is another one
     */
    @SuppressWarnings("unchecked")
    private synchronized <Q, R> Measurement<Q, R> begin(Q request) {
        String kind = RequestCodec.kind(request);
        if (started >= outcomes.size()) {
            throw new IllegalArgumentException("the recording holds " + outcomes.size() + (outcomes.size() == 1
                    ? " measurement" : " measurements") + ": the application started one more, a " + kind);
        }
        Replayer.Outcome o = outcomes.get(started);
        String which = "the recording's measurement " + (started + 1) + " (" + o.recorded.kind + ")";
        if (!o.recorded.kind.equals(kind)) {
            throw new IllegalArgumentException(which + " is not a " + kind + ": the application started another "
                    + "measurement than the recording did");
        }
        JsonNode given = Codec.reread(RequestCodec.write(request)); // as the recording's line reads back
        @org.jspecify.annotations.Nullable String differs = difference(o.recorded.request, given);
        if (differs != null) {
            throw new IllegalArgumentException(which + " was asked for with another request: " + differs);
        }
        started++;
        // the recorded request (it is the one the recording ran), with the application's listener when both had one
        Object run = RequestCodec.listened(o.request) && RequestCodec.listened(request)
                ? RequestCodec.withListenerOf(o.request, request) : o.request;
        return (Measurement<Q, R>) loop.call(() -> Replayer.begin(engine, o, run));
    }

    /** The first field in which the two requests differ ({@code "maxTtl: recorded 30, given 20"}), or null. */
    static @org.jspecify.annotations.Nullable String difference(JsonNode recorded, JsonNode given) {
        for (Iterator<Map.Entry<String, JsonNode>> it = recorded.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("listener")) {
                continue;
            }
            JsonNode g = given.get(e.getKey());
            if (!e.getValue().equals(g)) {
                return e.getKey() + ": recorded " + e.getValue() + ", given " + (g == null ? "none" : g);
            }
        }
        for (Iterator<String> it = given.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!f.equals("listener") && !recorded.has(f)) {
                return f + ": recorded none, given " + given.get(f);
            }
        }
        return null;
    }

    @Override
    public <Q extends MeasurementRequest<R>, R> Measurement<Q, R> start(Q request) {
        MeasurementType<?, ?> type = MeasurementType.of(request).orElseThrow();
        if (!type.recordable()) {
            throw new UnsupportedOperationException("a " + (type == MeasurementType.BUFFERBLOAT ? "bufferbloat test"
                    : type.name()) + " is not recorded: a replay holds none");
        }
        return begin(request);
    }

    /** Waits for the replayed engine: the replay's loop thread ends it (its handle does not drive the loop). */
    @Override
    public <R> R measure(MeasurementRequest<R> request) {
        return start(request).await();
    }

    @Override
    public List<TransportInfo> transports() {
        return loop.call(engine::transports);
    }

    @Override
    public List<String> openTransports() {
        // a command run with --user opened them before its measurement: its replay does as it did
        return loop.call(() -> ((TransportOpening) engine).openTransports());
    }

    @Override
    public TracerStats stats() {
        return loop.call(engine::stats);
    }

    /** Does nothing: the replay closes the replayed engine when the application returns. */
    @Override
    public void close() {
        // the replay's
    }

    @Override
    public String toString() {
        return "PathTracer{replaying, " + started + " of " + outcomes.size() + " measurements started}";
    }
}
