@NullMarked
package io.pathprobe.linux.internal.socket;

import org.jspecify.annotations.NullMarked;
