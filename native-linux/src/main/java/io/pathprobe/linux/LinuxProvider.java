package io.pathprobe.linux;

import io.pathprobe.linux.internal.socket.EngineThread;
import io.pathprobe.linux.internal.transport.LinuxAvailability;
import io.pathprobe.linux.internal.transport.LinuxTransportKind;
import io.pathprobe.linux.internal.transport.LinuxTransports;
import io.pathprobe.spi.Availability;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.spi.TransportCapability;
import java.util.Set;

/**
 * What the Linux providers share: each describes itself as one {@link LinuxTransportKind}, checks its availability
 * with {@link LinuxAvailability}, and opens the transport of its kind ({@link LinuxTransports}).
 */
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
        return LinuxAvailability.of(kind);
    }

    @Override
    public final ProbeTransport open() {
        return LinuxTransports.open(kind);
    }

    /**
     * Lowers the engine thread's timer slack to 1 µs, once per thread whichever provider asks ({@link EngineThread}).
     */
    @Override
    public final void configureEngineThread() {
        EngineThread.configure();
    }

    /**
     * Nice 10 for a load thread, once per thread whichever provider asks ({@link EngineThread#configureBackground()}).
     */
    @Override
    public final void configureBackgroundThread() {
        EngineThread.configureBackground();
    }

    @Override
    public final String toString() {
        return name();
    }
}
