/**
 * Not API: the libc binding ({@link io.pathprobe.macos.internal.libc.LibC}) that jnr-ffi implements at run
 * time. The module exports this package to everyone only because jnr-ffi defines that implementation in
 * the unnamed module of a class loader of its own, which a qualified export cannot name; anything here may
 * change without notice.
 */
@NullMarked
package io.pathprobe.macos.internal.libc;

import org.jspecify.annotations.NullMarked;
