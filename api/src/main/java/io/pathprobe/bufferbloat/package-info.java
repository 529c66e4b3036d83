/**
 * Latency under load: {@link io.pathprobe.bufferbloat.BufferbloatRequest}, the grade and IETF RPM.
 */
@NullMarked
package io.pathprobe.bufferbloat;

import org.jspecify.annotations.NullMarked;
