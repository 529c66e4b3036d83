package io.pathprobe.cli;

import io.pathprobe.Measurement;
import io.pathprobe.PathTracer;
import io.pathprobe.options.MeasurementRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * How a command waits for a measurement: Ctrl-C cancels it (the JVM's shutdown hook) and waits up to
 * 2 s while the main thread prints the partial result it then gets.
 */
final class UntilInterrupted {
    private UntilInterrupted() {}

    /**
     * Starts {@code request} on {@code tracer} and waits for its result as {@link #await} does: Ctrl-C cancels the
     * measurement, and {@code print}'s return for the result (the exit code) is returned.
     */
    static <Q extends MeasurementRequest<R>, R> int measure(PathTracer tracer, Q request, ToIntFunction<R> print) {
        Measurement<Q, R> measurement = tracer.start(request);
        return await(measurement.result(), measurement::cancel, print);
    }

    /**
     * Waits for {@code result}, cancelling with {@code cancel} on Ctrl-C, and returns what {@code print}
     * returns for it (the exit code). A failure of the measurement is rethrown unwrapped.
     */
    static <R> int await(CompletableFuture<R> result, Runnable cancel, ToIntFunction<R> print) {
        CountDownLatch printed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            cancel.run();
            try {
                printed.await(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pathprobe-cli-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            R r;
            try {
                r = result.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : e;
            }
            return print.applyAsInt(r);
        } finally {
            printed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down
            }
        }
    }
}
