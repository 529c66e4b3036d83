package io.pathprobe.spi;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Whether a transport can be used here and, when it cannot, why; and, where one thing would make it usable
 * (a capability, a sysctl), that thing ({@link #remedy()}), so that a note can name the fix in a few words; or
 * that it is a transport of another platform ({@link #otherPlatform()}), never usable here and not worth naming.
 */
public final class Availability {
    private static final Availability AVAILABLE = new Availability(null, null, false);
    private final @Nullable Throwable cause;
    private final @Nullable String remedy;
    private final boolean otherPlatform;

    private Availability(@Nullable Throwable cause, @Nullable String remedy, boolean otherPlatform) {
        this.cause = cause;
        this.remedy = remedy;
        this.otherPlatform = otherPlatform;
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
        return new Availability(new TransportException(Objects.requireNonNull(reason, "reason")), null, false);
    }

    /**
     * {@return the availability of a transport that cannot be used, for the reason given, caused by {@code cause}}
     *
     * @param reason why the transport cannot be used
     * @param cause what caused it
     */
    public static Availability unavailable(String reason, Throwable cause) {
        return new Availability(new TransportException(Objects.requireNonNull(reason, "reason"), cause), null, false);
    }

    /**
     * {@return the availability of a transport that cannot be used for the reason given, and that {@code remedy}
     * alone would make usable: e.g. "CAP_NET_RAW", or "gid 65534 in net.ipv4.ping_group_range (now '1 0')"}
     *
     * @param reason why the transport cannot be used, in full (the system call that failed, its errno)
     * @param remedy what would make it usable, in a few words: the thing a note names after "needs"
     * @param cause what caused it, or null
     */
    public static Availability unavailable(String reason, String remedy, @Nullable Throwable cause) {
        Objects.requireNonNull(reason, "reason");
        return new Availability(cause == null ? new TransportException(reason) : new TransportException(reason, cause),
                Objects.requireNonNull(remedy, "remedy"), false);
    }

    /**
     * {@return the availability of a transport made for another platform (another OS): never usable here, and left
     * out of the notes that say why a protocol could not be used}
     *
     * @param reason which platform it needs, e.g. "not macOS (os.name=Linux)"
     */
    public static Availability otherPlatform(String reason) {
        return new Availability(new TransportException(Objects.requireNonNull(reason, "reason")), null, true);
    }

    /**
     * {@return what alone would make the transport usable, in a few words ("CAP_NET_RAW", "gid 65534 in
     * net.ipv4.ping_group_range (now '1 0')"); empty when it is usable, or no one thing would do}
     */
    public Optional<String> remedy() {
        return Optional.ofNullable(remedy);
    }

    /** {@return whether the transport is made for another platform (another OS) than this one} */
    public boolean otherPlatform() {
        return otherPlatform;
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
