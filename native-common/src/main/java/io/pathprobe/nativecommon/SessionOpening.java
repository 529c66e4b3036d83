package io.pathprobe.nativecommon;

import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportException;
import java.util.Objects;

/**
 * What every native transport checks around opening a session: before, its arguments and that the transport is
 * open; after, that the transport did not close meanwhile (a close() racing with the opening may not have seen the
 * new session).
 */
public final class SessionOpening {
    private SessionOpening() {}

    /**
     * Refuses a null {@code spec} or {@code listener} (NullPointerException), and a {@code closed} transport
     * ({@link TransportException} "{@code name}: transport is closed").
     */
    public static void requireOpen(String name, boolean closed, SessionSpec spec, ResponseListener listener) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(listener, "listener");
        if (closed) {
            throw closed(name);
        }
    }

    /** {@code session}; unless the transport is {@code closed} by now: then it closes the session and refuses. */
    public static <S extends ProbeSession> S unlessClosed(String name, boolean closed, S session) {
        if (closed) {
            session.close();
            throw closed(name);
        }
        return session;
    }

    private static TransportException closed(String name) {
        return new TransportException(name + ": transport is closed");
    }
}
