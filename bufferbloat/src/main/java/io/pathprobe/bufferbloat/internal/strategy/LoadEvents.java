package io.pathprobe.bufferbloat.internal.strategy;

import io.pathprobe.ResponsivenessServerException;
import java.net.InetAddress;
import java.net.URI;
import org.jspecify.annotations.Nullable;

/** What a {@link LoadSession} reports, from any thread; durations are the session's own nanosecond measures. */
public interface LoadEvents {
    /**
     * The configuration was read from {@code server}; load and probes go to {@code endpoint} (pinged
     * too), over TLS when {@code tls}.
     */
    void configured(URI server, InetAddress endpoint, boolean tls);

    /** The server cannot be used. */
    void setupFailed(ResponsivenessServerException error);

    /** Load connection {@code id} is up; {@code h2} when it speaks HTTP/2 (self probes can share it). */
    void opened(int id, boolean h2);

    /**
     * The TCP congestion control that sends load connection {@code id}'s data: this host's socket for an
     * upload, the server's for a download when the server names it. At most once per connection; never
     * for one whose sender does not say.
     */
    void congestionControl(int id, String name);

    /** Load connection {@code id} failed: connect, TLS, an error status, a reset or a close by the server. */
    void failed(int id, String reason);

    /**
     * Foreign probe {@code id} connected: TCP connect time, TLS handshake time (0 and null protocol for plain HTTP).
     */
    void probeConnected(int id, long tcpNanos, long tlsNanos, @Nullable String tlsProtocol);

    /** Probe {@code id}'s GET (foreign, or self when {@code self}) completed in {@code httpNanos}. */
    void probeAnswered(int id, boolean self, long httpNanos);

    /** Probe {@code id} (foreign, or self when {@code self}) failed. */
    void probeFailed(int id, boolean self, String reason);
}
