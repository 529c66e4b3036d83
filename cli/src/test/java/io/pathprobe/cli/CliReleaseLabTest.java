package io.pathprobe.cli;

import static io.pathprobe.cli.CliRuns.dest;
import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Nobody;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.cli.CliRuns.Via;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.server.PrometheusServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release check (issue 67): every command of the command line as it ships, from the shaded jar
 * ({@code java -jar pathprobe.jar}) and from the launcher ({@code pathprobe}), as root and as an unprivileged user
 * (uid 65534, no capabilities, from a copy of both; this namespace's {@code net.ipv4.ping_group_range} wide, as
 * Debian's and Fedora's systemd set it), on a lab chain: trace, ping, mtr, multipath, mtu, compare, a recorded trace
 * replayed, two trace documents diffed, transports, serve with a bufferbloat test against it, and the agent with a
 * file sink and {@code /metrics}, which Debian's Prometheus scrapes until it holds the loss, RTT and path-id series
 * of the lab's destination. Each exits with the README's code for a good run; and for a bad input each exits 2 with
 * exactly one line on stderr, prefixed {@code pathprobe CMD:} (followed, for a usage error, only by the README's hint
 * line {@code see 'pathprobe CMD --help'}) and nothing on stdout. Run by {@code build/test} as part of
 * {@code mvn verify} (the cli module's lab tests).
 */
@LabTest
class CliReleaseLabTest {
    @RegisterExtension
    @Order(1)
    static final LabExtension LAB = new LabExtension(Lab.chain(4)
            .icmpUnlimited("each command runs four times in a row (jar and launcher, root and nobody): the exit codes "
                    + "are checked, not the routers' rate limits").inCurrentNamespace());

    private static final CliRuns CLI = new CliRuns(Enrichment.OFF);
    /** systemd's net.ipv4.ping_group_range (Debian, Fedora, Ubuntu): every group may open ICMP datagram sockets. */
    private static final String WIDE_PING_GROUP_RANGE = "0 2147483647";

    @RegisterExtension
    @Order(2)
    static final Nobody NOBODY = Nobody.perClass(true);

    @TempDir
    static Path tmp;

    @BeforeAll
    static void widePingGroupRange() throws Exception {
        Files.writeString(CliRuns.PING_GROUP_RANGE, WIDE_PING_GROUP_RANGE);
    }


    /** One way of running the command line: through the jar or the launcher, as root or as nobody. */
    private record Way(Via via, boolean unprivileged) {
        CliRuns.Call call() {
            return CLI.call().via(via).as(unprivileged ? NOBODY : null);
        }

        Run run(String... args) {
            return call().run(args);
        }

        @Override
        public String toString() {
            return (via == Via.JAR ? "java -jar pathprobe.jar" : "the launcher") + (unprivileged ? ", as nobody"
                    : ", as root");
        }
    }

    @TestFactory
    Stream<DynamicContainer> everyCommandFromTheJarAndTheLauncherAsRootAndAsNobody() {
        List<DynamicContainer> all = new ArrayList<>();
        for (Via via : Via.values()) {
            for (boolean unprivileged : List.of(false, true)) {
                Way w = new Way(via, unprivileged);
                all.add(DynamicContainer.dynamicContainer(w.toString(), commands(w)));
            }
        }
        return all.stream();
    }

    private Stream<DynamicTest> commands(Way w) {
        return Stream.of(
                DynamicTest.dynamicTest("trace", () -> {
                    ok(w, 0, "trace", "-q", "1", "-w", "500ms", dest(LAB));
                    badInput(w, "trace", "--max-ttl", "256", dest(LAB));
                }),
                DynamicTest.dynamicTest("ping", () -> {
                    ok(w, 0, "ping", "-c", "3", "-i", "0.2", dest(LAB));
                    badInput(w, "ping", "-c", "1", "-s", "70000", dest(LAB));
                }),
                DynamicTest.dynamicTest("mtr", () -> {
                    ok(w, 0, "mtr", "-r", "-c", "2", "-i", "0.2", dest(LAB));
                    badInput(w, "mtr", "-i", "0", dest(LAB));
                }),
                DynamicTest.dynamicTest("multipath", () -> {
                    ok(w, 0, "multipath", "-w", "500ms", dest(LAB));
                    badInput(w, "multipath", "--confidence", "200", dest(LAB));
                }),
                DynamicTest.dynamicTest("mtu", () -> {
                    ok(w, 0, "mtu", "-w", "500ms", dest(LAB));
                    badInput(w, "mtu", "--max-size", "100", dest(LAB));
                }),
                DynamicTest.dynamicTest("compare", () -> {
                    ok(w, 0, "compare", "-p", "80", "-w", "500ms", dest(LAB));
                    badInput(w, "compare", "-p", "70000", dest(LAB));
                }),
                DynamicTest.dynamicTest("trace --record, replay", () -> replay(w)),
                DynamicTest.dynamicTest("diff", () -> diff(w)),
                DynamicTest.dynamicTest("transports", () -> {
                    Run r = ok(w, 0, "transports");
                    assertThat(r.out()).as(w + ": transports").contains("linux-udp-recverr");
                    badInput(w, "transports", "--format", "atlas");
                }),
                DynamicTest.dynamicTest("serve, bufferbloat", () -> serveAndBufferbloat(w)),
                DynamicTest.dynamicTest("agent (file sink, /metrics scraped by Prometheus)", () -> agent(w)));
    }

    /** A directory of the run's own that nobody can write to. */
    private static Path directory(Way w, String name) throws Exception {
        Path d = Files.createDirectories(tmp.resolve((w.via() + "-" + w.unprivileged() + "-" + name)
                .toLowerCase(java.util.Locale.ROOT)));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxrwxrwx"));
        return d;
    }

    /** Runs {@code args} and checks that it exits with {@code code}. */
    private static Run ok(Way w, int code, String... args) {
        Run r = w.run(args);
        assertThat(r.exitCode()).as("%s: pathprobe %s%nstdout:%n%s%nstderr:%n%s", w, String.join(" ", args), r.out(),
                r.err()).isEqualTo(code);
        return r;
    }

    /**
     * A bad input: exit 2, nothing on stdout, and on stderr exactly one line prefixed {@code pathprobe CMD:}, followed
     * for a usage error (a picocli one) only by the hint line.
     */
    private static void badInput(Way w, String command, String... args) {
        String[] all = Stream.concat(Stream.of(command), Stream.of(args)).toArray(String[]::new);
        Run r = w.run(all);
        String what = w + ": pathprobe " + String.join(" ", all) + "\nstdout:\n" + r.out() + "\nstderr:\n" + r.err();
        assertThat(r.exitCode()).as(what).isEqualTo(2);
        assertThat(r.out()).as(what).isEmpty();
        List<String> lines = r.errLines();
        assertThat(lines).as(what).isNotEmpty();
        assertThat(lines.get(0)).as(what).startsWith("pathprobe " + command + ": ");
        if (lines.size() > 1) {
            assertThat(lines).as(what).containsExactly(lines.get(0), "see 'pathprobe " + command + " --help'");
        }
    }

    private static void replay(Way w) throws Exception {
        Path dir = directory(w, "replay");
        Path file = dir.resolve("trace.ndjson");
        Run recorded = ok(w, 0, "trace", "--json", "-q", "1", "-w", "500ms", "--record", file.toString(), dest(LAB));
        Run replayed = ok(w, 0, "replay", "--json", file.toString());
        assertThat(replayed.out()).as("%s: the replayed document%n%s", w, replayed.err()).isEqualTo(recorded.out());
        badInput(w, "replay", dir.resolve("none.ndjson").toString());
    }

    private static void diff(Way w) throws Exception {
        Path dir = directory(w, "diff");
        Path a = Files.writeString(dir.resolve("a.json"), ok(w, 0, "trace", "--json", "-q", "1", "-w", "500ms",
                "-P", "icmp", dest(LAB)).out());
        Path b = Files.writeString(dir.resolve("b.json"), ok(w, 0, "trace", "--json", "-q", "1", "-w", "500ms",
                "-P", "icmp", dest(LAB)).out());
        Run same = ok(w, 0, "diff", a.toString(), b.toString());
        assertThat(same.out()).as(w + ": diff of two traces of one path").contains("no change");
        badInput(w, "diff", dir.resolve("none.json").toString(), a.toString());
    }

    private static void serveAndBufferbloat(Way w) throws Exception {
        Process server = w.call().command("serve", "--listen", "127.0.0.1:0", "--plain", "--until-eof")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8));
            String url = lines.readLine();
            assertThat(url).as(w + ": serve's first line").isNotNull().matches("http://127\\.0\\.0\\.1:\\d+/.*");
            // the whole quick test (10 s) once, through the jar as root; the other ways stop it at 4 s (the same
            // code, load and pings: a partial result, status DEADLINE_EXCEEDED, exit 1)
            boolean whole = w.via() == Via.JAR && !w.unprivileged();
            Run r = w.call().timeout(Duration.ofSeconds(120)).run(whole
                    ? new String[] {"bufferbloat", "--url", url, "--quick", "--json"}
                    : new String[] {"bufferbloat", "--url", url, "--quick", "--duration", "4s", "--json"});
            // 0: complete; 1: otherwise, which a quick test's time limit or a starved load make (the document says)
            String status = io.pathprobe.lab.MiniJson.parse(r.out()) instanceof java.util.Map<?, ?> m
                    ? String.valueOf(m.get("status")) : "";
            assertThat(r.exitCode()).as("%s: bufferbloat, status %s%n%s%n%s", w, status, r.out(), r.err())
                    .isEqualTo(status.equals("COMPLETED") ? 0 : 1);
            assertThat(status).as(w + ": " + r.out()).isIn("COMPLETED", "DEADLINE_EXCEEDED", "LOAD_FAILED");
            server.getOutputStream().close(); // --until-eof: end of input stops it
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).as(w + ": serve ends at the end of its input").isTrue();
            assertThat(server.exitValue()).as(w + ": serve's exit code").isZero();
        } finally {
            server.destroyForcibly();
        }
        badInput(w, "serve", "--listen", "127.0.0.1");
        badInput(w, "bufferbloat", "--url", "ftp://x");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void agent(Way w) throws Exception {
        Path dir = directory(w, "agent");
        Path records = dir.resolve("records.ndjson");
        int port = freePort();
        String dst = dest(LAB);
        Path config = Files.writeString(dir.resolve("agent.yaml"), String.join("\n",
                "defaults: {enrich: off, probeTimeout: 500ms}",
                "sinks:",
                "  - {type: file, path: " + records + "}",
                "metrics: {host: 127.0.0.1, port: " + port + "}",
                "jobs:",
                "  - {name: path, kind: trace, target: " + dst + ", interval: 60s}",
                "  - {name: reach, kind: ping, targets: [" + dst + "], interval: 60s, count: 5, probeInterval: 100ms}",
                ""));
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        Path err = dir.resolve("agent.err");
        Process agent = w.call().command("agent", "--config", config.toString())
                .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        @Nullable Integer exit = null;
        try (PrometheusServer prometheus = PrometheusServer.start(new InetSocketAddress("127.0.0.1", port),
                "/metrics")) {
            String target = "{target=\"" + dst + "\"}";
            Duration patience = Duration.ofSeconds(60); // a liveness bound: scrapes are 1 s apart
            for (String series : List.of("pathprobe_hop_loss_ratio", "pathprobe_hop_rtt_avg_seconds",
                    "pathprobe_path_id", "ping_loss_ratio", "ping_rtt_avg_seconds")) {
                List<PrometheusServer.Series> s = prometheus.await(series + target, r -> !r.isEmpty(), patience);
                assertThat(s).as("%s: %s in Prometheus", w, series).isNotEmpty();
                assertThat(agent.isAlive()).as("%s: the agent runs (stderr: %s)", w, read(err)).isTrue();
            }
            assertThat(prometheus.query("up{job=\"pathprobe-agent\"}")).extracting(PrometheusServer.Series::value)
                    .as(w + ": Prometheus scraped the agent").containsExactly(1.0);
            List<String> lines = Files.readAllLines(records);
            assertThat(lines).as(w + ": the file sink's records").anyMatch(l -> l.contains("\"job\":\"path\""))
                    .anyMatch(l -> l.contains("\"job\":\"reach\""));
        } finally {
            agent.destroy(); // SIGTERM, as Kubernetes stops a pod
            if (agent.waitFor(30, TimeUnit.SECONDS)) {
                exit = agent.exitValue();
            } else {
                agent.destroyForcibly();
            }
        }
        assertThat(exit).as("%s: the agent's exit code after SIGTERM (stderr: %s)", w, read(err)).isEqualTo(0);
        assertThat(read(err)).as(w + ": the agent's stderr").contains("pathprobe agent: stopped: ");
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "jobs: [\n");
        Files.setPosixFilePermissions(bad, PosixFilePermissions.fromString("rw-r--r--"));
        badInput(w, "agent", "--config", bad.toString());
    }

    private static String read(Path p) throws Exception {
        return Files.exists(p) ? Files.readString(p) : "";
    }
}
