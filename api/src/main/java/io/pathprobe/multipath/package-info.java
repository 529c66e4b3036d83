/**
 * Multipath discovery (MDA, MDA-Lite): {@link io.pathprobe.multipath.MultipathRequest}, the paths found with
 * their confidence, and per-path loss.
 */
@NullMarked
package io.pathprobe.multipath;

import org.jspecify.annotations.NullMarked;
