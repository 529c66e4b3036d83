package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.lab.Unprivileged;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The command line tests' harness: runs {@link PathProbeCli} in this JVM with System.out and
 * System.err captured, or as uid 65534 through {@link Unprivileged} (a {@link Nobody}), and gives
 * back the exit code and both outputs.
 *
 * <p>Whether {@code --no-enrich} is put in is this harness's {@link Enrichment}, chosen by each test
 * class: the probing tests turn lookups off, the enrichment and argument-error tests pass their
 * arguments as given.
 */
final class CliRuns {
    /** {@code net.ipv4.ping_group_range} of this network namespace. */
    static final Path PING_GROUP_RANGE = Path.of("/proc/sys/net/ipv4/ping_group_range");

    /** What the harness does with the arguments before the command line sees them. */
    enum Enrichment {
        /** Passed as given: enrichment stays at the command's default, or as the arguments set it. */
        AS_GIVEN,
        /** {@code --no-enrich} put in after trace, ping, mtr and multipath ({@link #plain(String...)}). */
        OFF
    }

    /** One run of the command line. */
    record Run(int exitCode, String out, String err) {}

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

    /** Runs the command line in this JVM, System.out and System.err swapped for the run. */
    Run inProcess(String... given) {
        String[] args = arguments(given);
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = PathProbeCli.run(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Runs the command line as nobody (its stderr read beside its stdout); at most 60 s. */
    Run asNobody(Nobody nobody, String... given) throws Exception {
        String[] args = arguments(given);
        Process p = nobody.unprivileged.java(PathProbeCli.class.getName(), List.of(args)).start();
        p.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, err.get(10, TimeUnit.SECONDS));
    }

    /**
     * uid 65534's copy of the class path ({@link Unprivileged#copyOfClassPath()}) for a test class,
     * made in its {@code @BeforeAll} and closed in its {@code @AfterAll}; if the tests change this
     * namespace's {@link #PING_GROUP_RANGE}, made by {@link #keepingPingGroupRange()}, which also puts
     * the range back (the lab's, which it restores on close) when closed.
     */
    static final class Nobody implements AutoCloseable {
        private final Unprivileged unprivileged;
        /** The range before the tests changed it; null when not kept. */
        private final String savedPingGroupRange;

        private Nobody(Unprivileged unprivileged, String savedPingGroupRange) {
            this.unprivileged = unprivileged;
            this.savedPingGroupRange = savedPingGroupRange;
        }

        /** A copy of the class path; the ping group range is left alone. */
        static Nobody start() {
            return new Nobody(Unprivileged.copyOfClassPath(), null);
        }

        /** The ping group range read, then a copy of the class path; closing puts the range back. */
        static Nobody keepingPingGroupRange() throws Exception {
            // read in one go: a sysctl file answers only a read at offset 0
            String saved = String.join(" ", Files.readAllLines(PING_GROUP_RANGE)).strip();
            try {
                return new Nobody(Unprivileged.copyOfClassPath(), saved);
            } catch (RuntimeException e) {
                Files.writeString(PING_GROUP_RANGE, saved);
                throw e;
            }
        }

        /** The copy, for a process of its own. */
        Unprivileged unprivileged() {
            return unprivileged;
        }

        @Override
        public void close() throws Exception {
            try {
                unprivileged.close();
            } finally {
                if (savedPingGroupRange != null) {
                    Files.writeString(PING_GROUP_RANGE, savedPingGroupRange);
                }
            }
        }
    }
}
