package io.pathprobe.core.internal.runtime;

import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.SendFailedException;
import org.jspecify.annotations.Nullable;

/** A send a {@link ProbeRun} made on its lane: the system call there, its outcome on the loop. */
final class LaneSend extends SendLanes.Work {
    private final ProbeRun<?> run;
    private final ProbeSession session;
    final ProbeSpec probe;
    final long tick;
    long sentNanos;
    /** Whether send() returned (else {@link #failure} says why, or an Error ended the lane's task). */
    boolean sent;
    @Nullable Throwable failure;
    boolean skipped;

    LaneSend(ProbeRun<?> run, ProbeSession session, ProbeSpec probe, long tick) {
        this.run = run;
        this.session = session;
        this.probe = probe;
        this.tick = tick;
    }

    @Override
    protected void onLane() {
        if (run.ending()) {
            skipped = true; // the run ended: its session is closing
            return;
        }
        try {
            sentNanos = session.send(probe);
            sent = true;
        } catch (SendFailedException | RuntimeException | Error e) { // an Error fails the run, as on the loop
            failure = e;
        }
    }

    @Override
    protected void onLoop() {
        run.reported(this);
    }
}
