/**
 * The pathprobe command line: {@code pathprobe trace}, {@code ping}, {@code multipath}, {@code bufferbloat}, {@code
 * transports}, {@code serve}; the lab demo is the lab's own ({@code io.pathprobe.lab.LabDemo}, {@code bash
 * build/demo}).
 */
@NullMarked
package io.pathprobe.cli;

import org.jspecify.annotations.NullMarked;
