package io.pathprobe.lab.server;

import io.pathprobe.lab.MiniJson;
import io.pathprobe.lab.namespace.Exec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A real Prometheus server (Debian's {@code prometheus}, installed by build/deps) scraping one target every
 * second, on loopback of the calling network namespace, with its own temporary directory (configuration, TSDB,
 * log). {@link #close()} kills it and removes the directory, whatever happened before; a JVM that exits without
 * closing it kills it in a shutdown hook, and one that is killed takes it along ({@code setpriv --pdeathsig}).
 * The agent's tests and the command line's release check ({@code pathprobe agent}) scrape with it.
 */
public final class PrometheusServer implements AutoCloseable {
    /** A sample of an instant query: its labels and value. */
    public record Series(Map<String, String> labels, double value) {
    }

    private final Path dir;
    private final Process process;
    private final int port;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Thread hook;

    private PrometheusServer(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
        this.hook = new Thread(() -> stop(process), "prometheus-kill");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** A program from the PATH, if there. */
    public static java.util.Optional<Path> onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return java.util.Optional.of(p);
            }
        }
        return java.util.Optional.empty();
    }

    /** The prometheus binary, from the PATH; fails with how to install it if there is none. */
    public static Path binary() {
        return onPath("prometheus").orElseThrow(() -> new IllegalStateException(
                "no prometheus on the PATH: run build/deps (Debian's prometheus package)"));
    }

    /**
     * Starts Prometheus scraping {@code target}'s {@code path} every second, evaluating {@code ruleFiles}' rules every
     * second, and waits (a liveness bound of 60 s) until it is ready.
     */
    public static PrometheusServer start(InetSocketAddress target, String path, Path... ruleFiles)
            throws IOException, InterruptedException {
        return start(List.of(target), path, ruleFiles);
    }

    /**
     * As {@link #start(InetSocketAddress, String, Path...)}, scraping each of {@code targets} (instances of one scrape
     * job, {@code pathprobe-agent}).
     */
    public static PrometheusServer start(List<InetSocketAddress> targets, String path, Path... ruleFiles)
            throws IOException, InterruptedException {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no target to scrape");
        }
        Path binary = binary();
        Path dir = Files.createTempDirectory("pathprobe-prometheus-");
        Process process = null;
        PrometheusServer server = null;
        try {
            String config = "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                    + "scrape_configs:\n  - job_name: pathprobe-agent\n    scrape_interval: 1s\n"
                    + "    scrape_timeout: 1s\n    metrics_path: " + path + "\n    static_configs:\n"
                    + "      - targets: [" + String.join(", ", targets.stream().map(t -> "'" + t.getHostString()
                            + ":" + t.getPort() + "'").toList()) + "]\n";
            if (ruleFiles.length > 0) {
                config += "rule_files:\n";
                for (Path rules : ruleFiles) {
                    config += "  - '" + rules.toAbsolutePath() + "'\n";
                }
            }
            Path file = Files.writeString(dir.resolve("prometheus.yml"), config);
            int port = freePort();
            List<String> command = new ArrayList<>();
            onPath("setpriv").ifPresent(setpriv -> command.addAll(List.of(setpriv.toString(), "--pdeathsig", "KILL",
                    "--")));
            command.addAll(List.of(binary.toString(), "--config.file=" + file, "--storage.tsdb.path="
                    + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port, "--log.level=warn"));
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            server = new PrometheusServer(dir, process, port);
            server.awaitReady();
            return server;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            if (server != null) {
                server.close();
            } else {
                if (process != null) {
                    stop(process);
                }
                delete(dir);
            }
            throw e;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + process.exitValue() + ": " + log());
            }
            try {
                if (get("/-/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("prometheus not ready within 60 s: " + log());
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@return the result of an instant query (/api/v1/query) evaluated now} */
    @SuppressWarnings("unchecked")
    public List<Series> query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> r = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("query " + promql + ": HTTP " + r.statusCode() + " " + r.body());
        }
        Map<String, Object> data = MiniJson.object(MiniJson.object(MiniJson.parse(r.body())).get("data"));
        List<Series> out = new ArrayList<>();
        for (Object o : MiniJson.array(data.get("result"))) {
            Map<String, Object> s = MiniJson.object(o);
            List<Object> value = MiniJson.array(s.get("value"));
            out.add(new Series((Map<String, String>) (Map<?, ?>) MiniJson.object(s.get("metric")),
                    Double.parseDouble((String) value.get(1))));
        }
        return out;
    }

    /** A rule Prometheus loaded: its group, name, health ({@code ok}, {@code err}, {@code unknown}) and last error. */
    public record Rule(String group, String name, String health, String lastError) {
    }

    /** {@return every rule Prometheus loaded, by group (/api/v1/rules)} */
    public List<Rule> rules() throws IOException, InterruptedException {
        HttpResponse<String> r = get("/api/v1/rules");
        if (r.statusCode() != 200) {
            throw new IllegalStateException("rules: HTTP " + r.statusCode() + " " + r.body());
        }
        Map<String, Object> data = MiniJson.object(MiniJson.object(MiniJson.parse(r.body())).get("data"));
        List<Rule> out = new ArrayList<>();
        for (Object g : MiniJson.array(data.get("groups"))) {
            Map<String, Object> group = MiniJson.object(g);
            for (Object o : MiniJson.array(group.get("rules"))) {
                Map<String, Object> rule = MiniJson.object(o);
                out.add(new Rule(String.valueOf(group.get("name")), String.valueOf(rule.get("name")),
                        String.valueOf(rule.get("health")), String.valueOf(rule.getOrDefault("lastError", ""))));
            }
        }
        return out;
    }

    /**
     * {@return the query's result once it satisfies {@code done}} Fails after {@code timeout} (a liveness bound)
     * with the last result.
     */
    public List<Series> await(String promql, Predicate<List<Series>> done, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Series> last = query(promql);
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("after " + timeout.toSeconds() + " s, " + promql + " is still " + last);
            }
            Thread.sleep(250);
            last = query(promql);
        }
        return last;
    }

    /** {@return what Prometheus logged} */
    public String log() {
        try {
            return Files.readString(dir.resolve("prometheus.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Kills Prometheus (SIGTERM, then SIGKILL after 10 s) and removes its directory. */
    @Override
    public void close() {
        try {
            stop(process);
        } finally {
            Exec.removeShutdownHook(hook);
            delete(dir);
        }
    }

    private static void stop(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("removing " + dir, e);
        }
    }
}
