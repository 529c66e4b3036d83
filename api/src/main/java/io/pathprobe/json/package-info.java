/**
 * Results as JSON without a JSON library: {@link io.pathprobe.json.PathProbeJson} writes pathprobe's
 * own versioned documents (the command line's {@code --format json}), {@link io.pathprobe.json.AtlasJson}
 * the RIPE Atlas result structure (fw 5000) for traceroute and ping, and multipath discovery in the
 * same style (the command line's {@code --format atlas}).
 */
@NullMarked
package io.pathprobe.json;

import org.jspecify.annotations.NullMarked;
