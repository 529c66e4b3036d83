package io.pathprobe.lab.namespace;

import io.pathprobe.lab.LabException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of lab namespaces, and the facts about namespaces the lab needs: which exist, whose owner is
 * gone, and whether a namespace is the machine's root one.
 *
 * <p>A lab is named {@code pathprobe-<pid>-<n>} after the process that built it and a per-process
 * counter; its namespaces append {@code -h} (host), {@code -r<ttl>} (routers), {@code -r<ttl>b<k>} (ECMP middle
 * routers) or {@code -d} (destination). Names of two live processes never collide, and a name tells whether its owner
 * is alive.
 */
public final class Namespaces {
    /** Where {@code ip netns} keeps named namespaces (bind mounts of nsfs files). */
    static final Path NETNS_DIR = Path.of("/run/netns");
    public static final String PREFIX = "pathprobe-";
    private static final Pattern NAME = Pattern.compile("pathprobe-(\\d+)-(\\d+)-(h|d|r\\d+(?:b\\d+)?)");
    private static final Pattern ALIAS_OWNER = Pattern.compile("pathprobe-(\\d+)-\\d+");
    private static final Pattern NS_LINK = Pattern.compile("net:\\[(\\d+)]");

    private Namespaces() {}

    public static String labName(long pid, int counter) {
        return PREFIX + pid + "-" + counter;
    }

    /** {@return {@code command} run in {@code namespace} through {@code ip netns exec} ("" = this one), to add to} */
    public static List<String> in(String namespace, List<String> command) {
        List<String> full = new ArrayList<>();
        if (!namespace.isEmpty()) {
            full.addAll(List.of("ip", "netns", "exec", namespace));
        }
        full.addAll(command);
        return full;
    }

    /** {@return {@code command} run in {@code namespace}, as {@link #in(String, List)}} */
    public static List<String> in(String namespace, String... command) {
        return in(namespace, List.of(command));
    }

    /** The pid encoded in a lab namespace name or lab name; empty if it is not one of ours. */
    public static OptionalLong owner(String name) {
        Matcher m = NAME.matcher(name);
        if (m.matches()) {
            return OptionalLong.of(Long.parseLong(m.group(1)));
        }
        m = ALIAS_OWNER.matcher(name);
        return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    public static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Every named network namespace (the entries of /run/netns). */
    public static List<String> list() {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(NETNS_DIR)) {
            for (Path p : dir) {
                names.add(p.getFileName().toString());
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new LabException("cannot list " + NETNS_DIR + ": " + e, e);
        }
        return names;
    }

    public static boolean exists(String namespace) {
        return Files.exists(NETNS_DIR.resolve(namespace));
    }

    /** Lab namespaces whose owning process is no longer alive (never this process's own). */
    public static List<String> stale() {
        long self = ProcessHandle.current().pid();
        List<String> stale = new ArrayList<>();
        for (String name : list()) {
            Matcher m = NAME.matcher(name);
            if (m.matches()) {
                long pid = Long.parseLong(m.group(1));
                if (pid != self && !alive(pid)) {
                    stale.add(name);
                }
            }
        }
        return stale;
    }

    /**
     * Deletes the named namespaces with one {@code ip -force -batch} (it carries on past names that
     * vanished meanwhile, e.g. reaped by another process) and returns how many of them are now gone.
     */
    public static int delete(List<String> namespaces, List<String> extraBatchLines, Duration timeout) {
        if (namespaces.isEmpty() && extraBatchLines.isEmpty()) {
            return 0;
        }
        StringBuilder batch = new StringBuilder();
        extraBatchLines.forEach(l -> batch.append(l).append('\n'));
        namespaces.forEach(n -> batch.append("netns del ").append(n).append('\n'));
        Exec.run(List.of("ip", "-force", "-batch", "-"), batch.toString(), timeout);
        return (int) namespaces.stream().filter(n -> !exists(n)).count();
    }

    /** The inode number of a process's network namespace, from {@code /proc/<pid>/ns/net}. */
    public static OptionalLong inode(String pid) {
        try {
            Matcher m = NS_LINK.matcher(Files.readSymbolicLink(Path.of("/proc", pid, "ns", "net")).toString());
            return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
        } catch (IOException | SecurityException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * The inode of the machine's initial network namespace: that of pid 1, or, where pid 1's is not
     * readable (some VM and container inits forbid it even to root), that of kthreadd (pid 2), which
     * like every kernel thread lives in the initial namespaces. Empty if neither can be read.
     */
    public static OptionalLong rootInode() {
        OptionalLong init = inode("1");
        if (init.isPresent()) {
            return init;
        }
        try {
            if (Files.readString(Path.of("/proc/2/comm")).strip().equals("kthreadd")) {
                return inode("2");
            }
        } catch (IOException | SecurityException e) {
            // fall through
        }
        return OptionalLong.empty();
    }

    /**
     * Whether a process whose namespace has inode {@code self} is in the root namespace
     * ({@code root}); when either is unknown the answer is yes, the assumption that never lets a
     * probe out of the machine.
     */
    public static boolean isRoot(OptionalLong self, OptionalLong root) {
        return self.isEmpty() || root.isEmpty() || self.getAsLong() == root.getAsLong();
    }
}
