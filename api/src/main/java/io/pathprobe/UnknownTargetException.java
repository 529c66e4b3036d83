package io.pathprobe;

import io.pathprobe.trace.TraceRequest;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
/** The target is not an address and did not resolve to one this tracer can probe. */
public final class UnknownTargetException extends PathProbeException {
    private static final long serialVersionUID = 1L;
    /** The target as given. */
    private final String target;
    /** Why it cannot be probed. */
    private final Reason reason;

    /** Why the target cannot be probed. */
    public enum Reason {
        /** A name that did not resolve (or resolved to no address, or resolution failed or timed out). */
        UNRESOLVED,
        /** Looks like an address literal but is not a valid one ("300.1.2.3"). */
        INVALID_LITERAL,
        /** An address no probe can go to: unspecified, multicast or broadcast. */
        NOT_UNICAST,
        /** A literal of the other IP version than the request asks for ({@link TraceRequest#ipVersion()}). */
        WRONG_IP_VERSION,
        /**
         * Neither a host name nor an address: a URL ({@code "https://host/path"}), a host with a path,
         * or characters no host name has (space, {@code /}, {@code @}); nothing was looked up.
         */
        NOT_A_HOST
    }

    /**
     * An exception for this target.
     *
     * @param target the target as given
     * @param reason why it cannot be probed
     * @param message what failed, in words
     * @param cause what caused it, or null
     */
    public UnknownTargetException(String target, Reason reason, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.target = Objects.requireNonNull(target, "target");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * A target that did not resolve.
     *
     * @param target the target as given
     * @param message what failed, in words
     * @param cause what caused it, or null
     */
    public UnknownTargetException(String target, String message, @Nullable Throwable cause) {
        this(target, Reason.UNRESOLVED, message, cause);
    }

    /** {@return the target as given} */
    public String target() {
        return target;
    }

    /** {@return why it cannot be probed} */
    public Reason reason() {
        return reason;
    }
}
