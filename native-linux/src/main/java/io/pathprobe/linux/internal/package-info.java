/** Implementation of the Linux transports; not an API: anything here may change without notice. */
@NullMarked
package io.pathprobe.linux.internal;

import org.jspecify.annotations.NullMarked;
