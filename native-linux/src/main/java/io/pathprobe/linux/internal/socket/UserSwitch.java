package io.pathprobe.linux.internal.socket;

import io.pathprobe.linux.internal.libc.LibC;
import io.pathprobe.linux.internal.libc.Pointer;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The libc calls behind {@code io.pathprobe.linux.privilege.Privileges}: a user looked up in the user database
 * (getpwnam_r, so NSS sources such as LDAP count), and the switch itself, in the order tcpdump's {@code -Z} and ntpd's
 * {@code -u} make it: the user's supplementary groups (initgroups), setgid, setuid. glibc's functions change every
 * thread of the process (a JVM's many), which the raw system calls would not. Not API.
 */
public final class UserSwitch {
    /** prctl options (linux/prctl.h). */
    private static final int PR_SET_DUMPABLE = 4;
    /** ERANGE: getpwnam_r's buffer was too small. */
    private static final int ERANGE = 34;
    /** What getpwnam_r(3) may return for a name that is not there: ENOENT, ESRCH, EBADF, EPERM. */
    private static final java.util.Set<Integer> NOT_FOUND = java.util.Set.of(2, 3, 9, Errno.EPERM);
    /** struct passwd on 64-bit Linux: pw_name, pw_passwd (pointers), then pw_uid and pw_gid. */
    private static final int PASSWD_SIZE = 48;
    private static final int PW_UID = 16;
    private static final int PW_GID = 20;

    private UserSwitch() {}

    /** Why libc cannot be called here, or null when it can. */
    public static @Nullable String unavailable() {
        Throwable t = Posix.loadFailure();
        return t == null ? null : "could not bind libc through jffi: " + t;
    }

    /**
     * {@return {@code {uid, gid}} of the user so named in the user database, or null when there is none}
     *
     * @throws IllegalStateException when the database cannot be read (the errno said)
     */
    public static int @Nullable [] lookup(String name) {
        byte[] c = name.getBytes(StandardCharsets.UTF_8);
        for (int buffer = 16 * 1024; ; buffer *= 4) {
            NativeMemory m = NativeMemory.allocate(c.length + 1 + PASSWD_SIZE + 8 + buffer);
            try {
                Pointer user = m.pointer();
                user.put(0, c, 0, c.length);
                Pointer passwd = m.at(c.length + 1);
                Pointer result = m.at(c.length + 1 + PASSWD_SIZE);
                Pointer strings = m.at(c.length + 1 + PASSWD_SIZE + 8);
                int e = Posix.libc().getpwnam_r(user, passwd, strings, buffer, result);
                if (e == ERANGE && buffer < 4 * 1024 * 1024) {
                    continue;
                }
                if (result.getAddress(0) != 0) {
                    return new int[] {passwd.getInt(PW_UID), passwd.getInt(PW_GID)};
                }
                if (e != 0 && !NOT_FOUND.contains(e)) {
                    throw new IllegalStateException(Posix.describe("getpwnam_r(" + name + ")", e));
                }
                return null;
            } finally {
                m.free();
            }
        }
    }

    /** {@return {@code {uid, euid, gid, egid}} of this process} */
    public static int[] ids() {
        LibC libc = Posix.libc();
        return new int[] {libc.getuid(), libc.geteuid(), libc.getgid(), libc.getegid()};
    }

    /**
     * Switches every thread to the user: its supplementary groups, its group, then its user; then not dumpable
     * (PR_SET_DUMPABLE 0, a property of the process: another process of the same user may neither ptrace it nor
     * take its raw sockets). Not PR_SET_NO_NEW_PRIVS: Linux keeps it per thread, and only the calling thread and
     * those it starts later would have it, not the JVM's others. Only for a process whose effective user is root.
     *
     * @throws IllegalStateException naming the call that failed and its errno
     */
    public static void switchTo(String name, int uid, int gid) {
        LibC libc = Posix.libc();
        byte[] c = name.getBytes(StandardCharsets.UTF_8);
        NativeMemory m = NativeMemory.allocate(c.length + 1);
        try {
            m.pointer().put(0, c, 0, c.length);
            if (libc.initgroups(m.pointer(), gid) != 0) {
                throw failed("initgroups(" + name + ", " + gid + ")");
            }
        } finally {
            m.free();
        }
        if (libc.setgid(gid) != 0) {
            throw failed("setgid(" + gid + ")");
        }
        if (libc.setuid(uid) != 0) {
            throw failed("setuid(" + uid + ")");
        }
        if (libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
            throw failed("prctl(PR_SET_DUMPABLE, 0)");
        }
    }

    /** Whether setuid(0) succeeds now (after a switch it must not: root could be regained). */
    public static boolean canBecomeRoot() {
        return Posix.libc().setuid(0) == 0;
    }

    private static IllegalStateException failed(String call) {
        return new IllegalStateException(Posix.describe(call, Posix.errno()));
    }
}
