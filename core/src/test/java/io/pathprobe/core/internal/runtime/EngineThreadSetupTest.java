package io.pathprobe.core.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pathprobe.spi.Availability;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.spi.TransportCapability;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The transports tune the engine thread: every provider, once, on the loop thread, before any task. */
class EngineThreadSetupTest {

    private static ProbeTransportProvider provider(String name, List<String> calls, boolean fails) {
        return new ProbeTransportProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int priority() {
                return 1;
            }

            @Override
            public Set<TransportCapability> capabilities() {
                return Set.of();
            }

            @Override
            public Availability availability() {
                return Availability.unavailable("test");
            }

            @Override
            public ProbeTransport open() {
                throw new UnsupportedOperationException();
            }

            @Override
            public void configureEngineThread() {
                calls.add(name + "@" + Thread.currentThread().getName());
                if (fails) {
                    throw new IllegalStateException("no such knob");
                }
            }
        };
    }

    @Test
    void everyProviderTunesTheLoopThreadOnceBeforeItsFirstTask() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        // unavailable providers too, and one that throws does not stop the others or the loop
        TransportRegistry registry = TransportRegistry.of(List.of(provider("a", calls, false),
                provider("b", calls, true), provider("c", calls, false)));
        EngineLoop loop = new EngineLoop(registry::configureEngineThread);
        try {
            CompletableFuture<String> first = new CompletableFuture<>();
            CompletableFuture<Integer> seenByFirst = new CompletableFuture<>();
            loop.execute(() -> {
                seenByFirst.complete(calls.size());
                first.complete(Thread.currentThread().getName());
            });
            String thread = first.get(5, TimeUnit.SECONDS);
            assertEquals(3, seenByFirst.get(), "tuned before the first task");
            CompletableFuture<Void> later = new CompletableFuture<>();
            loop.schedule(() -> later.complete(null), 1_000_000);
            later.get(5, TimeUnit.SECONDS);
            assertEquals(3, calls.size(), "once per thread");
            for (String c : calls) {
                assertTrue(c.endsWith("@" + thread), c);
            }
            assertEquals(List.of("a", "b", "c"), calls.stream().map(c -> c.substring(0, 1)).sorted().toList());
        } finally {
            loop.shutdown();
        }
    }

    @Test
    void aHookThatThrowsLeavesTheLoopRunning() throws Exception {
        EngineLoop loop = new EngineLoop(() -> {
            throw new IllegalStateException("boom");
        });
        try {
            CompletableFuture<Thread> ran = new CompletableFuture<>();
            loop.execute(() -> ran.complete(Thread.currentThread()));
            assertTrue(ran.get(5, TimeUnit.SECONDS).getName().startsWith("pathprobe-engine-"));
            CompletableFuture<Thread> again = new CompletableFuture<>();
            loop.execute(() -> again.complete(Thread.currentThread()));
            assertSame(ran.get(), again.get(5, TimeUnit.SECONDS));
        } finally {
            loop.shutdown();
        }
    }
}
