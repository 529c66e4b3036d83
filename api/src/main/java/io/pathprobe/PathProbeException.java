package io.pathprobe;

import org.jspecify.annotations.Nullable;

/** Base of the exceptions pathprobe throws for setup and lifecycle errors. */
public class PathProbeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PathProbeException(String message) {
        super(message);
    }

    public PathProbeException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
