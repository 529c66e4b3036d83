/**
 * What a result shows of the network it was measured on: {@link io.pathprobe.evidence.Masking} hides the first
 * hops and this host's addresses (trippy's privacy mode) in every output, text and JSON.
 */
@NullMarked
package io.pathprobe.evidence;

import org.jspecify.annotations.NullMarked;
