package io.pathprobe.core.internal.enrich;

import io.pathprobe.EnrichmentDataException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** The checks and the error every local enrichment file (GeoIP database, PeeringDB dump) shares. */
final class LocalFiles {
    private LocalFiles() {}

    /** Fails unless {@code file} is a readable regular file. */
    static void checkReadable(Path file, String what) {
        if (!Files.exists(file)) {
            throw error(file, what, "no such file", null);
        }
        if (!Files.isRegularFile(file)) {
            throw error(file, what, "not a regular file", null);
        }
        if (!Files.isReadable(file)) {
            throw error(file, what, "not readable (permission denied)", null);
        }
    }

    /**
     * Fails, naming {@code file} and {@code needs}, unless {@code className} of an optional dependency that reads
     * such files can be loaded (it is not initialised). Called before any class that names the dependency's
     * classes is loaded: linking one without them is a {@link NoClassDefFoundError}, not this typed error.
     */
    static void requireReader(Path file, String what, String className, String needs) {
        try {
            Class.forName(className, false, LocalFiles.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw error(file, what, needs, null);
        }
    }

    /**
     * {@code "GeoIP database /x/city.mmdb: corrupt or truncated ... (the cause)"}, on one line; a message that ends
     * with its own parenthesis already says the cause.
     */
    static EnrichmentDataException error(Path file, String what, String message, @Nullable Throwable cause) {
        String why = cause == null || cause.getMessage() == null || message.endsWith(")") ? ""
                : " (" + oneLine(cause) + ")";
        return new EnrichmentDataException(file, what + " " + file + ": " + message + why, cause);
    }

    private static String oneLine(Throwable cause) {
        String m = String.valueOf(cause.getMessage()).replaceAll("\\s+", " ").strip();
        return m.length() > 200 ? m.substring(0, 200) + "..." : m;
    }
}
