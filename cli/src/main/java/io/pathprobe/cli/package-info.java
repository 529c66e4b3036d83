/** The pathprobe command line: {@code pathprobe trace}, {@code pathprobe transports}, {@code pathprobe lab demo}. */
@NullMarked
package io.pathprobe.cli;

import org.jspecify.annotations.NullMarked;
