package io.pathprobe.json;

import static io.pathprobe.json.JsonTrees.list;
import static io.pathprobe.json.JsonTrees.ms;

import io.pathprobe.bufferbloat.BufferbloatGrade;
import io.pathprobe.bufferbloat.BufferbloatLoad;
import io.pathprobe.bufferbloat.BufferbloatResult;
import io.pathprobe.bufferbloat.DirectionResult;
import io.pathprobe.bufferbloat.LatencySample;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The bufferbloat document ({@code pathprobe bufferbloat --format json}),
 * docs/schema/bufferbloat.schema.json: the document as text ({@code write}) and, with each of its
 * parts, as a tree ({@code tree}). The conventions every document follows are the
 * {@linkplain io.pathprobe.json package's}.
 */
public final class BufferbloatJson {
    /**
     * The bufferbloat document's version. 1: the first. 2: {@code grade} is null for a test that did
     * not complete (its load failed, it hit its time limit, or it was cancelled). 3:
     * {@code loadedLatencyP99Ms}, {@code rpmP90}, {@code rpmP99} and {@code load} per direction (its
     * congestion control, whether its flows were opened together, the capacity estimate and the share of
     * it the load carried); {@code grade} is also null for a test whose load did not hold the link. 4:
     * the statuses every document shares, {@code COMPLETED} and {@code DEADLINE_EXCEEDED} (were
     * {@code COMPLETE} and {@code TIME_LIMIT}; the one rename before 0.1).
     */
    public static final int SCHEMA_VERSION = 4;

    private BufferbloatJson() {}

    /**
     * {@return the bufferbloat document}
     *
     * @param result the bufferbloat result
     */
    public static String write(BufferbloatResult result) {
        return JsonText.write(tree(result), true);
    }

    /**
     * Writes the bufferbloat document to {@code out}.
     *
     * @param result the bufferbloat result
     * @param out where the document is written
     * @throws IOException if {@code out} fails
     */
    public static void write(BufferbloatResult result, Appendable out) throws IOException {
        JsonText.write(tree(result), true, out);
    }

    /**
     * {@return the bufferbloat document as a tree}
     *
     * @param r the bufferbloat result
     */
    public static Map<String, @Nullable Object> tree(BufferbloatResult r) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", SCHEMA_VERSION);
        m.put("server", r.server().toString());
        m.put("status", r.status().name());
        m.put("durationMs", ms(r.duration()));
        m.put("idleLatencyMs", ms(r.idleLatency()));
        Map<String, @Nullable Object> loaded = new LinkedHashMap<>();
        loaded.put("download", r.download().map(d -> ms(d.loadedLatency())).orElse(null));
        loaded.put("upload", r.upload().map(d -> ms(d.loadedLatency())).orElse(null));
        m.put("loadedLatencyMs", loaded);
        Map<String, @Nullable Object> p90 = new LinkedHashMap<>();
        p90.put("download", r.download().map(d -> ms(d.loadedLatencyP90())).orElse(null));
        p90.put("upload", r.upload().map(d -> ms(d.loadedLatencyP90())).orElse(null));
        m.put("loadedLatencyP90Ms", p90);
        m.put("loadedLatencyP99Ms", perDirection(r, d -> ms(d.loadedLatencyP99())));
        m.put("latencyIncreaseMs", ms(r.latencyIncrease()));
        m.put("grade", r.grade().map(BufferbloatGrade::text).orElse(null));
        m.put("rpm", r.rpm().map(Math::round).orElse(null));
        m.put("rpmCategory", r.rpmCategory().map(Enum::name).orElse(null));
        m.put("rpmP90", perDirection(r, d -> d.rpmP90().map(Math::round).orElse(null)));
        m.put("rpmP99", perDirection(r, d -> d.rpmP99().map(Math::round).orElse(null)));
        m.put("confidence", r.confidence().name());
        m.put("downloadMbps", mbps(r.download()));
        m.put("uploadMbps", mbps(r.upload()));
        m.put("downloadFlows", r.download().map(DirectionResult::flows).orElse(null));
        m.put("uploadFlows", r.upload().map(DirectionResult::flows).orElse(null));
        m.put("load", perDirection(r, d -> tree(d.load())));
        m.put("notes", new ArrayList<@Nullable Object>(r.notes()));
        m.put("samples", list(r.samples(), BufferbloatJson::tree));
        return m;
    }

    /**
     * {@return a latency sample as a tree (an element of the bufferbloat document's {@code samples})}
     *
     * @param s the sample
     */
    public static Map<String, @Nullable Object> tree(LatencySample s) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("atMs", ms(s.at()));
        m.put("phase", s.phase().name());
        m.put("kind", s.kind().name());
        m.put("rttMs", ms(s.rtt()));
        return m;
    }

    /**
     * {@return the load one direction was measured under as a tree (a value of the bufferbloat
     * document's {@code load})}
     *
     * @param l the load
     */
    public static Map<String, @Nullable Object> tree(BufferbloatLoad l) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("congestionControl", l.congestionControl().orElse(null));
        m.put("startedTogether", l.startedTogether());
        m.put("capacityMbps", Math.round(l.capacityBitsPerSecond() / 1e4) / 100.0);
        m.put("saturation", Math.round(l.saturation() * 1000) / 1000.0);
        m.put("saturated", l.saturated());
        m.put("durationMs", ms(l.duration()));
        return m;
    }

    /** {@code {"download": .., "upload": ..}}, null for a direction that did not run. */
    private static Map<String, @Nullable Object> perDirection(BufferbloatResult r,
            Function<DirectionResult, @Nullable Object> f) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("download", r.download().map(f).orElse(null));
        m.put("upload", r.upload().map(f).orElse(null));
        return m;
    }

    private static @Nullable Double mbps(Optional<DirectionResult> d) {
        return d.map(x -> Math.round(x.megabitsPerSecond() * 100) / 100.0).orElse(null);
    }
}
