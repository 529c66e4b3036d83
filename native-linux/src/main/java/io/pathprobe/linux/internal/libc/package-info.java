/**
 * Not API: the libc binding ({@link io.pathprobe.linux.internal.libc.LibC}, called through jffi by default) and
 * the {@link io.pathprobe.linux.internal.libc.Pointer} its arguments are. The module exports this package to
 * everyone only because jnr-ffi, when asked for its binding instead ({@code -Dpathprobe.linux.binding=jnr}),
 * implements {@link io.pathprobe.linux.internal.libc.JnrLibC} and defines that implementation in
 * the unnamed module of a class loader of its own, which a qualified export cannot name; anything here may
 * change without notice.
 */
@NullMarked
package io.pathprobe.linux.internal.libc;

import org.jspecify.annotations.NullMarked;
