/**
 * Path MTU discovery: {@link io.pathprobe.mtu.MtuRequest}, the MTU hop by hop and black holes.
 */
@NullMarked
package io.pathprobe.mtu;

import org.jspecify.annotations.NullMarked;
