package io.pathprobe.core.internal.runtime;

import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.SendFailedException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A session opened by its first {@link #send} (or {@link #maxSequence}), for one a measurement may never use: a UDP
 * trace's TCP confirm of its destination is sent only when the destination did not answer, and opening and closing
 * a session of a second transport for every trace (two I/O threads to wait for at its end) cost a warm trace about
 * 0.2 ms. Used as a session is: never by two threads at once. Closed without having been opened, it opens nothing.
 */
public final class LazySession implements ProbeSession {
    private final Supplier<ProbeSession> open;
    private volatile @Nullable ProbeSession session;
    private volatile boolean closed;

    /** @param open opens the session (what it throws, {@link #send} throws) */
    public LazySession(Supplier<ProbeSession> open) {
        this.open = open;
    }

    private ProbeSession session() {
        ProbeSession s = session;
        if (s == null) {
            if (closed) {
                throw new IllegalStateException("session is closed");
            }
            s = open.get();
            session = s;
        }
        return s;
    }

    @Override
    public int maxSequence() {
        return session().maxSequence();
    }

    @Override
    public int maxFlow() {
        return session().maxFlow();
    }

    @Override
    public int maxInFlight() {
        ProbeSession s = session;
        return s == null ? Integer.MAX_VALUE : s.maxInFlight();
    }

    @Override
    public long send(ProbeSpec probe) throws SendFailedException {
        return session().send(probe);
    }

    @Override
    public void afterPendingAnswers(Runnable action) {
        ProbeSession s = session;
        if (s == null) {
            action.run(); // never opened: nothing was received
        } else {
            s.afterPendingAnswers(action);
        }
    }

    @Override
    public void close() {
        closed = true;
        ProbeSession s = session;
        if (s != null) {
            s.close();
        }
    }
}
