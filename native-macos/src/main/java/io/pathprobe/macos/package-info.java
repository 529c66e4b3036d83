/** macOS probe transports (not implemented yet: the provider reports itself unavailable with the reason). */
@NullMarked
package io.pathprobe.macos;

import org.jspecify.annotations.NullMarked;
