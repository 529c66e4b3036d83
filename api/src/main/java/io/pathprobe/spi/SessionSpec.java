package io.pathprobe.spi;

import io.pathprobe.ProbeProtocol;
import java.net.InetAddress;
import java.util.Objects;

/**
 * What a session probes.
 *
 * <p><b>Flows.</b> A flow is the set of header bytes a load balancer hashes. Every transport maps a
 * flow number the same way in {@link FlowPolicy#FIXED} and {@link FlowPolicy#EXPLICIT} sessions,
 * and documents the mapping; the built-in transports use:
 * <ul>
 *   <li>ICMP echo: the ICMP checksum (held constant by compensating the sequence in the payload);
 *   <li>UDP: destination port {@code destinationPort + flow} (Dublin traceroute), source port fixed
 *       for the session; the probe number travels in the UDP checksum (and the IPv4 IP ID where a
 *       raw socket can set it);
 *   <li>TCP: the source port varies with the flow, the destination port is {@code destinationPort};
 *       the probe number travels in the sequence number (and the IPv4 IP ID);
 *   <li>IPv6, every protocol: the flow label is constant for a flow.
 * </ul>
 * {@link FlowPolicy#PER_PROBE} sessions let the probe number change the flow (classic traceroute).
 * A transport rejects a flow it cannot map with {@link IllegalArgumentException} at
 * {@link ProbeTransport#openSession} (a FIXED flow) or {@link ProbeSession#send} (an EXPLICIT one,
 * beyond {@link ProbeSession#maxFlow()}).
 *
 * @param protocol the probe kind: ICMP echo, UDP or TCP SYN
 * @param destination the probed address
 * @param destinationPort UDP and TCP: the destination port of the session's flow (for
 *     {@link FlowPolicy#PER_PROBE} a transport may count up from it, in which case
 *     {@link ProbeSession#maxSequence()} keeps ports within 65535); ignored for ICMP
 * @param flowPolicy how the flow of each probe is chosen
 * @param flow the session's flow for {@link FlowPolicy#FIXED} (0 to 65535: a transport maps it onto
 *     its protocol's hashed fields, e.g. the ICMP checksum or the UDP source port); 0 otherwise. A
 *     transport may map several flows onto one value (the ICMP checksum has 65535 distinct values;
 *     on IPv6 the pseudo-header shifts every flow of a session by the same constant), so two flows
 *     may hash alike; one flow always hashes the same
 */
public record SessionSpec(
        ProbeProtocol protocol, InetAddress destination, int destinationPort, FlowPolicy flowPolicy, int flow) {
    /** UDP and TCP traceroute's customary first destination port. */
    public static final int DEFAULT_PORT = 33434;

    public SessionSpec {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(flowPolicy, "flowPolicy");
        if (destinationPort < 1 || destinationPort > 65535) {
            throw new IllegalArgumentException("destinationPort must be 1..65535, was " + destinationPort);
        }
        if (flow < 0 || flow > 0xffff) {
            throw new IllegalArgumentException("flow must be 0..65535, was " + flow);
        }
    }

    /** A session of one fixed flow (Paris), flow 0. */
    public static SessionSpec fixed(ProbeProtocol protocol, InetAddress destination, int destinationPort) {
        return new SessionSpec(protocol, destination, destinationPort, FlowPolicy.FIXED, 0);
    }

    /** A session whose transport may change the flow with every probe (classic traceroute). */
    public static SessionSpec perProbe(ProbeProtocol protocol, InetAddress destination, int destinationPort) {
        return new SessionSpec(protocol, destination, destinationPort, FlowPolicy.PER_PROBE, 0);
    }

    /** A session whose probes each carry the flow the engine chooses ({@link ProbeSpec#flow()}). */
    public static SessionSpec explicit(ProbeProtocol protocol, InetAddress destination, int destinationPort) {
        return new SessionSpec(protocol, destination, destinationPort, FlowPolicy.EXPLICIT, 0);
    }

    /** This spec with another flow policy (and flow 0). */
    public SessionSpec withFlowPolicy(FlowPolicy policy) {
        return new SessionSpec(protocol, destination, destinationPort, policy, 0);
    }
}
