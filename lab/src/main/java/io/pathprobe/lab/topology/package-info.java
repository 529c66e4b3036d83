/**
 * The lab's shapes: the chain of routers and its routes, ECMP fabrics, the home network plan, side paths, NAT
 * routers, and how the destination and the path MTU behave.
 */
@NullMarked
package io.pathprobe.lab.topology;

import org.jspecify.annotations.NullMarked;
