package io.pathprobe.linux.internal.socket;

import com.kenai.jffi.LastError;
import com.kenai.jffi.Platform;
import io.pathprobe.linux.internal.libc.DirectLibC;
import io.pathprobe.linux.internal.libc.JnrBinding;
import io.pathprobe.linux.internal.libc.LibC;
import io.pathprobe.linux.internal.libc.Pointer;
import org.jspecify.annotations.Nullable;

/**
 * The loaded libc binding, loaded once on first use. If loading fails, {@link #loadFailure()} says
 * why and every other method must not be called.
 */
public final class Posix {
    /**
     * System property: {@code jnr} binds libc with jnr-ffi's generated stub (as before {@link DirectLibC}); by
     * default the functions are called through jffi directly, which a fresh JVM binds in a fraction of the time.
     */
    static final String BINDING_PROPERTY = "pathprobe.linux.binding";

    private static final @Nullable LibC LIBC;
    private static final @Nullable Throwable LOAD_FAILURE;

    static {
        LibC libc = null;
        Throwable failure = null;
        JffiStub.prepare(); // before jffi starts: its stub from the per-user cache, not a new temporary copy
        try {
            Platform platform = Platform.getPlatform();
            if (platform.addressSize() != 64 || platform.longSize() != 64) {
                failure = new UnsupportedOperationException("only 64-bit Linux is supported (address size "
                        + platform.addressSize() / 8 + ", long size " + platform.longSize() / 8 + ")");
            } else {
                libc = "jnr".equals(System.getProperty(BINDING_PROPERTY)) ? JnrBinding.load() : new DirectLibC();
            }
        } catch (Throwable t) { // LinkageError, UnsatisfiedLinkError, ... : reported as the unavailability cause
            failure = t;
            libc = null;
        }
        LIBC = libc;
        LOAD_FAILURE = failure;
    }

    private Posix() {}

    /** Why libc could not be bound, or null when it was. */
    public static @Nullable Throwable loadFailure() {
        return LOAD_FAILURE;
    }

    /** The binding; only call after checking {@link #loadFailure()} is null. */
    public static LibC libc() {
        LibC l = LIBC;
        if (l == null) {
            throw new IllegalStateException("libc is not available", LOAD_FAILURE);
        }
        return l;
    }

    /** errno of the last bound call made by this thread. */
    public static int errno() {
        libc(); // the same failure as every other call when libc is not bound
        return LastError.getInstance().get();
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
    public static String describe(String call, int errno) {
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
