package io.pathprobe.spi;

import io.pathprobe.options.ProbeOptions;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.TrafficClass;
import io.pathprobe.util.Checks;
import java.net.InetAddress;
import java.time.Duration;

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
 * @param payloadSize the number of bytes after the ICMP echo header or the UDP header (the meaning
 *     of {@code ping -s}): ICMP echo data bytes, UDP payload bytes; {@link #DEFAULT_PAYLOAD} (-1) for
 *     the transport's own default. The record accepts -1 or 0 to {@link #MAX_PAYLOAD}; each transport
 *     checks its own limits: a transport that cannot honour a payload size (it does not advertise
 *     {@link TransportCapability#PAYLOAD_SIZE}), or a size below its minimum (the bytes it needs for
 *     its cookie, sequence or checksum steering) or above its maximum, rejects it at
 *     {@link ProbeTransport#openSession} with an {@link IllegalArgumentException} naming the limit.
 *     TCP SYN probes carry no data: TCP transports accept only -1 and 0. The padding beyond a
 *     transport's own bytes is a deterministic pattern
 * @param connectTimeout for a transport with {@link TransportCapability#TCP_IN_CONNECTION}: the longest
 *     {@link ProbeTransport#openSession} waits for the connection to the destination port to be established
 *     ({@link #DEFAULT_CONNECT_TIMEOUT} unless set); ignored by every other transport
 * @param trafficClass the IPv4 ToS byte / IPv6 traffic class every probe carries, 0 to 255 (DSCP in the high six
 *     bits, ECN in the low two: {@link io.pathprobe.probe.TrafficClass#value()}); 0 unless set. A transport
 *     without {@link TransportCapability#TRAFFIC_CLASS} rejects any other value at {@link ProbeTransport#openSession}
 *     with an {@link IllegalArgumentException}
 */
public record SessionSpec(
        ProbeProtocol protocol, InetAddress destination, int destinationPort, FlowPolicy flowPolicy, int flow,
        int payloadSize, Duration connectTimeout, int trafficClass) {
    /** UDP and TCP traceroute's customary first destination port. */
    public static final int DEFAULT_PORT = 33434;
    /** {@link #payloadSize()}: the transport's default payload. */
    public static final int DEFAULT_PAYLOAD = -1;
    /** The largest payload the record accepts: 65535 − 20 (IPv4 header) − 8 (ICMP/UDP header). */
    public static final int MAX_PAYLOAD = 65507;
    /** {@link #connectTimeout()} unless set: 3 s (the kernel's first SYN and its retransmission after 1 s). */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);

    /**
     * Checks the components (see the record's description).
     *
     * @param protocol the probe kind: ICMP echo, UDP or TCP SYN
     * @param destination the probed address
     * @param destinationPort UDP and TCP: the destination port of the session's flow; ignored for ICMP
     * @param flowPolicy how the flow of each probe is chosen
     * @param flow the session's flow for {@link FlowPolicy#FIXED}, 0 to 65535; 0 otherwise
     * @param payloadSize the bytes after the ICMP echo or UDP header, or {@link #DEFAULT_PAYLOAD}; each transport
     *     checks its own limits at {@link ProbeTransport#openSession}
     * @param connectTimeout for a transport with {@link TransportCapability#TCP_IN_CONNECTION}: the longest
     *     {@link ProbeTransport#openSession} waits for the connection to be established; ignored by the others
     * @param trafficClass the IPv4 ToS byte / IPv6 traffic class every probe carries, 0 to 255
     * @throws NullPointerException if {@code protocol}, {@code destination}, {@code flowPolicy} or
     *     {@code connectTimeout} is null
     * @throws IllegalArgumentException if {@code destinationPort} is not 1 to 65535, {@code flow} not 0 to
     *     65535, {@code payloadSize} neither {@link #DEFAULT_PAYLOAD} nor 0 to {@link #MAX_PAYLOAD}, or
     *     {@code connectTimeout} not positive, or {@code trafficClass} not 0 to 255
     */
    public SessionSpec {
        Checks.nonNull("protocol", protocol, "destination", destination, "flowPolicy", flowPolicy,
                "connectTimeout", connectTimeout);
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive, was " + connectTimeout);
        }
        if (destinationPort < 1 || destinationPort > 65535) {
            throw new IllegalArgumentException("destinationPort must be 1..65535, was " + destinationPort);
        }
        if (flow < 0 || flow > 0xffff) {
            throw new IllegalArgumentException("flow must be 0..65535, was " + flow);
        }
        if (payloadSize < DEFAULT_PAYLOAD || payloadSize > MAX_PAYLOAD) {
            throw new IllegalArgumentException(
                    "payloadSize must be -1 (transport default) or 0.." + MAX_PAYLOAD + ", was " + payloadSize);
        }
        if (trafficClass < 0 || trafficClass > 255) {
            throw new IllegalArgumentException("trafficClass must be 0..255, was " + trafficClass);
        }
    }

    /**
     * {@return this session with its probes marked so}
     *
     * @param value the ToS byte / traffic class, 0 to 255
     * @throws IllegalArgumentException if {@code value} is not 0 to 255
     */
    public SessionSpec withTrafficClass(int value) {
        return new SessionSpec(protocol, destination, destinationPort, flowPolicy, flow, payloadSize, connectTimeout,
                value);
    }

    /**
     * {@return this session with the shared probe options {@code options} sets that a transport carries out (the
     * traffic class); what it does not set stays as is} Every measurement opens its sessions through this one
     * mapping from its request's options.
     *
     * @param options a request's options (its {@code options()})
     */
    public SessionSpec with(ProbeOptions options) {
        return withTrafficClass(options.trafficClass().map(TrafficClass::value).orElse(trafficClass));
    }

    /**
     * A session whose connect timeout, should its transport connect, is {@link #DEFAULT_CONNECT_TIMEOUT}, and whose
     * probes carry no marking ({@link #trafficClass()} 0).
     *
     * @param protocol the probe kind: ICMP echo, UDP or TCP SYN
     * @param destination the probed address
     * @param destinationPort UDP and TCP: the destination port of the session's flow; ignored for ICMP
     * @param flowPolicy how the flow of each probe is chosen
     * @param flow the session's flow for {@link FlowPolicy#FIXED}; 0 otherwise
     * @param payloadSize the bytes after the ICMP echo or UDP header, or {@link #DEFAULT_PAYLOAD}
     */
    public SessionSpec(ProbeProtocol protocol, InetAddress destination, int destinationPort, FlowPolicy flowPolicy,
            int flow, int payloadSize) {
        this(protocol, destination, destinationPort, flowPolicy, flow, payloadSize, DEFAULT_CONNECT_TIMEOUT, 0);
    }

    /**
     * A session with the transport's default payload ({@link #DEFAULT_PAYLOAD}).
     *
     * @param protocol the probe kind: ICMP echo, UDP or TCP SYN
     * @param destination the probed address
     * @param destinationPort UDP and TCP: the destination port of the session's flow; ignored for ICMP
     * @param flowPolicy how the flow of each probe is chosen
     * @param flow the session's flow for {@link FlowPolicy#FIXED} (see the record's description); 0 otherwise
     */
    public SessionSpec(
            ProbeProtocol protocol, InetAddress destination, int destinationPort, FlowPolicy flowPolicy, int flow) {
        this(protocol, destination, destinationPort, flowPolicy, flow, DEFAULT_PAYLOAD);
    }

    /**
     * {@return a session of one fixed flow (Paris), flow 0}
     *
     * @param protocol the probe kind: ICMP echo, UDP or TCP SYN
     * @param destination the probed address
     * @param destinationPort UDP and TCP: the destination port of the session's flow; ignored for ICMP
     */
    public static SessionSpec fixed(ProbeProtocol protocol, InetAddress destination, int destinationPort) {
        return new SessionSpec(protocol, destination, destinationPort, FlowPolicy.FIXED, 0);
    }

    /**
     * {@return a session whose transport may change the flow with every probe (classic traceroute)}
     *
     * @param protocol the probe kind: ICMP echo, UDP or TCP SYN
     * @param destination the probed address
     * @param destinationPort UDP and TCP: the first destination port (a transport may count up from it);
     *     ignored for ICMP
     */
    public static SessionSpec perProbe(ProbeProtocol protocol, InetAddress destination, int destinationPort) {
        return new SessionSpec(protocol, destination, destinationPort, FlowPolicy.PER_PROBE, 0);
    }

    /**
     * {@return a session whose probes each carry the flow the engine chooses ({@link ProbeSpec#flow()})}
     *
     * @param protocol the probe kind: ICMP echo, UDP or TCP SYN
     * @param destination the probed address
     * @param destinationPort UDP and TCP: the destination port the flows are mapped from (see the flows
     *     above); ignored for ICMP
     */
    public static SessionSpec explicit(ProbeProtocol protocol, InetAddress destination, int destinationPort) {
        return new SessionSpec(protocol, destination, destinationPort, FlowPolicy.EXPLICIT, 0);
    }

    /**
     * {@return this spec with another flow policy (and flow 0)}
     *
     * @param policy the flow policy
     */
    public SessionSpec withFlowPolicy(FlowPolicy policy) {
        return new SessionSpec(protocol, destination, destinationPort, policy, 0, payloadSize, connectTimeout,
                trafficClass);
    }

    /**
     * {@return this spec with another payload size ({@link #DEFAULT_PAYLOAD} for the transport's default)}
     *
     * @param size the payload size, {@link #DEFAULT_PAYLOAD} or 0 to {@link #MAX_PAYLOAD}
     */
    public SessionSpec withPayloadSize(int size) {
        return new SessionSpec(protocol, destination, destinationPort, flowPolicy, flow, size, connectTimeout,
                trafficClass);
    }

    /**
     * {@return this spec with another connect timeout (transports with {@link TransportCapability#TCP_IN_CONNECTION})}
     *
     * @param timeout the longest opening the session waits for its connection, positive
     */
    public SessionSpec withConnectTimeout(Duration timeout) {
        return new SessionSpec(protocol, destination, destinationPort, flowPolicy, flow, payloadSize, timeout,
                trafficClass);
    }

    /** {@return whether a payload size other than the transport's default was asked for} */
    public boolean hasPayloadSize() {
        return payloadSize != DEFAULT_PAYLOAD;
    }

    /** {@code "UDP to 198.18.0.9 port 33434, PARIS flow 0, default payload"}. */
    @Override
    public String toString() {
        return protocol + " to " + io.pathprobe.probe.AddressText.of(destination) + " port " + destinationPort + ", "
                + flowPolicy + " flow " + flow + ", " + (payloadSize == DEFAULT_PAYLOAD ? "default payload"
                : payloadSize + "-byte payload") + (trafficClass == 0 ? ""
                : ", " + TrafficClass.of(trafficClass));
    }
}
