package io.pathprobe.agent.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Apache Kafka's own broker (kafka_2.13, the client's version), one node in KRaft mode (broker and controller),
 * in a child JVM on 127.0.0.1 with two free ports, its log directory in a temporary directory. The storage is
 * formatted first (kafka.tools.StorageTool format --standalone, as kafka-storage.sh does). {@link #stop()} ends
 * it as a service manager would (SIGTERM: a controlled shutdown); {@link #start()} starts it again on the same
 * ports and data. As an extension it starts before the class's tests and is torn down after them, whatever
 * happened: the process killed, the directory deleted (its log copied to target/kafka-broker.log first). A JVM
 * shutdown hook and the child's watch of its standard input (BrokerMain) cover a test JVM that ends otherwise.
 */
final class KafkaBroker implements BeforeAllCallback, AfterAllCallback {
    private static final Duration READY = Duration.ofSeconds(90);
    private Path dir;
    private Path log;
    private int brokerPort;
    private int controllerPort;
    private Process process;
    private Thread hook;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        KafkaLogging.quiet(); // the tests' own clients too: the default the sink gives the agent
        dir = Files.createTempDirectory("pathprobe-kafka-");
        log = dir.resolve("broker.log");
        brokerPort = freePort();
        controllerPort = freePort();
        Path config = dir.resolve("server.properties");
        Files.write(config, serverProperties(), StandardCharsets.UTF_8);
        hook = new Thread(this::kill, "kafka-broker-kill");
        Runtime.getRuntime().addShutdownHook(hook);
        long t0 = System.nanoTime();
        Process format = launch("kafka.tools.StorageTool", "format", "--config", config.toString(),
                "--cluster-id", Uuid.randomUuid().toString(), "--standalone");
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IllegalStateException("formatting the broker's storage failed: " + tail());
        }
        System.out.printf("kafka broker: storage formatted in %d ms%n", millisSince(t0));
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            kill();
            if (hook != null) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        } finally {
            if (dir != null) {
                if (Files.exists(log)) {
                    Files.createDirectories(Path.of("target"));
                    Files.copy(log, Path.of("target", "kafka-broker.log"), StandardCopyOption.REPLACE_EXISTING);
                }
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    /** {@return the broker's address for clients: 127.0.0.1 and its port} */
    String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /** Starts the broker (again) and waits until it answers, at most 90 s. */
    void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the broker runs already");
        }
        long t0 = System.nanoTime();
        process = launch("kafka.Kafka", dir.resolve("server.properties").toString());
        long deadline = t0 + READY.toNanos();
        try (Admin admin = admin()) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the broker ended (exit " + process.exitValue() + "): " + tail());
                }
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        break;
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    // not yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the broker did not answer within " + READY + ": " + tail());
                }
                Thread.sleep(200);
            }
        }
        System.out.printf("kafka broker: up on %s in %d ms%n", bootstrapServers(), millisSince(t0));
    }

    /** Stops the broker as a service manager would (SIGTERM), killing it if it has not ended within 60 s. */
    void stop() throws InterruptedException {
        long t0 = System.nanoTime();
        // the handle's destroy sends SIGTERM alone: Process.destroy would also close the child's standard input,
        // which BrokerMain takes for the test JVM's end (a halt, not Kafka's controlled shutdown)
        process.toHandle().destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        System.out.printf("kafka broker: stopped in %d ms%n", millisSince(t0));
    }

    /**
     * Creates a topic with one replica, and waits until every partition has its leader, and a second more: a
     * producer writing at full speed into a topic created a few milliseconds before once had its first batch of a
     * partition refused (the partition not yet created on the broker) after later ones were taken, then every
     * retry of it refused as out of sequence (OutOfOrderSequenceException), until it gave up.
     */
    void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try {
                    TopicDescription d = admin.describeTopics(List.of(name)).allTopicNames().get(5, TimeUnit.SECONDS)
                            .get(name);
                    if (d.partitions().size() == partitions
                            && d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                        break;
                    }
                } catch (ExecutionException e) {
                    // not known yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic " + name + " has no leaders after 30 s");
                }
                Thread.sleep(100);
            }
        }
        Thread.sleep(1000);
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000));
    }

    private void kill() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Process launch(String main, String... args) throws IOException {
        // the test JVM's class path (kafka_2.13 and what it needs, test scope; this module's test classes for
        // BrokerMain), in an argument file: too long for some command lines
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path argFile = dir.resolve("java.args");
        Files.writeString(argFile, "-cp\n\"" + classPath.replace("\\", "\\\\") + "\"\n", StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-Djava.awt.headless=true", "@" + argFile,
                BrokerMain.class.getName(), main));
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return b.start(); // its standard input stays open, a pipe from this JVM (see BrokerMain)
    }

    private List<String> serverProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:"
                + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.put("log.dirs", dir.resolve("data").toString());
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        List<String> lines = new ArrayList<>();
        p.forEach((k, v) -> lines.add(k + "=" + v));
        return lines;
    }

    private String tail() {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
            return "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
