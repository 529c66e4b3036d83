package io.pathprobe.bufferbloat;

import io.pathprobe.PathTracer;
import io.pathprobe.util.Text;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
/**
 * What {@link PathTracer#testBufferbloat(BufferbloatRequest)} should measure. Immutable; made by
 * {@link #builder(URI)}. Setters reject bad values at once with {@link IllegalArgumentException}.
 *
 * <p>Defaults follow draft-ietf-ippm-responsiveness-09 where it is explicit (up to 16 load
 * connections, 100 probes/s at most and never more than 5 % of the measured capacity, a 5 %
 * single-sided trimmed mean, MAD 4 intervals, SDT 5 %) with goresponsiveness's 1 s interval, so a
 * test fits in its 20 s default time limit. Three modes, as the draft's discussion names them:
 * {@link Builder#quick()} (10 s, 0.5 s intervals), the default (20 s, 1 s), and {@link Builder#precise()},
 * draft-09's own 5 s interval duration (MAD 4 intervals: at least 20 s of stable load per stage, within
 * {@link #PRECISE_DEADLINE}).
 */
public final class BufferbloatRequest implements io.pathprobe.options.MeasurementRequest<BufferbloatResult> {
    /** Default time limit of the whole test. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(20);
    /** Time limit of {@link Builder#quick()}. */
    public static final Duration QUICK_DEADLINE = Duration.ofSeconds(10);
    /** Time limit of {@link Builder#precise()}: room for two stages of draft-09's 5 s intervals. */
    public static final Duration PRECISE_DEADLINE = Duration.ofSeconds(120);
    /** draft-09's interval duration (ID), which {@link Builder#precise()} uses. */
    public static final Duration DRAFT_INTERVAL = Duration.ofSeconds(5);
    /** draft-09 MNP: the most load connections per direction. */
    public static final int MAX_CONNECTIONS = 16;

    private final URI url;
    private final LoadDirection direction;
    private final Duration deadline;
    private final Duration interval;
    private final int maxConnections;
    private final int probesPerSecond;
    private final boolean insecure;
    private final boolean pingFirstHop;
    private final BufferbloatListener listener;

    private BufferbloatRequest(Builder b) {
        this.url = b.url;
        this.direction = b.direction;
        this.deadline = b.deadline;
        this.interval = b.interval;
        this.maxConnections = b.maxConnections;
        this.probesPerSecond = b.probesPerSecond;
        this.insecure = b.insecure;
        this.pingFirstHop = b.pingFirstHop;
        this.listener = b.listener;
    }

    /**
     * A builder for a responsiveness server: its configuration URL (e.g.
     * {@code https://host:4043/.well-known/nq}) or its base URL ({@code https://host:4043}, to which
     * {@code /.well-known/nq} is added). https or http.
     *
     * @param url the server's configuration URL or base URL
     * @return a builder for that server
     * @throws IllegalArgumentException if the URL is not https or http, has no host, or its port is out of
     *     range
     */
    public static Builder builder(URI url) {
        return new Builder(url);
    }

    /**
     * {@return a builder for a URL given as text}
     *
     * @param url the server's configuration URL or base URL, as text
     * @throws IllegalArgumentException if the text is not a URL, or as {@link #builder(URI)}
     */
    public static Builder builder(String url) {
        Objects.requireNonNull(url, "url");
        try {
            return new Builder(new URI(url.strip()));
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: '" + url + "': " + e.getMessage(), e);
        }
    }

    /** {@return its one target, as a list: {@code List.of({@link #url()})}} */
    @Override
    public java.util.List<String> targets() {
        return java.util.List.of(url().toString());
    }

    /** {@return the responsiveness server's URL, as given to {@link #builder(URI)}} */
    public URI url() {
        return url;
    }

    /** {@return which way to load ({@link LoadDirection#SEQUENTIAL} by default)} */
    public LoadDirection direction() {
        return direction;
    }

    /** {@return the time limit of the whole test (20 s)} */
    public Duration deadline() {
        return deadline;
    }

    /** {@return draft-09's interval duration ID (1 s by default, as goresponsiveness; the draft says 5 s)} */
    public Duration interval() {
        return interval;
    }

    /** {@return the most load connections per direction (16)} */
    public int maxConnections() {
        return maxConnections;
    }

    /** {@return the most latency probes per second (draft-09 MPS, 100), never more than 5 % of capacity} */
    public int probesPerSecond() {
        return probesPerSecond;
    }

    /** {@return whether any server certificate is accepted (a self-signed lab server)} */
    public boolean insecure() {
        return insecure;
    }

    /** {@return whether the first hop is pinged too, to tell a local queue from a remote one (true)} */
    public boolean pingFirstHop() {
        return pingFirstHop;
    }

    /** {@return the listener that streams the test ({@link BufferbloatListener#NONE} by default)} */
    public BufferbloatListener listener() {
        return listener;
    }

    /** {@return a builder holding this request's options} */
    public Builder toBuilder() {
        Builder b = new Builder(url);
        b.direction = direction;
        b.deadline = deadline;
        b.interval = interval;
        b.maxConnections = maxConnections;
        b.probesPerSecond = probesPerSecond;
        b.insecure = insecure;
        b.pingFirstHop = pingFirstHop;
        b.listener = listener;
        return b;
    }

