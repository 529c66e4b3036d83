/** Not API: how the public API finds the engine. May change in any release. */
@NullMarked
package io.pathprobe.internal;

import org.jspecify.annotations.NullMarked;
