package io.pathprobe.spi;

import org.jspecify.annotations.Nullable;

/**
 * A transport could not be opened or used (a setup error, not a per-probe outcome). Thrown by a transport to
 * the engine, which tells the user as a {@link io.pathprobe.PathProbeException} with it as the cause (the SPI
 * depends on the API's values only, never on the tracer above it).
 */
public class TransportException extends RuntimeException {
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
