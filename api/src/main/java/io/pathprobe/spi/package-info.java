/**
 * The probe transport SPI: how pathprobe sends probes and hears their answers.
 *
 * <p>A transport is found through {@link java.util.ServiceLoader} as a
 * {@link io.pathprobe.spi.ProbeTransportProvider}, or handed to
 * {@link io.pathprobe.PathTracerBuilder#transport(ProbeTransport)} directly. The seam is small on
 * purpose: a {@link io.pathprobe.spi.ProbeSession} sends a probe with a sequence number and a TTL;
 * the transport reports each ICMP answer it can tie to one of the session's probes, by the sequence
 * number it recovered from the answer, to the session's {@link io.pathprobe.spi.ResponseListener}.
 * Matching answers to outstanding probes, timeouts, statistics and scheduling belong to the engine.
 *
 * <p>Every implementation should pass the compatibility kit in {@code pathprobe-transport-tck}.
 */
@NullMarked
package io.pathprobe.spi;

import org.jspecify.annotations.NullMarked;
