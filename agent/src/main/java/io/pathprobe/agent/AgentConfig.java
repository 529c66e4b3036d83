package io.pathprobe.agent;

import io.pathprobe.agent.metrics.MetricsServer;
import io.pathprobe.agent.sink.SinkSettings;
import io.pathprobe.options.ProbeOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The agent's schedule: its limits, the probe options every job starts from, its sinks, its metrics endpoint and
 * its jobs. Read from YAML (or JSON, which is YAML) by {@link #parse(String, String)}; the format is in
 * docs/agent.md.
 *
 * @param limits what the whole schedule may use
 * @param defaults the probe options every job starts from
 * @param sinks where the records go (none: records are only counted and measured into metrics)
 * @param metrics the Prometheus endpoint, if any
 * @param jobs the jobs, names unique
 * @param user the user the agent runs as once its sockets, sinks and metrics endpoint are open (Linux, started as
 *     root: {@link io.pathprobe.linux.privilege.Privileges}), if any
 * @param otlp where each result's spans are exported over OTLP, if anywhere
 */
public record AgentConfig(Limits limits, ProbeOptions defaults, List<SinkSettings> sinks,
        Optional<MetricsSettings> metrics, List<JobConfig> jobs, Optional<io.pathprobe.linux.privilege.User> user,
        Optional<OtlpSettings> otlp) {
    /** The largest schedule file read: 1 MiB. */
    public static final int MAX_FILE_BYTES = 1 << 20;

    /**
     * {@return whether this schedule starts as {@code other} did: the same sinks, metrics, OTLP export and user,
     * which a reload cannot change (the jobs, the concurrency and the probing budget it can)}
     *
     * @param other the schedule running
     */
    public boolean startsAs(AgentConfig other) {
        return sinks.equals(other.sinks) && metrics.equals(other.metrics) && user.equals(other.user)
                && otlp.equals(other.otlp);
    }

    /**
     * What the whole schedule may use.
     *
     * @param concurrency the most measurements running at once (monitors, which run all the time, apart)
     * @param budget the probing budget of the whole schedule (the tracer's): {@code packetsPerSecond} overall, and
     *     per destination, per router and per prefix ({@code limits.budget})
     */
    public record Limits(int concurrency, io.pathprobe.options.ProbeBudget budget) {
        /** The defaults: 16 measurements at once, 1000 probes a second. */
        public static final Limits DEFAULT = new Limits(16, 1000);

        /** Checks. */
        public Limits {
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
            }
            java.util.Objects.requireNonNull(budget, "budget");
        }

        /**
         * Limits with an overall rate alone (it holds from the first probe, as {@code
         * PathTracerBuilder.packetsPerSecond}).
         *
         * @param concurrency the most measurements running at once
         * @param packetsPerSecond the probe rate of the whole schedule (0 unlimited)
         */
        public Limits(int concurrency, int packetsPerSecond) {
            this(concurrency, overall(packetsPerSecond));
        }

        private static io.pathprobe.options.ProbeBudget overall(int packetsPerSecond) {
            if (packetsPerSecond < 0) {
                throw new IllegalArgumentException("packetsPerSecond must be 0 or more, was " + packetsPerSecond);
            }
            return new io.pathprobe.options.ProbeBudget(packetsPerSecond, 0, 0, 0, 1);
        }

        /** {@return the probe rate of the whole schedule (0 unlimited)} */
        public int packetsPerSecond() {
            return budget.overall();
        }
    }

    /**
     * The Prometheus endpoint.
     *
     * @param host the address it listens on ("127.0.0.1", the default: IPv4 loopback, this host only; "0.0.0.0":
     *     every address of both families, IPv4 and IPv6, through Java's dual-stack socket, as a DaemonSet's pod
     *     needs)
     * @param port its port (0: any free one)
     * @param path the path ("/metrics")
     * @param readTimeout the longest a client may take to send its request head (default 10 s)
     * @param access basic authentication and TLS, if any
     * @param pages where the agent's pages are ({@link io.pathprobe.agent.metrics.AgentPages}: the index there,
     *     each job's and target's page under it), if it serves them ({@link #defaultPages})
     */
    public record MetricsSettings(String host, int port, String path, Duration readTimeout, MetricsAccess access,
            Optional<String> pages) {
        /** The host when the schedule names none: loopback, so nothing is exposed unless a host is named. */
        public static final String DEFAULT_HOST = "127.0.0.1";

        /** Checks. */
        public MetricsSettings {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(access, "access");
            if (readTimeout.isNegative() || readTimeout.isZero()) {
                throw new IllegalArgumentException("readTimeout must be positive, was " + readTimeout);
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("path must start with /, was " + path);
            }
            if (pages.isPresent() && (!pages.get().startsWith("/") || pages.get().equals(path))) {
                throw new IllegalArgumentException("pages must be a path starting with / other than the metrics' "
                        + path + ", was " + pages.get());
            }
        }

        /** An open endpoint (no authentication, plain HTTP) with the default read timeout and pages. */
        public MetricsSettings(String host, int port, String path) {
            this(host, port, path, MetricsServer.Options.DEFAULT_READ_TIMEOUT, MetricsAccess.OPEN, defaultPages(path));
        }

        /**
         * {@return where the pages are when the schedule does not say: at {@code /}, unless the metrics are there}
         *
         * @param path the metrics' path
         */
        public static Optional<String> defaultPages(String path) {
            return path.equals("/") ? Optional.empty() : Optional.of("/");
        }

        /** {@return the socket address the endpoint binds: the one place start and {@code --check} take it from} */
        public InetSocketAddress socketAddress() {
            return new InetSocketAddress(host, port);
        }

        /** {@return the address the endpoint binds, as {@code host:port} ({@code [::1]:9464} for IPv6)} */
        public String address() {
            return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** Checks and copies: job names unique, sink names unique. */
    public AgentConfig {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(defaults, "defaults");
        sinks = List.copyOf(sinks);
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(otlp, "otlp");
        jobs = List.copyOf(jobs);
        Set<String> names = new HashSet<>();
        for (JobConfig j : jobs) {
            if (!names.add(j.name())) {
                throw new IllegalArgumentException("two jobs are named " + j.name());
            }
        }
        names.clear();
        for (SinkSettings s : sinks) {
            if (!names.add(s.name())) {
                throw new IllegalArgumentException("two sinks are named " + s.name());
            }
        }
    }

    /**
     * {@return the schedule in {@code text}}
     *
     * @param text YAML or JSON
     * @param source the file name, for messages
     * @throws AgentConfigException if it cannot be run as written (the message names the line)
     */
    public static AgentConfig parse(String text, String source) {
        return new ConfigReader(source).read(text);
    }

    /**
     * {@return the schedule in the file}
     *
     * @param file a YAML or JSON file
     * @throws AgentConfigException if it cannot be read or run as written
     */
    public static AgentConfig read(Path file) {
        return parse(text(file), file.toString());
    }

    /**
     * {@return the text of a schedule's file}, read only if it is a regular file (links followed) of at most
     * {@link #MAX_FILE_BYTES}: a FIFO, a device ({@code /dev/zero}), a directory or a larger file is refused before
     * anything is read, and at most one byte more than the cap is ever read (a file that grows meanwhile).
     *
     * @param file a YAML or JSON file
     * @throws AgentConfigException if it is not such a file or cannot be read
     */
    public static String text(Path file) {
        String source = file.toString();
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new AgentConfigException(source, 0, 0, "cannot be read: no such file");
        } catch (IOException e) {
            throw new AgentConfigException(source, 0, 0, "cannot be read: " + e);
        }
        if (!a.isRegularFile()) {
            throw new AgentConfigException(source, 0, 0, "is not a regular file (" + (a.isDirectory() ? "a directory"
                    : "a FIFO, socket or device") + "): the schedule is read from a regular file only");
        }
        if (a.size() > MAX_FILE_BYTES) {
            throw tooLarge(source);
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (IOException e) {
            throw new AgentConfigException(source, 0, 0, "cannot be read: " + e);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw tooLarge(source);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new AgentConfigException(source, 0, 0, "is not UTF-8 text");
        }
    }

    private static AgentConfigException tooLarge(String source) {
        return new AgentConfigException(source, 0, 0, "is larger than " + MAX_FILE_BYTES
                + " bytes (1 MiB), the most a schedule may be");
    }

    /** {@return the job of this name, if any} */
    public Optional<JobConfig> job(String name) {
        return jobs.stream().filter(j -> j.name().equals(name)).findFirst();
    }
}
