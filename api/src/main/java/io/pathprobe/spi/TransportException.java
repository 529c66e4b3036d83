package io.pathprobe.spi;

import io.pathprobe.PathProbeException;
import org.jspecify.annotations.Nullable;

/** A transport could not be opened or used (a setup error, not a per-probe outcome). */
public class TransportException extends PathProbeException {
    private static final long serialVersionUID = 1L;

    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
