package io.pathprobe.evidence.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.evidence.MaskedResults;
import io.pathprobe.evidence.Masking;
import io.pathprobe.json.MaskedJson;
import io.pathprobe.json.PathProbeJson;
import io.pathprobe.json.TraceJson;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.mtu.MtuResult;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.ping.PingResult;
import io.pathprobe.trace.TraceAllResult;
import io.pathprobe.trace.TraceResult;

/** A measurement's result as the JSON document the CLI prints for it (traceAll: the list of its traces). */
final class Documents {
    private Documents() {}

    static String json(String kind, Object request, Object result) {
        return switch (kind) {
            case "trace" -> PathProbeJson.trace((TraceResult) result);
            case "traceAll" -> PathProbeJson.write(((TraceAllResult) result).traces().stream()
                    .map(t -> (Object) TraceJson.tree(t)).toList());
            case "monitor" -> PathProbeJson.monitor((MonitorResult) result);
            case "multipath" -> PathProbeJson.multipath((MultipathResult) result);
            case "mtu" -> PathProbeJson.mtu((MtuResult) result);
            case "ping" -> PathProbeJson.ping((PingResult) result, (io.pathprobe.ping.PingRequest) request);
            default -> throw new IllegalArgumentException("no document for " + kind);
        };
    }

    static JsonNode tree(String kind, Object request, Object result, Masking masking) {
        try {
            return Codec.JSON.readTree(masking.active() ? masked(kind, request, result, masking)
                    : json(kind, request, result));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("pathprobe wrote a document it cannot read back", e);
        }
    }

    /** The document {@code --mask} prints: what {@code masking} hides, and what each result shows at those hops. */
    static String masked(String kind, Object request, Object result, Masking m) {
        return switch (kind) {
            case "trace" -> MaskedJson.trace((TraceResult) result, MaskedResults.learn(m, (TraceResult) result));
            case "traceAll" -> PathProbeJson.write(((TraceAllResult) result).traces().stream()
                    .map(t -> (Object) MaskedJson.tree(t, MaskedResults.learn(m, t))).toList());
            case "monitor" -> MaskedJson.monitor((MonitorResult) result,
                    MaskedResults.learn(m, (MonitorResult) result));
            case "multipath" -> MaskedJson.multipath((MultipathResult) result,
                    MaskedResults.learn(m, (MultipathResult) result));
            case "mtu" -> MaskedJson.mtu((MtuResult) result, MaskedResults.learn(m, (MtuResult) result));
            case "ping" -> MaskedJson.ping((PingResult) result, (io.pathprobe.ping.PingRequest) request, m);
            default -> throw new IllegalArgumentException("no document for " + kind);
        };
    }

    /** One line of compact JSON: how recorded and replayed documents are compared. */
    static String compact(JsonNode tree) {
        try {
            return Codec.JSON.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
