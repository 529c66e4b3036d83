/**
 * For an application's own unit tests of its use of pathprobe, with no network and no real time:
 * {@link io.pathprobe.testing.FakeTime}, a clock and engine loop that run only when the test moves time on, and
 * {@link io.pathprobe.testing.ScriptedTransport}, a transport that answers probes as a script of
 * {@link io.pathprobe.testing.ScriptedHop hops} says, on that fake time.
 *
 * <pre>{@code
 * FakeTime time = new FakeTime();
 * ScriptedTransport path = ScriptedTransport.builder(time)
 *         .hop(ScriptedHop.router("198.18.2.1"))
 *         .hop(ScriptedHop.silent())
 *         .destination(ScriptedHop.destination().delay(Duration.ofMillis(20)))
 *         .build();
 * try (PathTracer tracer = PathTracer.builder().transport(path).ticker(time).scheduler(time).offline().build()) {
 *     TraceResult trace = tracer.trace(TraceRequest.of("198.18.100.7")); // runs on fake time
 * }
 * }</pre>
 */
@NullMarked
package io.pathprobe.testing;

import org.jspecify.annotations.NullMarked;
