package io.pathprobe.agent;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * The schedule's {@code otlp:}: where the agent exports each result's spans (docs/otel.md's span tree) over
 * OTLP/HTTP protobuf.
 *
 * @param endpoint the collector's base URL, {@code http://127.0.0.1:4318}; the spans go to its {@code /v1/traces}
 * @param timeout how long one export may take
 * @param queue the most spans waiting to be exported; more are dropped (the SDK's batch processor counts them)
 */
public record OtlpSettings(URI endpoint, Duration timeout, int queue) {
    /** An export's timeout when the schedule does not say: 10 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** The queue when the schedule does not say: 2048 spans, the SDK's default. */
    public static final int DEFAULT_QUEUE = 2048;

    /**
     * Checks the settings.
     *
     * @param endpoint the collector's base URL: http or https, a host
     * @param timeout how long one export may take, positive
     * @param queue the most spans waiting, 1 to 1,000,000
     * @throws IllegalArgumentException if one is wrong
     */
    public OtlpSettings {
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || endpoint.getHost() == null) {
            throw new IllegalArgumentException("otlp.endpoint must be an http(s) URL with a host, was " + endpoint);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("otlp.timeout must be positive, was " + timeout);
        }
        if (queue < 1 || queue > 1_000_000) {
            throw new IllegalArgumentException("otlp.queue must be 1..1000000, was " + queue);
        }
    }

    /** {@return where the spans are posted: the endpoint's {@code /v1/traces}} */
    public String tracesUrl() {
        String base = endpoint.toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/traces";
    }
}
