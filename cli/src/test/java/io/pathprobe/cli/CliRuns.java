package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.Unprivileged;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The command line tests' one harness: runs the command line as it ships, as a process, never
 * {@link PathProbeCli} in the test's JVM or on its class path. Each run is the launcher beside the jar,
 * {@code target/pathprobe ARGS} (with {@code JAVA_HOME} this JVM's, so it uses the class-data sharing archive the
 * build made: a run starts in about half the time and CPU of {@code java -jar}), as root, unless the call says
 * otherwise: {@link Call#via(Via)} with {@link Via#JAR} runs {@code java -jar target/pathprobe.jar ARGS} as the
 * README's first run does (CliReleaseLabTest runs every command both ways, as root and as nobody; a test of the
 * JVM's own start or heap runs the jar), {@link #asNobody(Nobody, String...)} runs a world-readable copy as
 * uid/gid 65534 (no groups, no capabilities: {@link Nobody}), and {@link #call()} takes anything else: a copy of
 * the launcher or a link to it, standard input, environment variables, JVM options, a command to run it under
 * ({@code unshare -n}, {@code env --default-signal=INT}), a longer time limit, or a {@link ProcessBuilder} for a
 * test that drives the process itself. A run's standard input is empty unless given; its stdout and stderr are read whole;
 * it has {@value #DEFAULT_TIMEOUT_SECONDS} s to end (a liveness bound: it is killed and the test fails
 * after).
 *
 * <p>The jar and the launcher are the ones this module's {@code package} made ({@code -Dpathprobe.cli.jar},
 * {@code -Dpathprobe.cli.launcher}, set by the build): a test that runs the command line runs after package,
 * tagged {@link io.pathprobe.lab.LabTest} or {@link JarTest}. One that runs before (in default-test, which has no
 * {@code -Dpathprobe.cli.afterPackage}; or with a jar missing or older than the module's classes) fails saying
 * so.
 *
 * <p>Whether {@code --no-enrich} is put in is this harness's {@link Enrichment}, chosen by each test
 * class: the probing tests turn lookups off, the enrichment and argument-error tests pass their
 * arguments as given.
 */
final class CliRuns {
    /** {@code net.ipv4.ping_group_range} of this network namespace. */
    static final Path PING_GROUP_RANGE = Path.of("/proc/sys/net/ipv4/ping_group_range");

    /** How long a run may take unless its call says otherwise. */
    static final long DEFAULT_TIMEOUT_SECONDS = 90;

    /** The reader of the command line's JSON output, for every test that reads it. */
    static final ObjectMapper JSON = new ObjectMapper();

    /** {@return the lab's destination as a command line names it: its address, as text} */
    static String dest(LabExtension lab) {
        return lab.lab().destination().getHostAddress();
    }

    /** The shaded jar the build made. */
    static final Path JAR = Path.of(System.getProperty("pathprobe.cli.jar", "target/pathprobe.jar"))
            .toAbsolutePath();
    /** The launcher the build left beside it. */
    static final Path LAUNCHER = Path.of(System.getProperty("pathprobe.cli.launcher", "target/pathprobe"))
            .toAbsolutePath();
    /** This JVM's java: the JVM the build ran and the launcher's archive was made with. */
    static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    /** What the harness does with the arguments before the command line sees them. */
    enum Enrichment {
        /** Passed as given: enrichment stays at the command's default, or as the arguments set it. */
        AS_GIVEN,
        /** {@code --no-enrich} put in after trace, ping, mtr and multipath ({@link #plain(String...)}). */
        OFF
    }

    /** What starts the command line. */
    enum Via {
        /** {@code java -jar pathprobe.jar}, as the README's first run does. */
        JAR,
        /** The launcher script beside the jar ({@code pathprobe}). */
        LAUNCHER
    }

    /** One run of the command line. */
    record Run(int exitCode, String out, String err) {
        /** The stderr's lines, the last newline left out. */
        List<String> errLines() {
            return err.lines().toList();
        }

        /**
         * {@return the stderr of a run that exited with 2 (bad input, or no probe can leave this host): the exit code
         * asserted, the output in the message}
         */
        String exit2Err() {
            assertThat(exitCode).as(out + err).isEqualTo(2);
            return err;
        }
    }

    private final Enrichment enrichment;

    CliRuns(Enrichment enrichment) {
        this.enrichment = enrichment;
    }

    /**
     * These tests check probing, not enrichment (the enrichment lab tests do): no lookups, so the
     * output keeps its plain form and nothing asks the namespace's (absent) system resolver.
     */
    static String[] plain(String... args) {
        if (args.length == 0 || !List.of("trace", "ping", "multipath", "mtr").contains(args[0])
                || List.of(args).contains("--no-enrich")) {
            return args;
        }
        String[] out = new String[args.length + 1];
        out[0] = args[0];
        out[1] = "--no-enrich";
        System.arraycopy(args, 1, out, 2, args.length - 1);
        return out;
    }

    private String[] arguments(String... given) {
        return enrichment == Enrichment.OFF ? plain(given) : given;
    }

    /** The launcher {@code pathprobe ARGS} as root (this process's user). */
    Run run(String... args) {
        return call().run(args);
    }

    /** The launcher {@code pathprobe ARGS} as root. */
    Run launcher(String... args) {
        return call().via(Via.LAUNCHER).run(args);
    }

    /** The launcher {@code pathprobe ARGS} as nobody, from nobody's copy of the jar and launcher. */
    Run asNobody(Nobody nobody, String... args) {
        return call().as(nobody).run(args);
    }

    /** A run to set up: as root, through the launcher, empty stdin, {@value #DEFAULT_TIMEOUT_SECONDS} s. */
    Call call() {
        return new Call();
    }

    /**
     * One run of the command line being set up; each setter returns this call. {@link #run(String...)} runs it
     * to its end, {@link #command(String...)} gives the process to start for a test that drives it.
     */
    final class Call {
        private Via via = Via.LAUNCHER;
        private @Nullable Path launcherFile;
        private @Nullable Nobody nobody;
        private final List<String> wrapper = new ArrayList<>();
        private final List<String> jvmOptions = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private byte[] stdin = new byte[0];
        private Duration timeout = Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);

        private Call() {
        }

        /** Through the jar or the launcher. */
        Call via(Via v) {
            via = v;
            return this;
        }

        /**
         * Through the launcher at {@code file} (a copy of the build's, a symbolic link to it) instead of the build's
         * own, as root.
         */
        Call launcher(Path file) {
            via = Via.LAUNCHER;
            launcherFile = file;
            return this;
        }

        /** As nobody, from {@code n}'s copy of the jar and launcher; null: as root, from the build's. */
        Call as(@Nullable Nobody n) {
            nobody = n;
            return this;
        }

        /**
         * Under {@code command} (e.g. {@code unshare -n}, {@code env --default-signal=INT}): it runs the command
         * line's process, as root (before dropping to nobody when the call is as nobody).
         */
        Call under(String... command) {
            wrapper.addAll(Arrays.asList(command));
            return this;
        }

        /** JVM options: before {@code -jar} through the jar, in {@code JAVA_OPTS} through the launcher. */
        Call jvmOptions(String... options) {
            jvmOptions.addAll(Arrays.asList(options));
            return this;
        }

        /** An environment variable of the process (the rest is this JVM's environment). */
        Call env(String name, String value) {
            environment.put(name, value);
            return this;
        }

        /** What the process reads on standard input (then end of file). */
        Call stdin(String text) {
            stdin = text.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /** How long the run may take (a liveness bound). */
        Call timeout(Duration limit) {
            timeout = limit;
            return this;
        }

        /** The process that runs the command line with {@code given}, not started. */
        ProcessBuilder command(String... given) {
            List<String> args = Arrays.asList(arguments(given));
            Path program = via == Via.JAR ? JAR : LAUNCHER;
            program = nobody == null ? requireBuilt(program)
                    : nobody.unprivileged().resolve(program.getFileName().toString());
            if (via == Via.LAUNCHER && launcherFile != null) {
                if (nobody != null) {
                    throw new IllegalStateException("a launcher of the test's own runs as root only");
                }
                program = launcherFile;
            }
            List<String> cmd = new ArrayList<>();
            Map<String, String> env = new LinkedHashMap<>(environment);
            if (via == Via.JAR) {
                cmd.add(JAVA.toString());
                cmd.addAll(jvmOptions);
                if (nobody != null) {
                    cmd.add("-Djava.io.tmpdir=/tmp"); // the JVM's own temporary files (perf data, jffi's stub)
                }
                cmd.addAll(List.of("-jar", program.toString()));
            } else {
                cmd.add(program.toString());
                env.putIfAbsent("JAVA_HOME", JAVA.getParent().getParent().toString());
                if (!jvmOptions.isEmpty()) {
                    env.put("JAVA_OPTS", String.join(" ", jvmOptions));
                }
            }
            cmd.addAll(args);
            ProcessBuilder pb;
            if (nobody == null) {
                List<String> all = new ArrayList<>(wrapper);
                all.addAll(cmd);
                pb = new ProcessBuilder(all);
            } else {
                pb = nobody.unprivileged().command(cmd);
                List<String> all = new ArrayList<>(wrapper);
                all.addAll(pb.command());
                pb.command(all);
            }
            pb.environment().putAll(env);
            return pb;
        }

        /** Runs the command line with {@code given} to its end: its exit code, stdout and stderr. */
        Run run(String... given) {
            ProcessBuilder pb = command(given);
            Path out = null;
            Path err = null;
            try {
                out = Files.createTempFile("pathprobe-cli-", ".out");
                err = Files.createTempFile("pathprobe-cli-", ".err");
                Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                try (var in = p.getOutputStream()) {
                    in.write(stdin);
                } catch (IOException closedEarly) {
                    // the command line did not read its input: it is not a failure of the run
                }
                boolean ended = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!ended) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                String o = Files.readString(out, StandardCharsets.UTF_8);
                String e = Files.readString(err, StandardCharsets.UTF_8);
                assertThat(ended).as("%s ended within %s s%nstdout:%n%s%nstderr:%n%s", pb.command(),
                        timeout.toSeconds(), o, e).isTrue();
                return new Run(p.exitValue(), o, e);
            } catch (IOException e) {
                throw new UncheckedIOException("running " + pb.command(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted running " + pb.command(), e);
            } finally {
                deleteQuietly(out);
                deleteQuietly(err);
            }
        }
    }

    private static void deleteQuietly(@Nullable Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // a temporary file
            }
        }
    }

    /**
     * {@code file} if the build made it after the module's classes; else fails saying that the test runs before
     * package (tag it JarTest or LabTest) or on a stale jar.
     */
    static Path requireBuilt(Path file) {
        Built.CHECKED.computeIfAbsent(file, Built::check);
        return file;
    }

    private static final class Built {
        static final Map<Path, Boolean> CHECKED = new java.util.concurrent.ConcurrentHashMap<>();
        static final Path CLASSES = Path.of(System.getProperty("pathprobe.cli.classes", "target/classes"))
                .toAbsolutePath();

        static boolean check(Path file) {
            if (!Boolean.getBoolean("pathprobe.cli.afterPackage")) {
                throw new IllegalStateException("this test runs the command line in a test run before package (Maven's "
                        + "default-test): tag it JarTest (or LabTest), so that it runs after package made " + file);
            }
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException(file + " does not exist: the command line's tests run the built jar "
                        + "and launcher, after package (tag the test JarTest or LabTest; run mvn verify)");
            }
            try (Stream<Path> classes = Files.walk(CLASSES)) {
                FileTime newest = classes.filter(Files::isRegularFile).map(Built::modified)
                        .max(FileTime::compareTo).orElse(FileTime.fromMillis(0));
                if (modified(file).compareTo(newest) < 0) {
                    throw new IllegalStateException(file + " is older than " + CLASSES + ": this test runs before "
                            + "package made the jar from these classes (tag it JarTest or LabTest)");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return true;
        }

        static FileTime modified(Path p) {
            try {
                return Files.getLastModifiedTime(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * uid 65534's copy of the shaded jar and the launcher ({@link Unprivileged#copyOf}, with jffi's stub library the
     * build took out beside them; not the class-data sharing archive, which holds the build's path of the jar). For a
     * test class it is an extension, {@code @RegisterExtension @Order(2) static final Nobody NOBODY =
     * Nobody.perClass(..)} after the lab's ({@code @Order(1)}): the copy is made before the class's tests and closed
     * after them. If the tests change this namespace's {@link #PING_GROUP_RANGE}, {@code perClass(true)} reads the
     * range first and puts it back (the lab's, which it restores on close) when closed.
     */
    static final class Nobody implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
        private final boolean keepPingGroupRange;
        private @Nullable Unprivileged unprivileged;
        /** The range before the tests changed it; null when not kept. */
        private @Nullable String savedPingGroupRange;

        private Nobody(boolean keepPingGroupRange) {
            this.keepPingGroupRange = keepPingGroupRange;
        }

        /** A copy of the jar and launcher made now; the ping group range is left alone. */
        static Nobody start() throws Exception {
            Nobody n = new Nobody(false);
            n.open();
            return n;
        }

        /** The ping group range read, then a copy of the jar and launcher made now; closing puts the range back. */
        static Nobody keepingPingGroupRange() throws Exception {
            Nobody n = new Nobody(true);
            n.open();
            return n;
        }

        /**
         * {@return the extension: a copy made before a test class's tests, closed after them}
         *
         * @param keepPingGroupRange whether the ping group range is read first and put back when closed
         */
        static Nobody perClass(boolean keepPingGroupRange) {
            return new Nobody(keepPingGroupRange);
        }

        private void open() throws Exception {
            // read in one go: a sysctl file answers only a read at offset 0
            String saved = keepPingGroupRange ? String.join(" ", Files.readAllLines(PING_GROUP_RANGE)).strip() : null;
            try {
                List<Path> files = new ArrayList<>(List.of(requireBuilt(JAR), requireBuilt(LAUNCHER)));
                Path stub = JAR.resolveSibling("jni");
                if (Files.isDirectory(stub)) {
                    files.add(stub);
                }
                unprivileged = Unprivileged.copyOf(files);
                savedPingGroupRange = saved;
            } catch (RuntimeException e) {
                if (saved != null) {
                    Files.writeString(PING_GROUP_RANGE, saved);
                }
                throw e;
            }
        }

        @Override
        public void beforeAll(ExtensionContext context) throws Exception {
            open();
        }

        @Override
        public void afterAll(ExtensionContext context) throws Exception {
            close();
        }

        /** The copy, for a process of its own. */
        Unprivileged unprivileged() {
            Unprivileged u = unprivileged;
            if (u == null) {
                throw new IllegalStateException("nobody's copy is made before the test class's tests (an extension)");
            }
            return u;
        }

        @Override
        public void close() throws Exception {
            Unprivileged u = unprivileged;
            unprivileged = null;
            try {
                if (u != null) {
                    u.close();
                }
            } finally {
                String saved = savedPingGroupRange;
                savedPingGroupRange = null;
                if (saved != null) {
                    Files.writeString(PING_GROUP_RANGE, saved);
                }
            }
        }
    }
}
