package io.pathprobe.spi;

import io.pathprobe.ProbeProtocol;
import java.net.InetAddress;
import java.util.Objects;

/**
 * What a session probes.
 *
 * @param protocol ICMP echo or UDP
 * @param destination the traced address
 * @param destinationPort UDP only: the port of sequence 0; a transport may carry the sequence number
 *     in the port (port = destinationPort + sequence), in which case {@link ProbeSession#maxSequence()}
 *     keeps ports within 65535
 */
public record SessionSpec(ProbeProtocol protocol, InetAddress destination, int destinationPort) {
    public SessionSpec {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(destination, "destination");
        if (destinationPort < 1 || destinationPort > 65535) {
            throw new IllegalArgumentException("destinationPort must be 1..65535, was " + destinationPort);
        }
    }
}
