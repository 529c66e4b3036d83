package io.pathprobe.core.internal.sim;

import io.pathprobe.spi.Availability;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.spi.TransportCapability;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** A provider for registry tests: fixed name, priority, capabilities and availability; may open slowly. */
public final class FakeProvider implements ProbeTransportProvider {
    private final String name;
    private final int priority;
    private final Set<TransportCapability> capabilities;
    private final Availability availability;
    private final Supplier<ProbeTransport> open;
    public final AtomicInteger opened = new AtomicInteger();
    /** When set, open() waits for it (bounded): opening a transport may take long. */
    public volatile CountDownLatch openGate;

    public FakeProvider(String name, int priority, Set<TransportCapability> capabilities, Availability availability,
            Supplier<ProbeTransport> open) {
        this.name = name;
        this.priority = priority;
        this.capabilities = capabilities;
        this.availability = availability;
        this.open = open;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int priority() {
        return priority;
    }

    @Override
    public Set<TransportCapability> capabilities() {
        return capabilities;
    }

    @Override
    public Availability availability() {
        return availability;
    }

    @Override
    public ProbeTransport open() {
        CountDownLatch gate = openGate;
        if (gate != null) {
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        opened.incrementAndGet();
        return open.get();
    }
}
