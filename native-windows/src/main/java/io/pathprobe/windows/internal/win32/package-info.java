/**
 * Not API: the iphlpapi.dll and kernel32.dll bindings ({@link io.pathprobe.windows.internal.win32.Iphlpapi},
 * {@link io.pathprobe.windows.internal.win32.Kernel32}) that jnr-ffi implements at run time, on Windows only.
 * The module exports this package to everyone only because jnr-ffi defines those implementations in the
 * unnamed module of a class loader of its own, which a qualified export cannot name; anything here may
 * change without notice.
 */
@NullMarked
package io.pathprobe.windows.internal.win32;

import org.jspecify.annotations.NullMarked;
