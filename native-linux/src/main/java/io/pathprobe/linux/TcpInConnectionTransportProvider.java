package io.pathprobe.linux;

import io.pathprobe.linux.internal.transport.LinuxTransportKind;

/**
 * {@code linux-tcp-in-connection}: TCP probes inside an established connection
 * ({@link io.pathprobe.trace.TcpMode#IN_CONNECTION}, capability {@code TCP_IN_CONNECTION}), for traces through
 * firewalls that drop or limit new connections but pass established traffic. Needs CAP_NET_RAW (raw sockets:
 * {@link #availability()} says so when the process lacks it) and Linux; IPv4 and IPv6. The engine chooses it
 * only for a TCP trace that asks for it, never for SYN probes. Turned off with
 * {@code pathprobe.transport.linux-tcp-in-connection.disabled=true}.
 *
 * <p>Opening a session connects to the destination port with an ordinary kernel socket (waiting at most the
 * session's connect timeout) and reads the handshake's SYN-ACK on a raw TCP socket filtered to that
 * connection: its acknowledgment number is the connection's next sequence number, its options what both ends
 * agreed on. It fails, saying why, when the port refuses or does not answer, when the destination closed the
 * connection at once, or without SACK (the destination's acknowledgments would not name the probe). Probe
 * {@code n} is a one-byte segment of the connection at sequence number {@code snd_nxt + 2 + 2n}, beyond a byte
 * the connection never sends, so the service never receives it; it carries the connection's current
 * acknowledgment and timestamps and an IPv4 identification keyed per session. Routers answer Time Exceeded
 * (matched by the quoted sequence number and checked whole); the destination a duplicate ACK whose SACK block
 * is the probe's byte ({@code TCP_ACK}). Closing the session closes the connection with a FIN. Flow policy
 * {@code FIXED} only: one connection is one flow. Probe numbers 0 to at most 1,023.
 */
public final class TcpInConnectionTransportProvider extends LinuxProvider {

    /** Cheap: nothing is checked or opened until {@link #availability()} or {@link #open()}. */
    public TcpInConnectionTransportProvider() {
        super(LinuxTransportKind.TCP_IN_CONNECTION);
    }
}
