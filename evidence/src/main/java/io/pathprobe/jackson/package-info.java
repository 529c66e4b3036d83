/**
 * {@link io.pathprobe.jackson.PathProbeJacksonModule}: pathprobe's results in a Jackson
 * {@code ObjectMapper}, with the field names, units and derived fields of
 * the documents the writers of {@link io.pathprobe.json} write. In pathprobe-evidence, which brings
 * jackson-databind (the engine in pathprobe-core writes JSON without a JSON library).
 */
@NullMarked
package io.pathprobe.jackson;

import org.jspecify.annotations.NullMarked;
