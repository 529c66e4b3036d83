package io.pathprobe.lab;

import org.jspecify.annotations.Nullable;

/**
 * A lab could not be built, used or torn down. The message names what was being done, the command
 * that failed and what it wrote to standard error.
 */
public class LabException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LabException(String message) {
        super(message);
    }

    public LabException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
