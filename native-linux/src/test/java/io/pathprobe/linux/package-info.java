@NullMarked
package io.pathprobe.linux;

import org.jspecify.annotations.NullMarked;
