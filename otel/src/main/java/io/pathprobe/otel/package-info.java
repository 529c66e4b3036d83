/**
 * A measurement's result as OpenTelemetry spans: {@link io.pathprobe.otel.PathSpans}; the attribute names are
 * {@link io.pathprobe.otel.PathAttributes}'s (docs/otel.md).
 */
@NullMarked
package io.pathprobe.otel;

import org.jspecify.annotations.NullMarked;
