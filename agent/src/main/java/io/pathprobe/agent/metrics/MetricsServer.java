package io.pathprobe.agent.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Serves a Prometheus registry's scrape in the Prometheus text format (0.0.4) over HTTP at one path, with the
 * JDK's HTTP server on one thread: {@code GET} (and {@code HEAD}) of the path answers 200 with the scrape, any other
 * path 404, any other method 405.
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

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts serving.
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
        return start(address, path, registry::scrape);
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
     * @return the running server
     * @throws IOException if the address cannot be bound
     * @throws IllegalArgumentException if {@code path} does not start with {@code /}
     */
    public static MetricsServer start(InetSocketAddress address, String path, PrometheusMeterRegistry registry,
            AgentMetrics metrics) throws IOException {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(metrics, "metrics");
        return start(address, path, () -> metrics.steady(registry::scrape));
    }

    private static MetricsServer start(InetSocketAddress address, String path, Supplier<String> scrape)
            throws IOException {
        Objects.requireNonNull(address, "address");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("the path must start with /, was " + path);
        }
        HttpServer server = HttpServer.create(address, 0);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "pathprobe-metrics-server");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> serve(exchange, path, scrape));
        server.start();
        return new MetricsServer(server, executor);
    }

    private static void serve(HttpExchange exchange, String path, Supplier<String> scrape) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!exchange.getRequestURI().getPath().equals(path)) {
                reply(exchange, 404, "not found: the metrics are at " + path + "\n", true);
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(exchange, 405, "method not allowed\n", true);
            } else {
                exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
                reply(exchange, 200, scrape.get(), method.equals("GET"));
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, String text, boolean body) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        }
        exchange.sendResponseHeaders(status, body ? bytes.length : -1);
        if (body) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** {@return the address the server listens on (its port chosen when asked for 0)} */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Stops serving at once and ends the server's thread. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
