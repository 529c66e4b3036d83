package io.pathprobe.core.internal.enrich;

import java.io.IOException;

/** A DNS lookup that failed: no answer, or an answer that says the server could not give one. */
public final class DnsException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why. */
    public enum Kind {
        /** No answer within the timeout, after every retry. */
        TIMEOUT,
        /** The server answered SERVFAIL, REFUSED, FORMERR, NOTIMP or another failure code. */
        SERVER_FAILURE,
        /** The answer was truncated (TC) and there is no retry over TCP. */
        TRUNCATED,
        /** Sending or receiving failed (e.g. nothing listens on the server's port: ICMP port unreachable). */
        IO
    }

    private final Kind kind;

    public DnsException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public DnsException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
