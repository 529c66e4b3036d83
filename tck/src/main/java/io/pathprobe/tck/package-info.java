/**
 * The transport compatibility kit: {@link io.pathprobe.tck.ProbeTransportCompatibilityKit}, the
 * abstract JUnit 5 suite that every {@link io.pathprobe.spi.ProbeTransportProvider}'s tests extend,
 * run against a real routed lab network ({@code pathprobe-lab}).
 */
@NullMarked
package io.pathprobe.tck;

import org.jspecify.annotations.NullMarked;
