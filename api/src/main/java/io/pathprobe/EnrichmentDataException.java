package io.pathprobe;

import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A local enrichment file ({@link PathTracerBuilder#geoDatabase} or {@link PathTracerBuilder#peeringDbDump}) cannot
 * be used: missing, unreadable, not the format it should be, corrupt or truncated, or the library that reads it
 * is not on the class path. Thrown by {@link PathTracerBuilder#build()}, naming the file and the cause; nothing
 * of the tracer is left running.
 */
public final class EnrichmentDataException extends PathProbeException {
    private static final long serialVersionUID = 1L;
    /** The file that cannot be used. */
    private final transient Path file;

    /**
     * An exception about this file.
     *
     * @param file the file that cannot be used
     * @param message what failed, in words, the file's name included
     * @param cause what caused it, or null
     */
    public EnrichmentDataException(Path file, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.file = Objects.requireNonNull(file, "file");
    }

    /** {@return the file that cannot be used, as it was given} */
    public Path file() {
        return file;
    }
}
