package io.pathprobe.trace;


import io.pathprobe.probe.ProbeProtocol;
/**
 * How a trace's TCP probes travel ({@link TraceRequest.Builder#tcpMode(TcpMode)}; only for
 * {@link ProbeProtocol#TCP}). May grow: don't switch over it exhaustively without a default.
 */
public enum TcpMode {
    /**
     * Half-open SYNs at rising TTL, as {@code traceroute -T} sends them (the default): the destination answers
     * SYN-ACK (open port) or RST (closed). A firewall that limits or drops new connections before the
     * destination (SYN-flood protection, {@code ct state new} rules) drops them, and the hops behind it are
     * lost.
     */
    SYN,
    /**
     * Inside an established connection (0trace, intrace, Datadog's SACK mode): the tracer first opens a real
     * TCP connection to the destination port, then sends one-byte segments of that connection at rising TTL;
     * routers answer with Time Exceeded, the destination with a duplicate ACK whose SACK block names the
     * segment. A stateful firewall that passes the connection's traffic passes them. The segments lie beyond a
     * gap in the sequence space the connection never fills, so the service never receives a byte of them; the
     * connection is closed (FIN) after the trace.
     *
     * <p>Needs raw sockets (Linux, CAP_NET_RAW: transport {@code linux-tcp-in-connection}), a service that
     * accepts the connection, and SACK on both ends. When any of these is missing, the trace falls back to
     * {@link #SYN} probes and says why in {@link TraceResult#protocolNote()}; {@link TraceResult#tcpMode()}
     * says which was used.
     */
    IN_CONNECTION
}