    @Override
    public String toString() {
        return "BufferbloatRequest{" + url + ", " + direction + ", limit " + Text.duration(deadline) + ", interval "
                + Text.duration(interval)
                + ", connections " + maxConnections + ", " + probesPerSecond + " probes/s"
                + (insecure ? ", insecure" : "") + "}";
    }

    /** Builds a {@link BufferbloatRequest}. */
    public static final class Builder {
        private final URI url;
        private LoadDirection direction = LoadDirection.SEQUENTIAL;
        private Duration deadline = DEFAULT_DEADLINE;
        private Duration interval = Duration.ofSeconds(1);
        private int maxConnections = MAX_CONNECTIONS;
        private int probesPerSecond = 100;
        private boolean insecure;
        private boolean pingFirstHop = true;
        private BufferbloatListener listener = BufferbloatListener.NONE;

        private Builder(URI url) {
            Objects.requireNonNull(url, "url");
            String scheme = url.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))) {
                throw new IllegalArgumentException("the responsiveness server URL must be https:// or http://, was '"
                        + url + "'");
            }
            if (url.getHost() == null || url.getHost().isEmpty()) {
                // java.net.URI leaves the host out when the authority is no valid host: say what is wrong with it
                String authority = url.getRawAuthority();
                throw new IllegalArgumentException(authority == null || authority.isEmpty()
                        ? "the responsiveness server URL has no host: '" + url + "'"
                        : "the responsiveness server URL's host '" + authority + "' is neither an IP address nor a "
                                + "host name: '" + url + "'");
            }
            if (url.getPort() == 0 || url.getPort() > 65535) {
                throw new IllegalArgumentException("port out of range 1..65535 in '" + url + "'");
            }
            this.url = url;
        }

        /**
         * Which way to load ({@link LoadDirection#SEQUENTIAL} by default).
         *
         * @param direction which way to load
         * @return this builder
         */
        public Builder direction(LoadDirection direction) {
            this.direction = Objects.requireNonNull(direction, "direction");
            return this;
        }

        /**
         * The time limit of the whole test, 2 s to 10 min.
         *
         * @param deadline the time limit of the whole test
         * @return this builder
         */
        public Builder deadline(Duration deadline) {
            Objects.requireNonNull(deadline, "deadline");
            if (deadline.compareTo(Duration.ofSeconds(2)) < 0 || deadline.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("deadline must be 2 s .. 10 min, was " + deadline);
            }
            this.deadline = deadline;
            return this;
        }

        /**
         * A quick test: deadline {@link #QUICK_DEADLINE}, shorter intervals (0.5 s).
         *
         * @return this builder
         */
        public Builder quick() {
            this.deadline = QUICK_DEADLINE;
            this.interval = Duration.ofMillis(500);
            return this;
        }

        /**
         * A precise test, as draft-09 defines its intervals: interval {@link #DRAFT_INTERVAL} (5 s), time limit
         * {@link #PRECISE_DEADLINE}. A stage ends once goodput and responsiveness are stable over MAD (4)
         * intervals (or when its share of the time limit is used), so each takes at least 20 s of measured
         * load after a ramp of whole 5 s intervals.
         *
         * @return this builder
         */
        public Builder precise() {
            this.deadline = PRECISE_DEADLINE;
            this.interval = DRAFT_INTERVAL;
            return this;
        }

        /**
         * draft-09's interval duration, 100 ms .. 10 s.
         *
         * @param interval the interval duration
         * @return this builder
         */
        public Builder interval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.compareTo(Duration.ofMillis(100)) < 0 || interval.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException("interval must be 100 ms .. 10 s, was " + interval);
            }
            this.interval = interval;
            return this;
        }

        /**
         * The most load connections per direction, 1..{@value #MAX_CONNECTIONS}.
         *
         * @param maxConnections the most load connections per direction
         * @return this builder
         */
        public Builder maxConnections(int maxConnections) {
            if (maxConnections < 1 || maxConnections > MAX_CONNECTIONS) {
                throw new IllegalArgumentException("maxConnections must be 1.." + MAX_CONNECTIONS
                        + ", was " + maxConnections);
            }
            this.maxConnections = maxConnections;
            return this;
        }

        /**
         * The most latency probes per second, 1..1000.
         *
         * @param probesPerSecond the most latency probes per second
         * @return this builder
         */
        public Builder probesPerSecond(int probesPerSecond) {
            if (probesPerSecond < 1 || probesPerSecond > 1000) {
                throw new IllegalArgumentException("probesPerSecond must be 1..1000, was " + probesPerSecond);
            }
            this.probesPerSecond = probesPerSecond;
            return this;
        }

        /**
         * Accept any certificate (a self-signed server; never for a server you do not control).
         *
         * @param insecure whether any server certificate is accepted
         * @return this builder
         */
        public Builder insecure(boolean insecure) {
            this.insecure = insecure;
            return this;
        }

        /**
         * Whether the first hop is pinged too, to tell a local queue from a remote one (default true).
         *
         * @param pingFirstHop whether the first hop is pinged too
         * @return this builder
         */
        public Builder pingFirstHop(boolean pingFirstHop) {
            this.pingFirstHop = pingFirstHop;
            return this;
        }

        /**
         * Streams the test for progress bars and live plots (default: none).
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(BufferbloatListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** {@return the request} */
        public BufferbloatRequest build() {
            return new BufferbloatRequest(this);
        }
    }
}
