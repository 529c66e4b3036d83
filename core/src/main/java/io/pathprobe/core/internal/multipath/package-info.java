/** Multipath discovery (MDA, MDA-Lite) and per-path measurement: a strategy on the shared runtime. */
@NullMarked
package io.pathprobe.core.internal.multipath;

import org.jspecify.annotations.NullMarked;
