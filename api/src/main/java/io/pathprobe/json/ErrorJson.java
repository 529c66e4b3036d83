package io.pathprobe.json;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The error document, docs/schema/error.schema.json: what the command line prints on stdout instead
 * of a result when a run with {@code --format json} fails,
 * {@code {"schemaVersion": 1, "error": {"type": type, "message": message}}}.
 */
public final class ErrorJson {
    /** The error document's version. 1: the first. */
    public static final int SCHEMA_VERSION = 1;

    private ErrorJson() {}

    /**
     * {@return the error document}
     *
     * @param type the error's type
     * @param message the error's message
     */
    public static String write(String type, String message) {
        return JsonText.write(tree(type, message), true);
    }

    /**
     * {@return the error document as a tree}
     *
     * @param type the error's type
     * @param message the error's message
     */
    public static Map<String, @Nullable Object> tree(String type, String message) {
        Map<String, @Nullable Object> e = new LinkedHashMap<>();
        e.put("type", type);
        e.put("message", message);
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", SCHEMA_VERSION);
        m.put("error", e);
        return m;
    }
}
