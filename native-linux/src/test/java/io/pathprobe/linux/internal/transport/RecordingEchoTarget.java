package io.pathprobe.linux.internal.transport;

import io.pathprobe.linux.internal.codec.IcmpEcho;
import io.pathprobe.linux.internal.socket.Destination;
import io.pathprobe.linux.internal.socket.NativeMemory;
import io.pathprobe.nativecommon.IcmpEchoFormat;
import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.ProbeResponse;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An echo session's target for tests: its destination, cookie and identifier, and every response delivered
 * to it, answered with {@link #outcome} (null: accepted). Its base sum is that of the tests' requests,
 * written with {@link IcmpEcho#writeRequest} for this identifier and cookie (no pseudo-header in their sum).
 */
class RecordingEchoTarget implements RawIcmpTransport.EchoTarget {
    final Destination destination;
    final long cookie;
    private final int identifier;
    final List<ProbeResponse> responses = new ArrayList<>();
    /** What {@link #accept} answers (null: accepted). */
    @Nullable DropReason outcome;

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
    public @Nullable DropReason accept(ProbeResponse response) {
        responses.add(response);
        return outcome;
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
