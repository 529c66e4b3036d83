/**
 * The transport compatibility kit, in two abstract JUnit 5 suites that every
 * {@link io.pathprobe.spi.ProbeTransportProvider}'s tests extend, once per provider:
 * <ul>
 *   <li>{@link io.pathprobe.tck.ProbeTransportContractKit}: the portable contract, on loopback, with
 *       no lab, no root and no particular operating system (nested groups: describing itself,
 *       lifecycle, arguments, loopback answers, closing, counting, leaks);
 *   <li>{@link io.pathprobe.tck.ProbeTransportLabKit}: real path outcomes on a Linux lab network
 *       ({@code pathprobe-lab}, an optional dependency: add it beside this kit to run these); needs
 *       root; tagged {@code lab}.
 * </ul>
 */
@NullMarked
package io.pathprobe.tck;

import org.jspecify.annotations.NullMarked;
