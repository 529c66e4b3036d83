package io.pathprobe.evidence.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pathprobe.MeasurementType;
import io.pathprobe.evidence.Masking;
import org.jspecify.annotations.Nullable;

/** A measurement's result as the JSON document the CLI prints for it (traceAll: the list of its traces). */
final class Documents {
    private Documents() {}

    static String json(String kind, Object request, Object result) {
        return type(kind).jsonOf(request, result);
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
        return type(kind).maskedOf(request, result, m, true);
    }

    private static MeasurementType<?, ?> type(String kind) {
        return MeasurementType.named(kind).orElseThrow(() -> new IllegalArgumentException("no document for " + kind));
    }

    /**
     * The replayed document as a recording made before the documents carried {@code cost} (issue 73) holds it: each
     * object's {@code cost} left out where the recorded object has none. Nothing is lost to the comparison: a cost
     * is derived from the same document's hops (or targets, or nodes), which are compared.
     */
    static JsonNode asRecorded(JsonNode replayed, @Nullable JsonNode recorded) {
        if (recorded == null) {
            return replayed;
        }
        if (replayed.isObject() && recorded.isObject()) {
            ObjectNode o = (ObjectNode) replayed;
            if (o.has("cost") && !recorded.has("cost")) {
                o.remove("cost");
            }
            o.fieldNames().forEachRemaining(f -> asRecorded(o.get(f), recorded.get(f)));
        } else if (replayed.isArray() && recorded.isArray()) {
            for (int i = 0; i < Math.min(replayed.size(), recorded.size()); i++) {
                asRecorded(replayed.get(i), recorded.get(i));
            }
        }
        return replayed;
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
