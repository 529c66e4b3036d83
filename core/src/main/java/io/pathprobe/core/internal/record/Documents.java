package io.pathprobe.core.internal.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
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

    static JsonNode tree(String kind, Object request, Object result) {
        try {
            return Codec.JSON.readTree(json(kind, request, result));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("pathprobe wrote a document it cannot read back", e);
        }
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
