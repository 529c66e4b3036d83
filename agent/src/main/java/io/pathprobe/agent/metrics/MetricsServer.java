package io.pathprobe.agent.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * Serves a Prometheus registry's scrape in the Prometheus text format (0.0.4) over HTTP/1.1 at one path:
 * {@code GET} (and {@code HEAD}) of the path answers 200 with the scrape, any other path 404, any other method 405;
 * one request a connection ({@code Connection: close}).
 *
 * <p>Bounded: a few worker threads ({@link #THREADS}, a short queue beyond them; a connection that finds both full
 * is closed at once), a request head of at most {@link #MAX_HEAD} bytes, and a connection that has not sent its
 * whole head (TLS handshake included) within {@link Options#readTimeout} is closed, so a client holding half a
 * request delays no other scrape by more than that. With {@link Options#credentials} every path asks for HTTP
 * basic authentication (401 without it); with {@link Options#tls} it speaks HTTPS only.
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * AgentMetrics metrics = new AgentMetrics(registry);
 * try (MetricsServer server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 9464), "/metrics", registry,
 *         metrics)) {
 *     ...
 * }
 * }</pre>
 */
public final class MetricsServer implements AutoCloseable {
    /** The content type of the Prometheus text format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** Connections served at once. */
    public static final int THREADS = 4;
    /** The longest request head (request line and headers) read, in bytes. */
    public static final int MAX_HEAD = 8192;
    private static final int QUEUED = 16;

    /**
     * How the endpoint is guarded.
     *
     * @param readTimeout the longest a connection may take to send its request head
     * @param credentials {@code user:password} for HTTP basic authentication on every path, if any
     * @param tls the server's TLS context (its key and certificate), if it serves HTTPS
     */
    public record Options(Duration readTimeout, Optional<String> credentials, Optional<SSLContext> tls) {
        /** The default {@link #readTimeout}. */
        public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);

        /** Checks. */
        public Options {
            if (readTimeout.isNegative() || readTimeout.isZero()) {
                throw new IllegalArgumentException("readTimeout must be positive, was " + readTimeout);
            }
            Objects.requireNonNull(credentials, "credentials");
            Objects.requireNonNull(tls, "tls");
            if (credentials.isPresent() && credentials.get().indexOf(':') < 1) {
                throw new IllegalArgumentException("credentials must be user:password");
            }
        }

        /** {@return plain HTTP, no authentication, the default read timeout} */
        public static Options defaults() {
            return new Options(DEFAULT_READ_TIMEOUT, Optional.empty(), Optional.empty());
        }
    }

    private final ServerSocket socket;
    private final ThreadPoolExecutor workers;
    private final Thread acceptor;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private MetricsServer(ServerSocket socket, String path, Supplier<String> scrape, Options options) {
        this.socket = socket;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUED), r -> daemon(r, "pathprobe-metrics-" + n.incrementAndGet()));
        workers.allowCoreThreadTimeOut(true);
        Optional<String> expected = options.credentials().map(c -> "Basic "
                + Base64.getEncoder().encodeToString(c.getBytes(StandardCharsets.UTF_8)));
        this.acceptor = daemon(() -> accept(path, scrape, options.readTimeout(), expected), "pathprobe-metrics-server");
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Starts serving plain HTTP with the default options.
     *
     * @param address where to listen (port 0: any free port, see {@link #address()})
     * @param path the scrape's path, e.g. {@code "/metrics"}
     * @param registry the registry to scrape
     * @return the running server
     * @throws IOException if the address cannot be bound
     * @throws IllegalArgumentException if {@code path} does not start with {@code /}
     */
    public static MetricsServer start(InetSocketAddress address, String path, PrometheusMeterRegistry registry)
            throws IOException {
        Objects.requireNonNull(registry, "registry");
        return start(address, path, registry::scrape, Options.defaults());
    }

    /**
     * Starts serving the scrape of {@code registry} taken while {@code metrics} changes none of its series
     * ({@link AgentMetrics#steady}), with the default options.
     *
     * @param address where to listen (port 0: any free port, see {@link #address()})
     * @param path the scrape's path, e.g. {@code "/metrics"}
     * @param registry the registry to scrape
     * @param metrics the agent's metrics in {@code registry}
     * @return the running server
     * @throws IOException if the address cannot be bound
     * @throws IllegalArgumentException if {@code path} does not start with {@code /}
     */
    public static MetricsServer start(InetSocketAddress address, String path, PrometheusMeterRegistry registry,
            AgentMetrics metrics) throws IOException {
        return start(address, path, registry, metrics, Options.defaults());
    }

    /**
     * Starts serving the scrape of {@code registry} taken while {@code metrics} changes none of its series
     * ({@link AgentMetrics#steady}): the agent's own server scrapes so, and so never fails a scrape while a result
     * replaces its series (Micrometer's Prometheus registry throws {@code DuplicateLabelsException} for a series
     * removed and registered again during a scrape), nor serves half of one result's series.
     *
     * @param address where to listen (port 0: any free port, see {@link #address()})
     * @param path the scrape's path, e.g. {@code "/metrics"}
     * @param registry the registry to scrape
     * @param metrics the agent's metrics in {@code registry}
     * @param options the read timeout, authentication and TLS
     * @return the running server
     * @throws IOException if the address cannot be bound
     * @throws IllegalArgumentException if {@code path} does not start with {@code /}
     */
    public static MetricsServer start(InetSocketAddress address, String path, PrometheusMeterRegistry registry,
            AgentMetrics metrics, Options options) throws IOException {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(metrics, "metrics");
        return start(address, path, () -> metrics.steady(registry::scrape), options);
    }

    static MetricsServer start(InetSocketAddress address, String path, Supplier<String> scrape, Options options)
            throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("the path must start with /, was " + path);
        }
        ServerSocket socket = options.tls().isPresent()
                ? options.tls().get().getServerSocketFactory().createServerSocket() : new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(address, 50);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        MetricsServer server = new MetricsServer(socket, path, scrape, options);
        server.acceptor.start();
        return server;
    }

    private void accept(String path, Supplier<String> scrape, Duration timeout, Optional<String> expected) {
        while (!closed) {
            Socket s;
            try {
                s = socket.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            open.add(s);
            try {
                workers.execute(() -> {
                    try (s) {
                        serve(s, path, scrape, timeout, expected);
                    } catch (IOException | RuntimeException e) {
                        // the client went, sent too little in time, or TLS failed: its connection is closed
                    } finally {
                        open.remove(s);
                    }
                });
            } catch (RejectedExecutionException e) {
                open.remove(s);
                closeQuietly(s);
            }
        }
    }

    private static void serve(Socket s, String path, Supplier<String> scrape, Duration timeout,
            Optional<String> expected) throws IOException {
        String[] head = readHead(s, System.nanoTime() + timeout.toNanos());
        OutputStream out = s.getOutputStream();
        String[] line = head[0].split(" ");
        if (line.length != 3 || !line[2].startsWith("HTTP/")) {
            reply(out, 400, "", "bad request\n", true);
            return;
        }
        String method = line[0];
        String target = line[1];
        int q = target.indexOf('?');
        String asked = q < 0 ? target : target.substring(0, q);
        if (expected.isPresent() && !authorized(head, expected.get())) {
            reply(out, 401, "WWW-Authenticate: Basic realm=\"pathprobe\", charset=\"UTF-8\"\r\n",
                    "authentication required\n", !method.equals("HEAD"));
        } else if (!asked.equals(path)) {
            reply(out, 404, "", "not found: the metrics are at " + path + "\n", !method.equals("HEAD"));
        } else if (!method.equals("GET") && !method.equals("HEAD")) {
            reply(out, 405, "Allow: GET, HEAD\r\n", "method not allowed\n", true);
        } else {
            reply(out, 200, "Content-Type: " + CONTENT_TYPE + "\r\n", scrape.get(), method.equals("GET"));
        }
    }

    /** The request line and header lines, read before {@code deadline} (else a timeout). */
    private static String[] readHead(Socket s, long deadline) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        byte[] buf = new byte[512];
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("request head not sent in time");
            }
            s.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            int n = in.read(buf, 0, Math.min(buf.length, MAX_HEAD - head.size()));
            if (n < 0) {
                throw new IOException("closed before the end of the request head");
            }
            head.write(buf, 0, n);
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end >= 0) {
                return text.substring(0, end).split("\r\n");
            }
            if (head.size() >= MAX_HEAD) {
                throw new IOException("request head longer than " + MAX_HEAD + " bytes");
            }
        }
    }

    private static boolean authorized(String[] head, String expected) {
        for (int i = 1; i < head.length; i++) {
            int colon = head[i].indexOf(':');
            if (colon > 0 && head[i].substring(0, colon).strip().toLowerCase(Locale.ROOT).equals("authorization")) {
                return MessageDigest.isEqual(head[i].substring(colon + 1).strip().getBytes(StandardCharsets.UTF_8),
                        expected.getBytes(StandardCharsets.UTF_8));
            }
        }
        return false;
    }

    private static void reply(OutputStream out, int status, String headers, String text, boolean body)
            throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        String reason = switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            default -> "Method Not Allowed";
        };
        String type = headers.startsWith("Content-Type:") ? "" : "Content-Type: text/plain; charset=utf-8\r\n";
        out.write(("HTTP/1.1 " + status + " " + reason + "\r\n" + type + headers + "Content-Length: " + bytes.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        if (body) {
            out.write(bytes);
        }
        out.flush();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** {@return the address the server listens on (its port chosen when asked for 0)} */
    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Stops serving at once: closes the listening socket and every open connection, and ends its threads. */
    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        workers.shutdownNow();
        open.forEach(MetricsServer::closeQuietly);
        try {
            acceptor.join(5_000);
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
