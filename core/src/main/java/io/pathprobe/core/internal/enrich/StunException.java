package io.pathprobe.core.internal.enrich;

import java.io.IOException;
import java.util.Optional;

/** A STUN Binding transaction that failed. */
public final class StunException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why. */
    public enum Kind {
        /** No answer within the timeout, after every retransmission. */
        TIMEOUT,
        /**
         * Only malformed datagrams came back (ignored until the timeout), or an answer to our
         * transaction could not be read (a bad attribute, a success without a mapped address).
         */
        MALFORMED,
        /** The server answered with an error response (0x0111) and an ERROR-CODE. */
        ERROR_RESPONSE,
        /** Sending or receiving failed (e.g. ICMP port unreachable: nothing listens). */
        IO
    }

    private final Kind kind;
    private final int errorCode;
    private final String reason;

    public StunException(Kind kind, String message) {
        this(kind, message, -1, "");
    }

    StunException(Kind kind, String message, int errorCode, String reason) {
        super(message);
        this.kind = kind;
        this.errorCode = errorCode;
        this.reason = reason;
    }

    public Kind kind() {
        return kind;
    }

    /** The ERROR-CODE (300..699) of an {@link Kind#ERROR_RESPONSE}. */
    public Optional<Integer> errorCode() {
        return errorCode < 0 ? Optional.empty() : Optional.of(errorCode);
    }

    /** The reason phrase of an {@link Kind#ERROR_RESPONSE} ("" if none). */
    public String reason() {
        return reason;
    }
}
