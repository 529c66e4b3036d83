package io.pathprobe.ping;

import io.pathprobe.UnknownTargetException;
import io.pathprobe.probe.IcmpMessage;
import io.pathprobe.trace.TraceStatus;
import io.pathprobe.util.Checks;
import java.net.InetAddress;
import java.util.Optional;
/**
 * What went wrong for one ping target: data, never an exception, so one bad name among a thousand
 * targets stops nothing else.
 *
 * @param type what kind of error
 * @param message the error in words
 * @param icmp for {@link Type#UNREACHABLE}: the ICMP message (type and code) that reported it
 * @param responder for {@link Type#UNREACHABLE}: who sent it (a router, or the destination)
 */
public record PingError(Type type, String message, Optional<IcmpMessage> icmp, Optional<InetAddress> responder) {

    /** Kinds of per-target errors. May grow. */
    public enum Type {
        /** The name did not resolve, or the literal is not a usable address ({@link UnknownTargetException.Reason}). */
        UNKNOWN_TARGET,
        /** No transport can send this kind of probe to this address family. */
        NO_TRANSPORT,
        /**
         * An ICMP error answered a probe instead of the destination: destination unreachable (any code
         * but the destination's own port unreachable for UDP), or time exceeded (TTL too small).
         * The last such error is kept; the probe itself counts as lost.
         */
        UNREACHABLE,
        /**
         * This host has no route to the target: its ping ended at the first send that found none (as
         * {@link TraceStatus#NO_ROUTE}); the other targets go on.
         */
        NO_ROUTE,
        /**
         * A probe could not be sent (the last failure is kept); it is not counted as sent. A transient
         * failure (a full buffer) lets the target go on; one that can never succeed (no source address
         * of the target's family, e.g. an IPv6 target on an IPv4-only host: as
         * {@link TraceStatus#SEND_FAILED}) ends this target's ping at once, and the others go on.
         */
        SEND_FAILED,
        /** The target's measurement failed (a bug or a transport failure): the message says what. */
        FAILED
    }

    /**
     * Checks the components (see the record's description).
     *
     * @param type what kind of error
     * @param message the error in words
     * @param icmp for {@link Type#UNREACHABLE}: the ICMP message (type and code) that reported it
     * @param responder for {@link Type#UNREACHABLE}: who sent it (a router, or the destination)
     * @throws NullPointerException if a component is null
     */
    public PingError {
        Checks.nonNull("type", type, "message", message, "icmp", icmp, "responder", responder);
    }

    /**
     * {@return an error without ICMP details}
     *
     * @param type the kind of error
     * @param message the error in words
     */
    public static PingError of(Type type, String message) {
        return new PingError(type, message, Optional.empty(), Optional.empty());
    }

    @Override
    public String toString() {
        return message;
    }
}
