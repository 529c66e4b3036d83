@NullMarked
package io.pathprobe.linux.internal.transport;

import org.jspecify.annotations.NullMarked;
