package io.pathprobe;

import org.jspecify.annotations.Nullable;

/** The target is not an address and did not resolve to one this tracer can probe. */
public final class UnknownTargetException extends PathProbeException {
    private static final long serialVersionUID = 1L;
    private final String target;

    public UnknownTargetException(String target, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.target = target;
    }

    /** The target as given. */
    public String target() {
        return target;
    }
}
