package io.pathprobe.linux;

import io.pathprobe.linux.internal.LinuxTransportKind;
import io.pathprobe.spi.Availability;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.spi.TransportCapability;
import java.util.Set;

/** What the three Linux providers share: each is one {@link LinuxTransportKind}. */
abstract class LinuxProvider implements ProbeTransportProvider {
    private final LinuxTransportKind kind;

    /** Cheap: nothing is checked or opened until {@link #availability()} or {@link #open()}. */
    LinuxProvider(LinuxTransportKind kind) {
        this.kind = kind;
    }

    @Override
    public final String name() {
        return kind.providerName();
    }

    @Override
    public final int priority() {
        return kind.priority();
    }

    @Override
    public final Set<TransportCapability> capabilities() {
        return kind.capabilities();
    }

    @Override
    public final Availability availability() {
        return kind.availability();
    }

    @Override
    public final ProbeTransport open() {
        return kind.open();
    }

    @Override
    public final String toString() {
        return name();
    }
}
