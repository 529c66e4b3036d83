package io.pathprobe.lab.namespace;

import io.pathprobe.lab.LabException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Starts a lab server process whose life is tied to this JVM by its standard input (it exits when
 * that pipe closes), waits until it says it is ready, and keeps its last output lines (its log is
 * drained for its whole life, so a full pipe never blocks it). Ended with
 * {@link Exec#endTiedProcess}.
 */
public final class TiedProcess {
    /** What an output line says about the start. */
    public enum Line { READY, FATAL, MORE }

    private final Process process;
    private final Deque<String> lastLines = new ArrayDeque<>();
    private final int kept;

    private TiedProcess(Process process, int kept) {
        this.process = process;
        this.kept = kept;
    }

    /**
     * Starts {@code command} (output and errors merged) and returns once a line is {@link Line#READY}.
     *
     * @throws LabException if it cannot start, prints a {@link Line#FATAL} line, ends, or is not ready
     *     within {@code timeout}; the process is ended first
     */
    public static TiedProcess start(List<String> command, String description, Duration timeout,
            Function<String, Line> classify, int keptLines) {
        return start(command, description, timeout, classify, keptLines, line -> { });
    }

    /**
     * {@link #start(List, String, Duration, Function, int)} that also gives every line it prints,
     * from the first on, to {@code onLine} (on the thread that drains the output, in order).
     */
    public static TiedProcess start(List<String> command, String description, Duration timeout,
            Function<String, Line> classify, int keptLines, java.util.function.Consumer<String> onLine) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new LabException("cannot start the " + description + ": " + e.getMessage(), e);
        }
        TiedProcess tied = new TiedProcess(p, keptLines);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Boolean> started = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    tied.keep(line);
                    onLine.accept(line);
                    Line kind = classify.apply(line);
                    if (kind != Line.MORE) {
                        return kind == Line.READY;
                    }
                }
            } catch (IOException e) {
                tied.keep(e.toString());
            }
            return false;
        }, Exec.THREADS);
        boolean ok;
        try {
            ok = started.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Exec.endTiedProcess(p, Duration.ofSeconds(5));
            throw new LabException("interrupted while starting the " + description, e);
        } catch (ExecutionException | TimeoutException e) {
            ok = false;
        }
        if (!ok) {
            Exec.endTiedProcess(p, Duration.ofSeconds(5));
            throw new LabException("the " + description + " did not start: " + tied.lastLines());
        }
        Exec.THREADS.execute(() -> { // keep draining, or the process would block on a full pipe
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    tied.keep(line);
                    onLine.accept(line);
                }
            } catch (IOException e) {
                // closed
            }
        });
        return tied;
    }

    public Process process() {
        return process;
    }

    private synchronized void keep(String line) {
        if (lastLines.size() == kept) {
            lastLines.removeFirst();
        }
        lastLines.addLast(line);
    }

    /** The last lines it printed. */
    public synchronized String lastLines() {
        return String.join("\n", lastLines).strip();
    }
}
