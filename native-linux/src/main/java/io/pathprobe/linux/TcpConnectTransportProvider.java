package io.pathprobe.linux;

import io.pathprobe.linux.internal.transport.LinuxTransportKind;

/**
 * {@code linux-tcp-connect}: TCP SYN probes without privilege, each a non-blocking
 * {@code connect(2)} of a new TCP socket with the probe's TTL (hop limit) and IP_RECVERR on. Time
 * Exceeded and Destination Unreachable about the SYN are read from the socket's error queue (with
 * kernel timestamps); a SYN-ACK (the connect succeeds: TCP_SYN_ACK, the socket is then reset) or a
 * RST (ECONNREFUSED: TCP_RESET) is timed when the I/O thread sees it. IPv4 and IPv6. One epoll
 * thread per open transport. Turned off with the system property
 * {@code pathprobe.transport.linux-tcp-connect.disabled=true}.
 *
 * <p>The kernel writes the SYN (sequence number, IP ID, options), so no probe number travels in it:
 * answers are matched by socket. Flow policies: {@code PER_PROBE} (a new ephemeral source port per
 * probe, any number in flight) and {@code FIXED} (one source port for the session, so one
 * connection at a time: {@code maxInFlight()} is 1 and a new probe releases the previous one; on
 * IPv6 flow label 0). {@code EXPLICIT} is not offered. See the transport's documentation in
 * {@code TcpConnectTransport} for the exact statement.
 */
public final class TcpConnectTransportProvider extends LinuxProvider {

    /** Cheap: nothing is checked or opened until {@link #availability()} or {@link #open()}. */
    public TcpConnectTransportProvider() {
        super(LinuxTransportKind.TCP_CONNECT);
    }
}
