package io.pathprobe.linux.internal;

import io.pathprobe.linux.internal.libc.DirectLibC;
import io.pathprobe.linux.internal.libc.LibC;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.jspecify.annotations.Nullable;

/**
 * The loaded libc binding, loaded once on first use. If loading fails, {@link #loadFailure()} says
 * why and every other method must not be called.
 */
final class Posix {
    /**
     * System property: {@code jnr} binds libc with jnr-ffi's generated stub (as before {@link DirectLibC}); by
     * default the functions are called through jffi directly, which a fresh JVM binds in a fraction of the time.
     */
    static final String BINDING_PROPERTY = "pathprobe.linux.binding";

    private static final @Nullable LibC LIBC;
    private static final @Nullable Runtime RUNTIME;
    private static final @Nullable Throwable LOAD_FAILURE;

    static {
        LibC libc = null;
        Runtime runtime = null;
        Throwable failure = null;
        JffiStub.prepare(); // before jffi starts: its stub from the per-user cache, not a new temporary copy
        try {
            if ("jnr".equals(System.getProperty(BINDING_PROPERTY))) {
                libc = LibraryLoader.create(LibC.class).failImmediately().load("c");
                runtime = Runtime.getRuntime(libc);
            } else {
                libc = new DirectLibC();
                runtime = Runtime.getSystemRuntime();
            }
            if (runtime.addressSize() != 8 || runtime.longSize() != 8) {
                failure = new UnsupportedOperationException("only 64-bit Linux is supported (address size "
                        + runtime.addressSize() + ", long size " + runtime.longSize() + ")");
                libc = null;
                runtime = null;
            }
        } catch (Throwable t) { // LinkageError, UnsatisfiedLinkError, ... : reported as the unavailability cause
            failure = t;
            libc = null;
            runtime = null;
        }
        LIBC = libc;
        RUNTIME = runtime;
        LOAD_FAILURE = failure;
    }

    private Posix() {}

    /** Why libc could not be bound, or null when it was. */
    static @Nullable Throwable loadFailure() {
        return LOAD_FAILURE;
    }

    /** The binding; only call after checking {@link #loadFailure()} is null. */
    static LibC libc() {
        LibC l = LIBC;
        if (l == null) {
            throw new IllegalStateException("libc is not available", LOAD_FAILURE);
        }
        return l;
    }

    static Runtime runtime() {
        Runtime r = RUNTIME;
        if (r == null) {
            throw new IllegalStateException("libc is not available", LOAD_FAILURE);
        }
        return r;
    }

    /** errno of the last bound call made by this thread. */
    static int errno() {
        return LastError.getLastError(runtime());
    }

    /** A pointer object for native memory at {@code address} (no allocation of native memory). */
    static Pointer wrap(long address) {
        return Pointer.wrap(runtime(), address);
    }

    /**
     * clock_gettime(CLOCK_REALTIME) in nanoseconds, through {@code timespec} (16 bytes of the
     * caller's native memory, so nothing is allocated): the clock of kernel receive timestamps.
     */
    static long clockRealtime(LibC libc, Pointer timespec) {
        libc.clock_gettime(Abi.CLOCK_REALTIME, timespec);
        return timespec.getLong(0) * 1_000_000_000L + timespec.getLong(8);
    }

    /** "call: ENAME (strerror text)". */
    static String describe(String call, int errno) {
        return call + ": " + Errno.name(errno) + " (" + strerror(errno) + ")";
    }

    static String strerror(int errno) {
        try {
            String s = libc().strerror(errno);
            return s == null ? "errno " + errno : s;
        } catch (RuntimeException e) {
            return "errno " + errno;
        }
    }
}
