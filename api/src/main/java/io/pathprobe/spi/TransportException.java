package io.pathprobe.spi;

import io.pathprobe.PathProbeException;
import org.jspecify.annotations.Nullable;

/** A transport could not be opened or used (a setup error, not a per-probe outcome). */
public class TransportException extends PathProbeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with this message.
     *
     * @param message what failed
     */
    public TransportException(String message) {
        super(message);
    }

    /**
     * An exception with this message and cause.
     *
     * @param message what failed
     * @param cause what caused it, or null
     */
    public TransportException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
