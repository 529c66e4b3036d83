package io.pathprobe.spi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Whether a transport can be used here and, when it cannot, why. */
public final class Availability {
    private static final Availability AVAILABLE = new Availability(null);
    private final @Nullable Throwable cause;

    private Availability(@Nullable Throwable cause) {
        this.cause = cause;
    }

    /** {@return the availability of a transport that can be used} */
    public static Availability available() {
        return AVAILABLE;
    }

    /**
     * {@return the availability of a transport that cannot be used, for the reason given (e.g.
     * "ping_group_range 1 0 excludes gid 65534")}
     *
     * @param reason why the transport cannot be used
     */
    public static Availability unavailable(String reason) {
        return new Availability(new TransportException(Objects.requireNonNull(reason, "reason")));
    }

    /**
     * {@return the availability of a transport that cannot be used, for the reason given, caused by {@code cause}}
     *
     * @param reason why the transport cannot be used
     * @param cause what caused it
     */
    public static Availability unavailable(String reason, Throwable cause) {
        return new Availability(new TransportException(Objects.requireNonNull(reason, "reason"), cause));
    }

    /** {@return whether the transport can be used} */
    public boolean isAvailable() {
        return cause == null;
    }

    /** {@return why the transport cannot be used; null when it can} */
    public @Nullable Throwable unavailabilityCause() {
        return cause;
    }

    /** {@return the reason as text: "available", or the cause's message} */
    public String reason() {
        if (cause == null) {
            return "available";
        }
        String m = cause.getMessage();
        return m == null ? cause.toString() : m;
    }

    @Override
    public String toString() {
        return isAvailable() ? "available" : "unavailable: " + reason();
    }
}
