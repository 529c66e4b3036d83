package io.pathprobe.core.internal.sim;

import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.SendFailedException;

/**
 * A session that hands its sequence range, its sends, its after-pending-answers actions and its close to
 * {@code inner} (the other members keep their defaults): a test overrides the one it changes.
 */
public class ForwardingSession implements ProbeSession {
    private final ProbeSession inner;

    public ForwardingSession(ProbeSession inner) {
        this.inner = inner;
    }

    @Override
    public int maxSequence() {
        return inner.maxSequence();
    }

    @Override
    public long send(ProbeSpec probe) throws SendFailedException {
        return inner.send(probe);
    }

    @Override
    public void afterPendingAnswers(Runnable action) {
        inner.afterPendingAnswers(action);
    }

    @Override
    public void close() {
        inner.close();
    }
}
