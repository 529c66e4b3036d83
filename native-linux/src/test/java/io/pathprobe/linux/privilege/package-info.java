@NullMarked
package io.pathprobe.linux.privilege;

import org.jspecify.annotations.NullMarked;
