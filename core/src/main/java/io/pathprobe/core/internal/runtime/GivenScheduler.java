package io.pathprobe.core.internal.runtime;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * The engine loop on a scheduler the application gave the builder ({@link io.pathprobe.time.Scheduler}):
 * fake time in the application's tests. Every call goes to it; a delay is clamped as the real loop clamps it.
 */
public final class GivenScheduler implements Scheduler {
    private static final java.util.function.BooleanSupplier ALWAYS = new java.util.function.BooleanSupplier() {
        @Override
        public boolean getAsBoolean() {
            return true;
        }
    };

    private final io.pathprobe.time.Scheduler given;

    public GivenScheduler(io.pathprobe.time.Scheduler given) {
        this.given = Objects.requireNonNull(given, "given");
    }

    @Override
    public boolean execute(Runnable task) {
        return given.execute(task);
    }

    @Override
    public Timer schedule(Runnable task, long delayNanos) {
        io.pathprobe.time.Scheduler.Timer t = given.schedule(task,
                Duration.ofNanos(Math.min(EngineLoop.MAX_DELAY_NANOS, Math.max(0, delayNanos))));
        return new Timer() { // a class: a lambda is generated at its first use (docs/startup.md)
            @Override
            public void cancel() {
                t.cancel();
            }
        };
    }

    @Override
    public boolean inLoop() {
        return given.inLoop();
    }

    @Override
    public boolean runQueued() {
        return given.runUntil(ALWAYS);
    }

    @Override
    public boolean runUntil(BooleanSupplier condition) {
        return given.runUntil(condition);
    }

    @Override
    public String toString() {
        return "GivenScheduler{" + given + "}";
    }
}
