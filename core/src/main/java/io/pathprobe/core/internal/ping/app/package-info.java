/**
 * Application probes for {@code ping}: one DNS query ({@link DnsProbe}) or one HTTP(S) request
 * ({@link HttpProbe}) per {@link ApplicationProbe#start start}, timed from just before the request's
 * bytes are written to the arrival of the first byte of the answer. Not API.
 *
 * <p>Threading: every probe runs on an {@link AppProbeLoop}: one event loop of the tracer's Netty I/O
 * group (one thread, shared with enrichment), whatever the number of probes or of probes in flight.
 * {@code start} only hands a small record to the loop; the loop opens the channel, writes, reads,
 * keeps the timers and calls each callback. Callbacks therefore run on the loop's thread and must only
 * hand the outcome on (the engine posts it to its own loop); no user code runs there.
 *
 * <p>Clock: the loop's injected ticker throughout (the tracer's, {@link System#nanoTime()} in
 * production). The send time is read just before the call that writes the request (for https: its
 * first encrypted record) to the channel; the arrival time is read when the loop hands a read over,
 * before the bytes are parsed. Deadlines are decided on the ticker; Netty's timer only wakes the loop.
 *
 * <p>Bounds: a loop admits at most {@code maxOutstanding} probes (started, not yet completed); {@code
 * start} refuses the next one instead of queueing it. Each probe in flight holds one socket and a few
 * hundred bytes (DNS, plain HTTP) or the TLS engine's buffers (https, about 50 KB).
 */
@NullMarked
package io.pathprobe.core.internal.ping.app;

import org.jspecify.annotations.NullMarked;
