package io.pathprobe.evidence.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.MeasurementType;
import io.pathprobe.evidence.Masking;

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

    /** One line of compact JSON: how recorded and replayed documents are compared. */
    static String compact(JsonNode tree) {
        try {
            return Codec.JSON.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
