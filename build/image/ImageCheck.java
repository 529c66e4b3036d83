import io.pathprobe.lab.Lab;
import io.pathprobe.lab.server.PrometheusServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * build/image-check's run (a source-file program, with pathprobe-lab on its class path, in a JVM of a private network
 * namespace: build/netns/bin/java): the agent as the container image runs it, from the class path Jib packages, its
 * main class and its arguments, as its user, in a lab chain:
 * {@code ImageCheck <class path> <user id> <main class> <args..., /etc/pathprobe/agent.yaml among them>}. The
 * schedule (written here, in place of the image's /etc/pathprobe/agent.yaml, as Kubernetes mounts it) traces and
 * pings the lab's destination into a file sink and a Kafka sink (which opens without connecting: the image carries
 * pathprobe-agent-kafka) and serves /metrics, which Debian's Prometheus scrapes until it holds the destination's loss,
 * RTT and path-id series; the file must hold both jobs' records; SIGTERM must end the agent with exit code 0. This
 * namespace's net.ipv4.ping_group_range is set as deploy/kubernetes/daemonset.yaml sets the pod's. Exit 0 when all
 * of it held, 1 otherwise. Every probe stays in the lab; Prometheus and the endpoint listen on this namespace's
 * loopback.
 */
public final class ImageCheck {
    public static void main(String[] args) throws Exception {
        String classPath = args[0];
        String user = args[1];
        String mainClass = args[2];
        List<String> imageArgs = List.of(args).subList(3, args.length);
        Files.writeString(Path.of("/proc/sys/net/ipv4/ping_group_range"), "0 2147483647");
        Path dir = Files.createTempDirectory("pathprobe-image-check-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        boolean ok;
        try (Lab lab = Lab.chain(3).inCurrentNamespace().build()) {
            String dst = lab.destination().getHostAddress();
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Path records = dir.resolve("records.ndjson");
            Path config = Files.writeString(dir.resolve("agent.yaml"), String.join("\n",
                    "defaults: {enrich: off, probeTimeout: 500ms}",
                    "sinks:",
                    "  - {type: file, path: " + records + "}",
                    "  - {type: kafka, bootstrap.servers: '127.0.0.1:9', topic: pathprobe-records}",
                    "metrics: {host: 127.0.0.1, port: " + port + "}",
                    "jobs:",
                    "  - {name: path, kind: trace, target: " + dst + ", interval: 60s}",
                    "  - {name: reach, kind: ping, targets: [" + dst + "], interval: 60s, count: 5, probeInterval: 100ms}",
                    ""));
            Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
            List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + user, "--regid=" + user,
                    "--clear-groups", "--inh-caps=-all", Path.of(System.getProperty("java.home"), "bin", "java")
                            .toString(), "-Djava.io.tmpdir=/tmp", "-cp", classPath, mainClass));
            for (String a : imageArgs) {
                command.add(a.equals("/etc/pathprobe/agent.yaml") ? config.toString() : a);
            }
            System.out.println("lab " + lab.name() + ", destination " + dst + "; running as user " + user + ": "
                    + String.join(" ", command).replace(classPath, "<the image's class path>"));
            Path err = dir.resolve("agent.err");
            Process agent = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(err.toFile()).start();
            ok = true;
            try (PrometheusServer prometheus = PrometheusServer.start(new InetSocketAddress("127.0.0.1", port),
                    "/metrics")) {
                String target = "{target=\"" + dst + "\"}";
                for (String series : List.of("pathprobe_hop_loss_ratio", "pathprobe_hop_rtt_avg_seconds",
                        "pathprobe_path_id", "ping_loss_ratio", "ping_rtt_avg_seconds")) {
                    List<PrometheusServer.Series> s;
                    try {
                        s = prometheus.await(series + target, r -> !r.isEmpty(), Duration.ofSeconds(60));
                    } catch (AssertionError e) {
                        System.out.println("FAILED: " + e.getMessage());
                        ok = false;
                        break;
                    }
                    System.out.println("Prometheus has " + series + target + ": " + s.size() + " series");
                }
                List<String> lines = Files.exists(records) ? Files.readAllLines(records) : List.of();
                boolean both = lines.stream().anyMatch(l -> l.contains("\"job\":\"path\""))
                        && lines.stream().anyMatch(l -> l.contains("\"job\":\"reach\""));
                System.out.println((both ? "" : "FAILED: ") + "the file sink holds " + lines.size() + " records"
                        + (both ? " of both jobs" : ", not of both jobs"));
                ok &= both;
            } finally {
                agent.destroy(); // SIGTERM, as Kubernetes stops a pod
                if (!agent.waitFor(30, TimeUnit.SECONDS)) {
                    agent.destroyForcibly();
                    System.out.println("FAILED: the agent did not stop within 30 s of SIGTERM");
                    ok = false;
                }
            }
            int exit = agent.isAlive() ? -1 : agent.exitValue();
            System.out.println((exit == 0 ? "" : "FAILED: ") + "the agent exited with " + exit + " after SIGTERM");
            ok &= exit == 0;
            String log = Files.readString(err);
            System.out.println("the agent's output:\n" + log.strip().indent(4));
            ok &= !log.contains("NoClassDefFoundError") && !log.contains("ClassNotFoundException");
        }
        try (var files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
        System.out.println(ok ? "OK" : "FAILED");
        System.exit(ok ? 0 : 1);
    }

    private ImageCheck() {
    }
}
