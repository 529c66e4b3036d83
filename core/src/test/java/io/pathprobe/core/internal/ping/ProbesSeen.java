package io.pathprobe.core.internal.ping;

import io.pathprobe.ping.PingListener;
import io.pathprobe.ping.PingProbe;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A ping listener for tests: each probe as it was decided, and each probe a late answer came for, in order. */
public final class ProbesSeen implements PingListener {
    /** Each probe as it was decided (received or lost). */
    public final List<PingProbe> completed = new CopyOnWriteArrayList<>();
    /** Each probe a late answer came for. */
    public final List<PingProbe> late = new CopyOnWriteArrayList<>();

    @Override
    public void probeCompleted(int index, String target, PingProbe probe) {
        completed.add(probe);
    }

    @Override
    public void late(int index, String target, PingProbe probe) {
        late.add(probe);
    }
}
