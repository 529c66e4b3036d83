/**
 * Logging hygiene: an application that logs nothing stays quiet
 * ({@link io.pathprobe.core.internal.logging.QuietSlf4j}). Internal; exported only to the bufferbloat module.
 */
@NullMarked
package io.pathprobe.core.internal.logging;

import org.jspecify.annotations.NullMarked;
