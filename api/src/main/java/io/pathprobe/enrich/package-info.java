/**
 * What is learnt about responders besides their answers: host names, AS numbers, segments and the public
 * address ({@link io.pathprobe.enrich.Lookup} says how each lookup went).
 */
@NullMarked
package io.pathprobe.enrich;

import org.jspecify.annotations.NullMarked;
