/**
 * Enrichment as the measurements see it: {@link io.pathprobe.core.internal.lookup.HostLookups} (the
 * tracer's lookups, backed by the enricher), {@link io.pathprobe.core.internal.lookup.PathLookups}
 * (one measurement's lookups, started off the engine thread, with their results as data), and
 * {@link io.pathprobe.core.internal.lookup.Segments} (hop segments). Not API.
 */
@NullMarked
package io.pathprobe.core.internal.lookup;

import org.jspecify.annotations.NullMarked;
