/**
 * A measured path as a graph ({@link io.pathprobe.graph.PathGraph}): this host, the responders and the links the
 * probes took, made from a trace, a traceAll, a compare or a multipath discovery, and written for Graphviz.
 */
@NullMarked
package io.pathprobe.graph;

import org.jspecify.annotations.NullMarked;
