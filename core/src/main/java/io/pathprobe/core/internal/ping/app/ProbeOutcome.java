package io.pathprobe.core.internal.ping.app;

/**
 * What one application probe found. A {@link Reply} is any answer the protocol defines, whatever it
 * says: a DNS NXDOMAIN or SERVFAIL, an HTTP 404 or 503 are replies with their code, because they
 * measure the round trip as well as a success does. A {@link Failure} is the absence of such an answer.
 * All times are readings of the {@link AppProbeLoop}'s ticker (the tracer's: {@link System#nanoTime()} in
 * production) or differences of them.
 */
public sealed interface ProbeOutcome permits ProbeOutcome.Reply, ProbeOutcome.Failure {

    /** The caller's tag from {@link ApplicationProbe#start}. */
    int sequence();

    /**
     * An answer.
     *
     * @param sentNanos the loop's ticker just before the request's bytes were written
     * @param rttNanos from {@code sentNanos} to the arrival of the first byte of the answer (see the
     *     package description for where each end is read)
     * @param code the DNS RCODE (0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, ...) or the HTTP status code
     * @param detail a short text: the RCODE's name with the answer count and flags, or the HTTP status line
     * @param setupNanos time spent before the request could be written: TCP connect plus TLS handshake
     *     for HTTP(S), 0 for DNS over UDP
     */
    record Reply(int sequence, long sentNanos, long rttNanos, int code, String detail, long setupNanos)
            implements ProbeOutcome {}

    /**
     * No answer.
     *
     * @param startedNanos when the loop began this probe (before opening its socket)
     * @param elapsedNanos from {@code startedNanos} to the failure
     * @param detail a short text (the exception's message, the reason)
     */
    record Failure(int sequence, FailureKind kind, long startedNanos, long elapsedNanos, String detail)
            implements ProbeOutcome {}

    /** Why there was no answer. */
    enum FailureKind {
        /** No answer within the probe's timeout (ignored packets, see {@link DnsProbe}, do not count). */
        TIMEOUT,
        /** The destination refused: TCP RST to the connect, or ICMP port unreachable to the DNS query. */
        REFUSED,
        /** ICMP host/network unreachable or no route. */
        UNREACHABLE,
        /** An answer that belongs to this probe but is not valid DNS or HTTP. */
        MALFORMED,
        /** The server closed or reset the connection before the first byte of a response. */
        CLOSED,
        /** The TLS handshake failed (certificate, protocol). */
        TLS,
        /** Any other local or network I/O error (opening the socket, sending). */
        IO_ERROR,
        /** The probe or its loop was closed before the probe completed. */
        CANCELLED
    }
}
