package io.pathprobe.lab.middlebox;

import io.pathprobe.lab.LabException;
import io.pathprobe.lab.namespace.Exec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One of the lab's C programs ({@link CProgram}) running as a middlebox's daemon ({@link QuotePreservingNat},
 * {@link HostileRouter}, {@link IdentityRouter}): started with pipes on its three streams, ready once it printed
 * "ready", its standard error collected, each later line of its standard output parsed into its log of entries
 * ({@code T}: what the middlebox did). It exits by itself when its standard input closes, which the kernel does when
 * this JVM dies in any way.
 *
 * @param <T> an entry of its log
 */
final class Daemon<T> {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final Process process;
    private final String what;
    private final StringBuffer stderr = new StringBuffer();
    private final CompletableFuture<@Nullable String> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final List<T> entries = new CopyOnWriteArrayList<>();
    private boolean stopped; // guarded by this

    private Daemon(Process process, String what) {
        this.process = process;
        this.what = what;
    }

    /**
     * Runs {@code cmd} ({@code ip netns exec} execs the program itself: the daemon is this JVM's child and its stdin
     * is our pipe) and returns once it is ready.
     *
     * @param what the daemon, for messages ("the forger")
     * @param parse each line of its standard output after "ready" as an entry of its log, or null for none (on a
     *     thread of {@link Exec#THREADS})
     * @throws LabException if it cannot run, or does not say "ready" within 10 s (it is killed; the message has its
     *     standard error)
     */
    static <T> Daemon<T> start(List<String> cmd, String what, Function<String, @Nullable T> parse) {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.PIPE)
                    .redirectOutput(ProcessBuilder.Redirect.PIPE).redirectError(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new LabException("cannot run `" + String.join(" ", cmd) + "`: " + e.getMessage(), e);
        }
        Daemon<T> d = new Daemon<>(p, what);
        d.readOutput(parse);
        String line;
        try {
            line = d.ready.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            line = null;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while starting `" + String.join(" ", cmd) + "`", e);
        }
        if (!"ready".equals(line)) {
            p.destroyForcibly();
            try {
                p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                Thread.sleep(50); // let the drain catch the last of stderr
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new LabException(what + " did not start: `" + String.join(" ", cmd) + "`"
                    + (p.isAlive() ? "" : " exited with " + p.exitValue()) + ": " + d.stderr.toString().strip());
        }
        return d;
    }

    private void readOutput(Function<String, @Nullable T> parse) {
        Exec.THREADS.execute(() -> {
            byte[] buf = new byte[4096];
            try (InputStream in = process.getErrorStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    stderr.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the daemon is gone
            }
        });
        Exec.THREADS.execute(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                ready.complete(out.readLine());
                String line;
                while ((line = out.readLine()) != null) {
                    T entry = parse.apply(line);
                    if (entry != null) {
                        entries.add(entry);
                    }
                }
            } catch (IOException e) {
                ready.complete(null);
            } finally {
                ended.complete(null);
            }
        });
    }

    /** The daemon's process id (in this JVM's pid namespace). */
    long pid() {
        return process.pid();
    }

    /** Its log: every entry parsed so far (all of them once {@link #stop()} returned). */
    List<T> entries() {
        return List.copyOf(entries);
    }

    /** Clears its log (e.g. between two measurements). */
    void clear() {
        entries.clear();
    }

    /** What the daemon wrote to its standard error so far (its counters, once it has exited). */
    String log() {
        return stderr.toString();
    }

    /**
     * Closes the daemon's stdin (it exits on end of file), then SIGTERM, then SIGKILL, and waits until its standard
     * output is read to the end. Idempotent.
     *
     * @throws LabException if it would not die, or the wait was interrupted (it is killed)
     */
    void stop() {
        stop(() -> { });
    }

    /**
     * As {@link #stop()}, then (also when stopping failed) runs {@code andThen}, the first time only.
     *
     * @throws LabException if it would not die, or the wait was interrupted (it is killed)
     */
    synchronized void stop(Runnable andThen) {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            halt();
        } finally {
            andThen.run();
        }
    }

    private void halt() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already closed
        }
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroy();
                if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                        throw new LabException(what + " (pid " + process.pid() + ") does not exit");
                    }
                }
            }
            ended.get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while stopping " + what + " (pid " + process.pid() + ")", e);
        } catch (ExecutionException | TimeoutException e) {
            // its output is as complete as it got
        }
    }
}
