package io.pathprobe;

import java.net.URI;
import java.util.Objects;

/** The responsiveness server of a bufferbloat test cannot be used; {@link #reason()} says why. */
public final class ResponsivenessServerException extends PathProbeException {
    private static final long serialVersionUID = 1L;

    /** Why the server cannot be used. */
    public enum Reason {
        /** Nothing answers (no route, timeout, unknown host). */
        UNREACHABLE,
        /** The connection was refused. */
        REFUSED,
        /** An https URL reached a server that does not speak TLS (e.g. plain HTTP/1.1 only). */
        NOT_TLS,
        /** The server's certificate was rejected (use {@code insecure(true)} for a self-signed lab server). */
        CERTIFICATE_REJECTED,
        /** The configuration ({@code /.well-known/nq}) is missing or invalid, or a URL answers an error. */
        BAD_CONFIGURATION
    }

    /** Why the server cannot be used. */
    private final Reason reason;
    /** The server's URL. */
    private final URI server;

    /**
     * An exception for this server.
     *
     * @param reason why the server cannot be used
     * @param server the server's URL
     * @param message what failed, in words
     * @param cause what caused it
     */
    public ResponsivenessServerException(Reason reason, URI server, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.server = Objects.requireNonNull(server, "server");
    }

    /** {@return why the server cannot be used} */
    public Reason reason() {
        return reason;
    }

    /** {@return the server's URL} */
    public URI server() {
        return server;
    }
}
