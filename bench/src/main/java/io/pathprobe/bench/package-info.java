/** Benchmarks that run pathprobe and peer tools on the same lab in one run. */
@NullMarked
package io.pathprobe.bench;

import org.jspecify.annotations.NullMarked;
