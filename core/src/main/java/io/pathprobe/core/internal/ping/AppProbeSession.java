package io.pathprobe.core.internal.ping;

import io.pathprobe.core.internal.ping.app.ApplicationProbe;
import io.pathprobe.core.internal.ping.app.ProbeOutcome;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SendFailedException;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * A DNS or HTTP application probe as a {@link ProbeSession}, so that it runs in the same
 * {@link io.pathprobe.core.internal.runtime.ProbeRun} and {@link PingStrategy} as the packet kinds, on
 * the same clock ({@link System#nanoTime()}). An answer of the protocol (any DNS response, any HTTP
 * status) is delivered as an {@link ResponseKind#ECHO_REPLY} from the destination, received at
 * {@code send time + RTT}: for DNS the query's round trip, for HTTP the time to first byte counted
 * from the start of the connect (TCP connect, TLS handshake, request, first byte of the response, as
 * curl's {@code time_starttransfer}). A refused DNS query (ICMP port unreachable) and an unreachable
 * destination become the ICMP error they were; an HTTP connect refused, a TCP RST; other failures
 * (malformed answer, closed connection, TLS) an unreachable without ICMP details. A timeout delivers
 * nothing: the strategy's own timeout decides.
 */
final class AppProbeSession implements ProbeSession {
    private final ApplicationProbe probe;
    private final InetAddress destination;
    private final ResponseListener listener;
    private final boolean http;
    private final boolean ipv6;
    private volatile boolean closed;

    AppProbeSession(ApplicationProbe probe, InetAddress destination, boolean http, ResponseListener listener) {
        this.probe = probe;
        this.destination = destination;
        this.http = http;
        this.listener = listener;
        this.ipv6 = destination instanceof Inet6Address;
    }

    @Override
    public int maxSequence() {
        return 65535;
    }

    @Override
    public long send(ProbeSpec spec) throws SendFailedException {
        if (closed) {
            throw new IllegalStateException("session closed");
        }
        long sent = System.nanoTime();
        if (!probe.start(spec.sequence(), outcome -> deliver(sent, outcome))) {
            throw new SendFailedException("the application probe loop is at its limit of probes in flight, or closed",
                    false);
        }
        return sent;
    }

    private void deliver(long sent, ProbeOutcome outcome) {
        if (closed) {
            return;
        }
        @org.jspecify.annotations.Nullable ProbeResponse r = outcome instanceof ProbeOutcome.Reply reply
                ? new ProbeResponse(reply.sequence(), ResponseKind.ECHO_REPLY, ProbeResponse.UNKNOWN,
                        ProbeResponse.UNKNOWN, destination, sent + reply.setupNanos() + reply.rttNanos())
                : failure(sent, (ProbeOutcome.Failure) outcome);
        if (r != null) {
            listener.onResponse(r);
        }
    }

    private @org.jspecify.annotations.Nullable ProbeResponse failure(long sent, ProbeOutcome.Failure f) {
        long at = sent + Math.max(0, f.elapsedNanos());
        return switch (f.kind()) {
            case TIMEOUT, CANCELLED -> null;
            case REFUSED -> http
                    ? new ProbeResponse(f.sequence(), ResponseKind.TCP_RESET,
                            ProbeResponse.UNKNOWN, ProbeResponse.UNKNOWN,
                            destination, at)
                    : new ProbeResponse(f.sequence(), ResponseKind.DESTINATION_UNREACHABLE, ipv6 ? 1 : 3, ipv6 ? 4 : 3,
                            destination, at);
            case UNREACHABLE -> new ProbeResponse(f.sequence(), ResponseKind.DESTINATION_UNREACHABLE, ipv6 ? 1 : 3,
                    ipv6 ? 3 : 1, destination, at);
            case MALFORMED, CLOSED, TLS, IO_ERROR -> new ProbeResponse(f.sequence(),
                    ResponseKind.DESTINATION_UNREACHABLE, ProbeResponse.UNKNOWN,
                    ProbeResponse.UNKNOWN, destination, at);
        };
    }

    @Override
    public void close() {
        closed = true;
        probe.close();
    }
}
