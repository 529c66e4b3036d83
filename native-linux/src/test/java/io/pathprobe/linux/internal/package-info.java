@NullMarked
package io.pathprobe.linux.internal;

import org.jspecify.annotations.NullMarked;
