package io.pathprobe.linux.privilege;

import io.pathprobe.linux.internal.socket.UserSwitch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Gives up root once the sockets are open, as tcpdump's {@code -Z} and ntpd's {@code -u} do: a process started as
 * root to open its raw sockets switches to a named user and parses what the network sends with nothing more than
 * that user may do. Linux only.
 *
 * <p>{@link #switchTo(User)} sets the user's supplementary groups from the user database (initgroups), its group
 * (setgid), then its user (setuid), through glibc, which changes every thread of the process (a JVM has many; the
 * raw system calls would change one). The kernel then clears the permitted and effective capabilities. It also clears
 * PR_SET_DUMPABLE (another process of that user can neither ptrace this one nor take its sockets; PR_SET_NO_NEW_PRIVS
 * is not set: Linux keeps it per thread, and a JVM's other threads would not have it), and checks what it did:
 * every thread's four user and group IDs (/proc/self/task/*&#47;status) are the
 * user's, its permitted, effective and ambient capability sets are empty, and setuid(0) fails. Anything else
 * throws, and the caller must not go on.
 *
 * <p>Sockets and files opened before the switch stay usable; whatever is opened after it is opened as the user:
 * a raw socket cannot be, a file only where the user may write.
 */
public final class Privileges {
    private Privileges() {}

    /**
     * Looks a user up by name in this host's user database (NSS: files, LDAP, ...).
     *
     * @param name the user's name
     * @return the user
     * @throws IllegalArgumentException (one line) for a malformed name, a user the database does not hold, or a
     *     platform other than Linux
     */
    public static User user(String name) {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            throw new IllegalArgumentException("switching to another user is supported on Linux only, not " + os);
        }
        String malformed = malformed(name);
        if (malformed != null) {
            throw new IllegalArgumentException(malformed);
        }
        String libc = UserSwitch.unavailable();
        if (libc != null) {
            throw new IllegalArgumentException("cannot look user '" + name + "' up: " + libc);
        }
        int[] ids;
        try {
            ids = UserSwitch.lookup(name);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("cannot look user '" + name + "' up: " + e.getMessage(), e);
        }
        if (ids == null) {
            throw new IllegalArgumentException("unknown user '" + name + "': not in this host's user database");
        }
        return new User(name, ids[0], ids[1]);
    }

    /** Why {@code name} cannot be a user name (empty, a control character, a blank, ':' or '/'), or null. */
    static @Nullable String malformed(String name) {
        if (name.isEmpty()) {
            return "no user name given";
        }
        boolean bad = name.length() > 256 || name.startsWith("-") || name.chars().anyMatch(c -> c < 0x21 || c == 0x7f
                || c == ':' || c == '/' || c == '\\');
        return bad ? "'" + name.replaceAll("\\p{Cntrl}", "?") + "' is not a user name" : null;
    }

    /**
     * Checks, before anything is opened, that {@link #switchTo(User)} can succeed: this process is root, or already
     * that user.
     *
     * @param user the user to switch to
     * @throws IllegalArgumentException (one line) when this process is neither root nor that user, or the user is root
     *     (uid 0: switching to it would give up nothing)
     */
    public static void requireSwitchable(User user) {
        if (user.uid() == 0) {
            throw new IllegalArgumentException("user " + user.name() + " has uid 0: running as it gives up nothing; "
                    + "name an unprivileged user");
        }
        int[] ids = UserSwitch.ids();
        if (ids[1] != 0 && !(ids[0] == user.uid() && ids[1] == user.uid())) {
            throw new IllegalArgumentException("cannot switch to user " + user + ": this process is not root (uid "
                    + Integer.toUnsignedString(ids[1]) + ")");
        }
    }

    /**
     * Switches this process to the user and checks that nothing of root is left (see the class's description).
     *
     * @param user the user
     * @return true when it switched; false when the process was that user already, not root (nothing to drop)
     * @throws IllegalArgumentException when this process is neither root nor that user
     * @throws IllegalStateException (one line) when a call failed or the check found a privilege left: the caller
     *     must stop
     */
    public static boolean switchTo(User user) {
        requireSwitchable(user);
        if (UserSwitch.ids()[1] != 0) {
            return false;
        }
        removePerfData();
        try {
            UserSwitch.switchTo(user.name(), user.uid(), user.gid());
        } catch (IllegalStateException e) {
            throw new IllegalStateException("cannot switch to user " + user + ": " + e.getMessage(), e);
        }
        String left = left(user);
        if (left != null) {
            throw new IllegalStateException("still privileged after switching to user " + user + ": " + left);
        }
        return true;
    }

    /**
     * Removes the JVM's performance data file, {@code /tmp/hsperfdata_USER/PID} (HotSpot's, unless
     * {@code -XX:-UsePerfData}): the JVM removes it when it exits, which it could not do as another user, so it would
     * be left behind. The JVM keeps its mapping; jps and jcmd no longer list the process (after the switch they could
     * not attach to it anyway: it is not dumpable).
     */
    private static void removePerfData() {
        Path file = Path.of("/tmp", "hsperfdata_" + System.getProperty("user.name", ""),
                Long.toString(ProcessHandle.current().pid()));
        try {
            if (Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(file);
            }
        } catch (IOException e) {
            // left behind, as without this
        }
    }

    /** What of root is left after the switch (every thread's IDs and capabilities, setuid(0)), or null. */
    private static @Nullable String left(User user) {
        int[] ids = UserSwitch.ids();
        if (ids[0] != user.uid() || ids[1] != user.uid() || ids[2] != user.gid() || ids[3] != user.gid()) {
            return "getuid, geteuid, getgid, getegid are " + List.of(ids[0], ids[1], ids[2], ids[3]);
        }
        List<Path> tasks = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/task"))) {
            s.forEach(tasks::add);
        } catch (IOException e) {
            return "/proc/self/task cannot be read: " + e.getMessage();
        }
        for (Path t : tasks) {
            String status;
            try {
                status = Files.readString(t.resolve("status"));
            } catch (IOException e) {
                continue; // a thread that ended meanwhile
            }
            String problem = problem(status, user);
            if (problem != null) {
                return "thread " + t.getFileName() + ": " + problem;
            }
        }
        return UserSwitch.canBecomeRoot() ? "setuid(0) succeeded" : null;
    }

    /**
     * What a /proc status file shows of root for a process that should be {@code user}: a Uid or Gid field that is
     * not the user's, or a permitted, effective or ambient capability; null when none.
     */
    static @Nullable String problem(String status, User user) {
        for (String field : List.of("Uid", "Gid", "CapPrm", "CapEff", "CapAmb")) {
            String line = status.lines().filter(l -> l.startsWith(field + ":")).findFirst().orElse(null);
            if (line == null) {
                if (field.equals("CapAmb")) {
                    continue; // before Linux 4.3
                }
                return "no " + field + " line";
            }
            String[] values = line.substring(field.length() + 1).strip().split("\\s+");
            boolean ok;
            if (field.startsWith("Cap")) {
                ok = values.length == 1 && values[0].matches("0+");
            } else {
                String want = Integer.toUnsignedString(field.equals("Uid") ? user.uid() : user.gid());
                ok = values.length == 4 && Stream.of(values).allMatch(want::equals);
            }
            if (!ok) {
                return field + " " + String.join(" ", values);
            }
        }
        return null;
    }
}
