package io.pathprobe.core.internal.sim;

import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.TransportCapability;
import java.util.Set;

/** A test transport with a fixed name and capabilities: a test writes only what its sessions do. */
public abstract class NamedTransport implements ProbeTransport {
    private final String name;
    private final Set<TransportCapability> capabilities;

    protected NamedTransport(String name, Set<TransportCapability> capabilities) {
        this.name = name;
        this.capabilities = capabilities;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Set<TransportCapability> capabilities() {
        return capabilities;
    }
}
