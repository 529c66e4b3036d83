package io.pathprobe.linux.internal.transport;

import io.pathprobe.linux.internal.codec.InConnectionKey;
import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.ProbeResponse;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** An in-connection probe target for tests: one connection's key, and every response delivered to it, accepted. */
final class RecordingConnectionTarget implements InConnectionTransport.ConnectionTarget {
    final InConnectionKey key;
    final List<ProbeResponse> responses = new ArrayList<>();

    RecordingConnectionTarget(InConnectionKey key) {
        this.key = key;
    }

    @Override
    public InConnectionKey key() {
        return key;
    }

    @Override
    public @Nullable DropReason accept(ProbeResponse response) {
        responses.add(response);
        return null;
    }
}
