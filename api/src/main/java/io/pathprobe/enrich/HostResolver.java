package io.pathprobe.enrich;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a target name into addresses. The default uses the system resolver
 * ({@link InetAddress#getAllByName(String)}); literal addresses never reach a resolver.
 */
@FunctionalInterface
public interface HostResolver {

    /** The system resolver. */
    HostResolver SYSTEM = new HostResolver() {
        @Override
        public List<InetAddress> resolve(String host) throws UnknownHostException {
            return List.of(InetAddress.getAllByName(host));
        }

        @Override
        public String toString() {
            return "system resolver";
        }
    };

    /**
     * Resolves a host name; may block.
     *
     * @param host the host name
     * @return the addresses the name resolves to
     * @throws UnknownHostException when the name does not resolve
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;
}
