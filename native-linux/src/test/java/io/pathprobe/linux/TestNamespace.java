package io.pathprobe.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Facts about the network namespace the test JVM runs in, and the one sysctl the tests change in
 * it. They change it only in a private namespace (the build starts test JVMs under
 * {@code unshare --net}), never in the machine's root namespace.
 */
public final class TestNamespace {
    static final Path PING_GROUP_RANGE = Path.of("/proc/sys/net/ipv4/ping_group_range");
    static final String WIDE = "0 2147483647";

    private TestNamespace() {}

    /**
     * Whether this process runs in a network namespace other than the machine's initial one (that of
     * pid 1 or, where pid 1's cannot be read, of kthreadd, pid 2, a kernel thread). False when unsure.
     */
    static boolean isPrivate() {
        Path self = netns("self");
        Path root = netns("1");
        if (root == null) {
            try {
                root = Files.readString(Path.of("/proc/2/comm")).strip().equals("kthreadd") ? netns("2") : null;
            } catch (IOException e) {
                root = null;
            }
        }
        return self != null && root != null && !self.equals(root);
    }

    private static Path netns(String pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", pid, "ns", "net"));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    static String pingGroupRange() {
        try {
            // readAllLines reads in one go: a sysctl file answers only a read at offset 0
            return String.join(" ", Files.readAllLines(PING_GROUP_RANGE)).trim().replaceAll("\\s+", " ");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sets net.ipv4.ping_group_range of this (private) namespace. */
    static void setPingGroupRange(String range) {
        if (!isPrivate()) {
            throw new IllegalStateException("refusing to change net.ipv4.ping_group_range of the root network "
                    + "namespace: run the tests in a private one (build/netns/bin/java)");
        }
        try {
            Files.writeString(PING_GROUP_RANGE, range);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Lets every group open ping sockets here, as most distributions do (a fresh namespace starts
     * with the kernel default "1 0", which lets nobody). Done only in a private namespace.
     */
    static void allowPingSockets() {
        if (isPrivate() && !pingGroupRange().equals(WIDE)) {
            setPingGroupRange(WIDE);
        }
    }

    /**
     * {@link #allowPingSockets()} where this process may (root in a private namespace); anywhere
     * else it changes nothing and the ping-socket provider reports itself unavailable if the range
     * excludes this process.
     */
    public static void tryAllowPingSockets() {
        try {
            allowPingSockets();
        } catch (RuntimeException e) {
            // not ours to change (unprivileged): the range stays as it is
        }
    }
}
