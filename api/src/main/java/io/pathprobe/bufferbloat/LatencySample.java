package io.pathprobe.bufferbloat;

import io.pathprobe.util.Checks;
import io.pathprobe.util.Text;
import java.time.Duration;
/**
 * One latency measurement of a bufferbloat test, for plots.
 *
 * @param at when it was taken, from the start of the test
 * @param phase the phase it was taken in
 * @param kind what was measured
 * @param rtt the measured round trip (for {@link Kind#TLS_FOREIGN}: the handshake divided by its round trips)
 */
public record LatencySample(Duration at, BufferbloatPhase phase, Kind kind, Duration rtt) {
    /** What a sample measured. */
    public enum Kind {
        /** An ICMP (or UDP) ping on the shared probe runtime to the test server's host. */
        PING,
        /** An ICMP (or UDP) ping to the first hop. */
        PING_FIRST_HOP,
        /** draft-09 tcp_f: a TCP handshake on a new connection. */
        TCP_FOREIGN,
        /** draft-09 tls_f: a TLS handshake on a new connection, normalised by its round trips. */
        TLS_FOREIGN,
        /** draft-09 http_f: a GET of the small object on a new connection. */
        HTTP_FOREIGN,
        /** draft-09 http_l: a GET of the small object on a loaded connection. */
        HTTP_SELF
    }

    /**
     * Checks the components (see the record's description).
     *
     * @param at when it was taken, from the start of the test
     * @param phase the phase it was taken in
     * @param kind what was measured
     * @param rtt the measured round trip (for {@link Kind#TLS_FOREIGN}: the handshake divided by its round
     *     trips)
     * @throws NullPointerException if a component is null
     */
    public LatencySample {
        Checks.nonNull("at", at, "phase", phase, "kind", kind, "rtt", rtt);
    }

    /** {@code "+2.350 s  download  http_l  48.200 ms"}: when, in which phase, what measured it, the RTT. */
    @Override
    public String toString() {
        String what = switch (kind) {
            case PING -> "ping";
            case PING_FIRST_HOP -> "ping first hop";
            case TCP_FOREIGN -> "tcp_f";
            case TLS_FOREIGN -> "tls_f";
            case HTTP_FOREIGN -> "http_f";
            case HTTP_SELF -> "http_l";
        };
        return String.format(java.util.Locale.ROOT, "+%.3f s  %s  %s  %s", at.toNanos() / 1e9,
                phase.name().toLowerCase(java.util.Locale.ROOT), what, Text.ms(rtt));
    }
}
