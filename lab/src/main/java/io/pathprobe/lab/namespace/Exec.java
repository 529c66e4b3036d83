package io.pathprobe.lab.namespace;

import io.pathprobe.lab.LabException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Runs a command to completion, with input, a time limit and both outputs captured. */
public final class Exec {
    /**
     * Daemon threads that drain child outputs and run namespace set-up in parallel. Idle threads
     * end after a few seconds, so a JVM that is done with its labs keeps none.
     */
    public static final ExecutorService THREADS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 3, TimeUnit.SECONDS,
            new SynchronousQueue<>(), new DaemonThreads());

    private static final Pattern BATCH_FAILURE = Pattern.compile("Command failed -:(\\d+)");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"\\s]+)\"");

    private Exec() {}

    /** What a finished command did. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /**
     * Runs {@code command}, writes {@code stdin} to it (then closes it), and waits at most
     * {@code timeout}; a command that overruns is killed and reported as a {@link LabException}.
     */
    public static Result run(List<String> command, @Nullable String stdin, Duration timeout) {
        return run(new ProcessBuilder(command), stdin, timeout);
    }

    /** {@link #run(List, String, Duration)} for a prepared process builder (its redirects are replaced). */
    public static Result run(ProcessBuilder builder, @Nullable String stdin, Duration timeout) {
        List<String> command = builder.command();
        Process process;
        try {
            process = builder.redirectInput(ProcessBuilder.Redirect.PIPE).redirectOutput(ProcessBuilder.Redirect.PIPE)
                    .redirectError(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new LabException("cannot run `" + String.join(" ", command) + "`: " + e.getMessage()
                    + " (the lab needs iproute2, and nftables for silent hops)", e);
        }
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the child exited without reading all of it: its exit code and stderr say why
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor();
                throw new LabException("`" + String.join(" ", command) + "` did not finish within " + timeout
                        + "; killed. stderr: " + now(err).strip());
            }
            return new Result(List.copyOf(command), process.exitValue(), join(out), join(err));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while running `" + String.join(" ", command) + "`", e);
        }
    }

    /**
     * Runs {@code command} and fails unless it exits with 0. The exception's message says what was
     * being done, the command (its {@code display} form), the exit code, the standard error and, for an
     * {@code ip -batch} whose input was {@code batch}, the batch line that failed.
     */
    public static Result check(String doing, List<String> command, String display, @Nullable String stdin,
            @Nullable String batch, Duration timeout) {
        Result r = run(command, stdin, timeout);
        if (!r.ok()) {
            throw new LabException(failure(doing, display, r, batch));
        }
        return r;
    }

    public static String failure(String doing, String display, Result r, @Nullable String batch) {
        StringBuilder msg = new StringBuilder(doing).append(" failed: `").append(display).append("` exited with ")
                .append(r.exitCode());
        String stderr = r.stderr().strip();
        if (!stderr.isEmpty()) {
            msg.append(": ").append(stderr);
        }
        if (batch != null) {
            List<String> lines = batch.lines().toList();
            Matcher m = BATCH_FAILURE.matcher(r.stderr());
            if (m.find()) {
                int line = Integer.parseInt(m.group(1));
                if (line >= 1 && line <= lines.size()) {
                    msg.append(" [batch line ").append(line).append(": `").append(lines.get(line - 1)).append("`]");
                }
            } else {
                // ip exits on a syntax error without naming the line; its message quotes the bad word
                Matcher quoted = QUOTED.matcher(r.stderr());
                while (quoted.find()) {
                    String word = quoted.group(1);
                    for (int i = 0; i < lines.size(); i++) {
                        if (Arrays.asList(lines.get(i).split(" ")).contains(word)) {
                            msg.append(" [batch line ").append(i + 1).append(": `").append(lines.get(i)).append("`]");
                            return msg.toString();
                        }
                    }
                }
            }
        }
        return msg.toString();
    }

    /**
     * Applies {@code task} to every item, a few at a time (as many as there are processors, at least
     * two: the work is mostly waiting for child processes), and returns the results in item order.
     * After a failure no further items are started; the first failure is thrown, with the others
     * that were already running added as suppressed.
     */
    public static <T, R> Map<T, R> parallel(List<T> items, Function<T, R> task) {
        int parallelism = Math.min(items.size(), Math.max(2, Runtime.getRuntime().availableProcessors()));
        Map<T, R> results = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        AtomicReference<@Nullable RuntimeException> failure = new AtomicReference<>();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < parallelism; w++) {
            workers.add(THREADS.submit(() -> {
                int i;
                while (failure.get() == null && (i = next.getAndIncrement()) < items.size()) {
                    T item = items.get(i);
                    try {
                        results.put(item, task.apply(item));
                    } catch (RuntimeException e) {
                        if (!failure.compareAndSet(null, e)) {
                            Objects.requireNonNull(failure.get()).addSuppressed(e);
                        }
                    }
                }
            }));
        }
        for (Future<?> worker : workers) {
            try {
                worker.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LabException("interrupted", e);
            } catch (ExecutionException e) {
                throw new LabException("unexpected failure: " + e.getCause(), e.getCause());
            }
        }
        RuntimeException failed = failure.get();
        if (failed != null) {
            throw failed;
        }
        Map<T, R> ordered = new LinkedHashMap<>();
        items.forEach(item -> ordered.put(item, Objects.requireNonNull(results.get(item))));
        return ordered;
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, THREADS);
    }

    private static String join(CompletableFuture<String> output) throws InterruptedException {
        try {
            // the process has exited: its pipes reach end of file as soon as the drain has read them
            return output.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // a grandchild kept the pipe open, or reading failed: report what there is
            return now(output);
        }
    }

    private static String now(CompletableFuture<String> output) {
        return output.isDone() && !output.isCompletedExceptionally() ? output.join() : "";
    }

    private static final class DaemonThreads implements java.util.concurrent.ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "pathprobe-lab-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }

    /**
     * After {@code failure} (a set-up that failed half way), closes what it had made; what the closing throws is
     * added to the failure as suppressed. The caller then throws the failure.
     */
    public static void closeAfterFailure(Throwable failure, Runnable close) {
        try {
            close.run();
        } catch (RuntimeException cleanup) {
            failure.addSuppressed(cleanup);
        }
    }

    /** {@return {@code failure} with {@code next} added to it as suppressed, or {@code next} if there was none yet} */
    public static LabException joined(@Nullable LabException failure, LabException next) {
        if (failure == null) {
            return next;
        }
        failure.addSuppressed(next);
        return failure;
    }

    /** Removes a shutdown hook, unless the JVM is already exiting (then the hook runs anyway, or is the caller). */
    public static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting
        }
    }

    /**
     * Ends a lab process tied to this JVM by its standard input (it exits when that pipe closes):
     * closes the pipe, waits up to {@code grace} for it to exit, then kills it and its descendants
     * and waits for it. Keeps the interrupt flag.
     */
    public static void endTiedProcess(Process process, Duration grace) {
        try {
            process.getOutputStream().close();
        } catch (java.io.IOException e) {
            // it is gone already
        }
        try {
            if (!process.waitFor(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
