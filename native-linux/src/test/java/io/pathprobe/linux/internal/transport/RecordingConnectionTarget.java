package io.pathprobe.linux.internal.transport;

import io.pathprobe.linux.internal.codec.InConnectionKey;

/** An in-connection probe target for tests: one connection's key, and every response delivered to it, accepted. */
final class RecordingConnectionTarget extends RecordingTarget implements InConnectionTransport.ConnectionTarget {
    final InConnectionKey key;

    RecordingConnectionTarget(InConnectionKey key) {
        this.key = key;
    }

    @Override
    public InConnectionKey key() {
        return key;
    }
}
