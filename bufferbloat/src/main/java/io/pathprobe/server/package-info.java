/**
 * A responsiveness server ({@link io.pathprobe.server.ResponsivenessServer}): the server side of
 * draft-ietf-ippm-responsiveness-09, for pathprobe's bufferbloat test, Apple's {@code networkQuality}
 * and goresponsiveness, to run on one's own hosts, in tests or in the lab. Public API.
 */
@NullMarked
package io.pathprobe.server;

import org.jspecify.annotations.NullMarked;
