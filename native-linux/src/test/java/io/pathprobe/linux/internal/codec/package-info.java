@NullMarked
package io.pathprobe.linux.internal.codec;

import org.jspecify.annotations.NullMarked;
