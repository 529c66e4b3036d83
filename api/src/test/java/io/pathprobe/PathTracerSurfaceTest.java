package io.pathprobe;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.options.MeasurementRequest;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * PathTracer's surface (issue 70): one descriptor per measurement kind, so one blocking, one asynchronous and one
 * start form for every kind ({@link MeasurementRequest}), a few fixed forms for the common cases, and at most 15
 * public methods in all (static, default and abstract alike).
 */
class PathTracerSurfaceTest {
    private static List<Method> publicMethods() {
        return Arrays.stream(PathTracer.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !m.isSynthetic()).toList();
    }

    @Test
    void hasAtMostFifteenPublicMethods() {
        List<String> names = publicMethods().stream().map(PathTracerSurfaceTest::signature).sorted().toList();
        assertThat(names).as("PathTracer's public methods: %s", names).hasSizeLessThanOrEqualTo(15);
        assertThat(Arrays.stream(PathTracer.class.getMethods()).filter(m -> m.getDeclaringClass() == PathTracer.class))
                .hasSameSizeAs(publicMethods());
    }

    @Test
    void keepsTheGenericFormsAndTheFixedOnes() {
        assertThat(publicMethods().stream().map(PathTracerSurfaceTest::signature)).contains(
                "create()", "builder()", "replay(Path)", "trace(String)", "trace(TraceRequest)",
                "traceAsync(TraceRequest)", "ping(String[])", "discoverPaths(String)",
                "testBufferbloat(BufferbloatRequest)", "start(MeasurementRequest)", "measure(MeasurementRequest)",
                "measureAsync(MeasurementRequest)", "transports()", "stats()", "close()");
    }

    @Test
    void everyFixedFormIsTheGenericOneOfItsRequest() {
        List<Object> started = new ArrayList<>();
        PathTracer tracer = fake(started, new AtomicInteger());
        tracer.trace("198.19.0.1");
        tracer.traceAsync(TraceRequest.of("198.19.0.2"));
        tracer.ping("198.19.0.3", "198.19.0.4");
        tracer.discoverPaths("198.19.0.5");
        tracer.testBufferbloat(BufferbloatRequest.builder("https://nq.example/config").build());
        assertThat(started).hasSize(5);
        assertThat(started.get(0)).isInstanceOfSatisfying(TraceRequest.class,
                r -> assertThat(r.target()).isEqualTo("198.19.0.1"));
        assertThat(started.get(1)).isInstanceOf(TraceRequest.class);
        assertThat(started.get(2)).isInstanceOfSatisfying(PingRequest.class,
                r -> assertThat(r.targets()).containsExactly("198.19.0.3", "198.19.0.4"));
        assertThat(started.get(3)).isInstanceOf(MultipathRequest.class);
        assertThat(started.get(4)).isInstanceOf(BufferbloatRequest.class);
    }

    @Test
    void theResultTypeFollowsTheRequest() {
        List<Object> started = new ArrayList<>();
        PathTracer tracer = fake(started, new AtomicInteger());
        TraceRequest request = TraceRequest.of("198.19.0.1");
        Measurement<TraceRequest, TraceResult> m = tracer.start(request); // R inferred from the request's type
        TraceResult r = tracer.measure(request);
        CompletableFuture<TraceResult> f = tracer.measureAsync(request);
        assertThat(m.request()).isSameAs(request);
        assertThat(r).isNull();
        assertThat(f).isCompleted();
    }

    @Test
    void anInterruptedAwaitCancelsAndKeepsTheFlag() {
        AtomicInteger cancelled = new AtomicInteger();
        Measurement<TraceRequest, TraceResult> m = new FakeMeasurement<>(TraceRequest.of("198.19.0.1"),
                new CompletableFuture<>(), cancelled);
        Thread.currentThread().interrupt();
        try {
            assertThat(m.await()).isNull();
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt flag is kept").isTrue();
            assertThat(cancelled).hasValue(1);
        } finally {
            Thread.interrupted();
        }
    }

    private static String signature(Method m) {
        return m.getName() + "(" + String.join(", ",
                Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName).toList()) + ")";
    }

    /** A tracer whose default methods run as written and whose start records the request. */
    private static PathTracer fake(List<Object> started, AtomicInteger cancelled) {
        InvocationHandler h = (proxy, method, args) -> {
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            if (method.getName().equals("start")) {
                started.add(args[0]);
                return new FakeMeasurement<>(args[0], CompletableFuture.completedFuture(null), cancelled);
            }
            throw new UnsupportedOperationException(method.getName());
        };
        return (PathTracer) Proxy.newProxyInstance(PathTracer.class.getClassLoader(),
                new Class<?>[] {PathTracer.class}, h);
    }

    /** A measurement with Measurement's own await(): its result completes when cancelled. */
    private record FakeMeasurement<Q, R>(Q request, CompletableFuture<R> done, AtomicInteger cancelled)
            implements Measurement<Q, R> {
        @Override
        public CompletableFuture<R> result() {
            return done.thenApply(r -> r);
        }

        @Override
        public R snapshot() {
            return done.getNow(null);
        }

        @Override
        public R cancel() {
            cancelled.incrementAndGet();
            done.complete(null);
            return done.join();
        }
    }
}
