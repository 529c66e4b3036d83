/**
 * {@link io.pathprobe.jackson.PathProbeJacksonModule}: pathprobe's results in a Jackson
 * {@code ObjectMapper}, with the field names, units and derived fields of
 * the documents the writers of {@link io.pathprobe.json} write. Needs jackson-databind on the class path (an
 * optional dependency of pathprobe-core: add it to your build to use this package).
 */
@NullMarked
package io.pathprobe.jackson;

import org.jspecify.annotations.NullMarked;
