package io.pathprobe.spi;

import java.util.Optional;
import java.util.Set;

/**
 * An open probe transport: sockets, an event loop and whatever else it needs. Thread-safe:
 * sessions may be opened, used and closed from any thread.
 */
public interface ProbeTransport extends AutoCloseable {

    /** {@return the provider's name} */
    String name();

    /** {@return what this transport can do: protocols, address families, flow policies} */
    Set<TransportCapability> capabilities();

    /**
     * Opens a session: a flow of probes toward one destination whose answers go to {@code listener}.
     * The transport must deliver to a session only answers it has checked belong to that session
     * (quoted destination, protocol, identifier) and that carry one of the session's sequence numbers.
     *
     * @param spec what the session probes
     * @param listener what receives the session's answers
     * @return the open session
     * @throws TransportException if the session cannot be opened (e.g. the address family, protocol
     *     or flow policy is not supported, or a socket cannot be opened), with the cause
     */
    ProbeSession openSession(SessionSpec spec, ResponseListener listener);

    /**
     * {@return what the receive path has read, delivered and dropped so far; empty if the transport does not count}
     */
    default Optional<TransportCounters> counters() {
        return Optional.empty();
    }

    /** Closes every session and releases every resource. Idempotent. */
    @Override
    void close();
}
