package io.pathprobe;

import org.jspecify.annotations.Nullable;

/** Base of the exceptions pathprobe throws for setup and lifecycle errors. */
public class PathProbeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with this message.
     *
     * @param message what went wrong
     */
    public PathProbeException(String message) {
        super(message);
    }

    /**
     * An exception with this message and cause.
     *
     * @param message what went wrong
     * @param cause what caused it, or null
     */
    public PathProbeException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
