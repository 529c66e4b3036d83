package io.pathprobe.bench;

import io.pathprobe.linux.internal.libc.LibC;
import io.pathprobe.linux.internal.libc.Pointer;
import java.lang.reflect.Method;
import java.util.Locale;

/**
 * One fresh JVM of {@link ColdStartComparison}'s {@code binding-jffi} kind: libc bound as the Linux transports bind
 * it (their {@code Posix}: jffi's stub from the per-user cache, then {@code DirectLibC}'s functions, 31 since the
 * privilege switch's identity calls; its FFM twin binds the first 23), then a first call of each kind a transport
 * makes first: {@code socket()} and {@code close()} (errno saved),
 * {@code calloc()}, a write and a read of that memory through {@link Pointer}, {@code free()}. Prints {@code BIND
 * ns=... ok=...}: the wall time from the start of {@code main} to the end. {@code bench/src/main/ffm/BindingFfm.java}
 * does the same through Java's foreign-function API. {@code Posix} is package-private; it is reached by reflection
 * (a few JDK classes from the JDK's own archive).
 */
public final class BindingChild {
    private BindingChild() {}

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        Method libc = Class.forName("io.pathprobe.linux.internal.socket.Posix").getDeclaredMethod("libc");
        libc.setAccessible(true);
        LibC c = (LibC) libc.invoke(null);
        int fd = c.socket(2, 2 | 0x80000, 0); // AF_INET, SOCK_DGRAM | SOCK_CLOEXEC
        int closed = c.close(fd);
        long block = c.calloc(1, 64);
        Pointer p = Pointer.wrap(block);
        p.putInt(8, 0x2a2a2a2a);
        int read = p.getInt(8);
        c.free(block);
        long t1 = System.nanoTime();
        System.out.printf(Locale.ROOT, "BIND ns=%d ok=%s%n", t1 - t0, fd >= 0 && closed == 0 && read == 0x2a2a2a2a);
    }
}
