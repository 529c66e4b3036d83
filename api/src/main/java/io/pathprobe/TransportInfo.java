package io.pathprobe;

import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.TransportCapability;
import io.pathprobe.spi.TransportCounters;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
/**
 * A transport a tracer knows of, as {@link PathTracer#transports()} lists them: what it can do,
 * whether this process can use it and why not, and what its receive path has counted.
 *
 * @param name the transport's name, e.g. "linux-icmp-dgram"
 * @param priority higher is preferred among the usable transports that can do what a trace needs
 * @param capabilities protocols, address families, flow policies, privilege
 * @param available whether this process can use it
 * @param reason "available", or why not (e.g. "needs CAP_NET_RAW (socket(...): EPERM)")
 * @param counters what its receive path has read, delivered and dropped; empty until the tracer
 *     opened it, or if it does not count
 */
public record TransportInfo(String name, int priority, Set<TransportCapability> capabilities, boolean available,
        String reason, Optional<TransportCounters> counters) {
    /**
     * Checks the components (see the record's description) and copies {@code capabilities}.
     *
     * @param name the transport's name, e.g. "linux-icmp-dgram"
     * @param priority higher is preferred among the usable transports that can do what a trace needs
     * @param capabilities protocols, address families, flow policies, privilege
     * @param available whether this process can use it
     * @param reason "available", or why not (e.g. "needs CAP_NET_RAW (socket(...): EPERM)")
     * @param counters what its receive path has read, delivered and dropped; empty until the tracer opened
     *     it, or if it does not count
     * @throws NullPointerException if a component other than {@code priority} and {@code available} is null,
     *     or {@code capabilities} holds null
     */
    public TransportInfo {
        Objects.requireNonNull(name, "name");
        capabilities = Set.copyOf(capabilities);
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(counters, "counters");
    }

    /**
     * {@return whether it sends this protocol's probes (availability aside)}
     *
     * @param protocol the probe protocol
     */
    public boolean sends(ProbeProtocol protocol) {
        return capabilities.contains(TransportCapability.of(protocol));
    }

    /**
     * {@code "linux-icmp-dgram (priority 50): available, ICMP"} or
     * {@code "linux-raw (priority 100): unavailable: needs CAP_NET_RAW"}.
     */
    @Override
    public String toString() {
        String caps = capabilities.stream().map(Enum::name).sorted().collect(java.util.stream.Collectors.joining(" "));
        return name + " (priority " + priority + "): " + (available ? "available" : "unavailable: " + reason)
                + (caps.isEmpty() ? "" : ", " + caps);
    }
}
