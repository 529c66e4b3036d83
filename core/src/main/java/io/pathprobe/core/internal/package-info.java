/**
 * The trace engine. Not API: nothing here is stable, and applications should use
 * {@link io.pathprobe.PathTracer} only.
 *
 * <p>Layout: {@code runtime} is what every measurement of a tracer shares (engine loop, timers,
 * send scheduler and rate budget, transports, the glue that runs a {@code ProbingStrategy});
 * {@code probe} is what measurements share as data (probe table, sequence space, wait policy, hop
 * folding); {@code ratelimit} is the ICMP rate-limit model (each responder's learned bucket, the
 * tracer's table of them, the pacing and the verdicts on silences); {@code trace} is traceroute (a
 * pure strategy and the user's handle); {@code ping.app} is
 * the application probes of ping (one DNS query, one HTTP(S) request) on their own NIO loop thread.
 *
 * <p>Threading: all measurement state is confined to one engine loop per tracer. Transports deliver
 * answers on their I/O threads; the engine hands each to its loop, so no state is locked. User code
 * (listeners, future continuations) runs on the tracer's executor, never on the loop; blocking work
 * (name resolution, opening transports) runs on a bounded set-up pool.
 */
@NullMarked
package io.pathprobe.core.internal;

import org.jspecify.annotations.NullMarked;
