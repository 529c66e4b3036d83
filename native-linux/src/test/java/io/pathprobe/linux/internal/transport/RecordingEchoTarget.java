package io.pathprobe.linux.internal.transport;

import io.pathprobe.linux.internal.codec.IcmpEcho;
import io.pathprobe.linux.internal.socket.Destination;
import io.pathprobe.linux.internal.socket.NativeMemory;
import io.pathprobe.nativecommon.IcmpEchoFormat;
import java.net.InetAddress;

/**
 * An echo session's target for tests: its destination, cookie and identifier, and every response delivered
 * to it, answered with {@link #outcome} (null: accepted). Its base sum is that of the tests' requests,
 * written with {@link IcmpEcho#writeRequest} for this identifier and cookie (no pseudo-header in their sum).
 */
class RecordingEchoTarget extends RecordingTarget implements RawIcmpTransport.EchoTarget {
    final Destination destination;
    final long cookie;
    private final int identifier;

    RecordingEchoTarget(InetAddress destination, int identifier, long cookie) {
        this.destination = new Destination(destination);
        this.identifier = identifier;
        this.cookie = cookie;
    }

    @Override
    public Destination destination() {
        return destination;
    }

    @Override
    public long cookie() {
        return cookie;
    }

    @Override
    public int baseSum() {
        NativeMemory m = NativeMemory.allocate(IcmpEchoFormat.LENGTH);
        try {
            IcmpEcho.writeRequest(m.pointer(), destination.ipv6, identifier, cookie, true);
            return IcmpEcho.baseSum(m.pointer());
        } finally {
            m.free();
        }
    }
}
