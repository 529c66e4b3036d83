/**
 * Enrichment as the measurements see it: {@link io.pathprobe.core.internal.lookup.HostLookups} (the
 * tracer's lookups, backed by the enricher), {@link io.pathprobe.core.internal.lookup.PathLookups}
 * (one measurement's lookups, started off the engine thread, with their results as data),
 * {@link io.pathprobe.core.internal.lookup.EnrichmentStage} (enrichment as one stage of every kind of
 * measurement, on its engine loop: lookups' ends handed back to the loop, so nothing is locked; a hop told
 * once with what is known and once more when its lookups settle) and
 * {@link io.pathprobe.core.internal.lookup.Segments} (hop segments). Not API.
 */
@NullMarked
package io.pathprobe.core.internal.lookup;

import org.jspecify.annotations.NullMarked;
