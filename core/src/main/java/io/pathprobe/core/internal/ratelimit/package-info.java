/**
 * The ICMP rate-limit model: what the tracer learns of each responder's ICMP budget and how a
 * measurement asks it. {@link RateLimitModel} is the view a strategy gets (pace a probe, charge it,
 * teach an answer or a miss, ask whether a miss was refused); {@link RateLimitTable} is the tracer's
 * table behind it, one {@link RateLimitBucket} (a responder's learned token bucket and the evidence
 * that teaches it) per responder; {@link RateLimitCharges} is one trace's side of it: which
 * responder each probe was charged to, and which of its misses were refusals
 * ({@link io.pathprobe.probe.ProbeStatus#RATE_LIMITED}) rather than losses. Pure: no threads, no
 * clock reads; every time is passed in. Not API.
 */
@NullMarked
package io.pathprobe.core.internal.ratelimit;

import org.jspecify.annotations.NullMarked;
