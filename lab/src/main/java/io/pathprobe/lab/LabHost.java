package io.pathprobe.lab;

import io.pathprobe.lab.namespace.Exec;
import io.pathprobe.lab.namespace.Namespaces;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a lab reads and changes outside its own namespaces: the calling namespace's sysctls and its
 * {@value Lab#HOST_INTERFACE}, the machine's congestion controls, and the link states of an {@code ip -o link}
 * listing.
 */
final class LabHost {
    static final Path PING_GROUP_RANGE = Path.of("/proc/sys/net/ipv4/ping_group_range");
    static final Path CONGESTION_CONTROL = Path.of("/proc/sys/net/ipv4/tcp_congestion_control");
    static final Path AVAILABLE_CONGESTION_CONTROL =
            Path.of("/proc/sys/net/ipv4/tcp_available_congestion_control");
    static final Path ALLOWED_CONGESTION_CONTROL = Path.of("/proc/sys/net/ipv4/tcp_allowed_congestion_control");
    static final Pattern LINK_LINE =
            Pattern.compile("^\\d+:\\s+([^:@\\s]+)(?:@\\S+)?:\\s+<([^>]*)>.*?\\bstate\\s+(\\S+)");
    static final Pattern ALIAS = Pattern.compile("\\balias\\s+(\\S+)");

    /** Refuses to use the calling namespace as the host when it is the root one. */
    static void requireNotRoot(OptionalLong self, OptionalLong root) {
        if (Namespaces.isRoot(self, root)) {
            throw new LabException("inCurrentNamespace() refused: this process is in the root network namespace ("
                    + (self.isPresent() && root.isPresent() ? "net:[" + self.getAsLong() + "]"
                            : "or it cannot be told apart from it")
                    + "), whose routes lead off the machine. Run it in a private namespace (unshare --net, "
                    + "see build/netns) or let the lab create its host namespace and use command()");
        }
    }

    /**
     * The interfaces (other than lo) of an {@code ip -o link show} listing that are not up yet:
     * without carrier, or (except {@code carrierSuffices}) not in operational state UP.
     */
    static List<String> linksNotUp(String listing, String carrierSuffices) {
        List<String> down = new ArrayList<>();
        for (String line : listing.split("\n")) {
            Matcher m = LINK_LINE.matcher(line);
            if (m.find() && !m.group(1).equals("lo")) {
                boolean carrier = Arrays.asList(m.group(2).split(",")).contains("LOWER_UP");
                if (!carrier || !(m.group(3).equals("UP") || m.group(1).equals(carrierSuffices))) {
                    down.add(m.group(1) + " (" + m.group(3) + ", <" + m.group(2) + ">)");
                }
            }
        }
        return down;
    }


    /** Whether this namespace has a {@value Lab#HOST_INTERFACE} (read from /proc/net/dev: no process). */
    static boolean hostInterfacePresent() {
        try {
            return Files.readAllLines(Path.of("/proc/self/net/dev")).stream()
                    .anyMatch(l -> l.strip().startsWith(Lab.HOST_INTERFACE + ":"));
        } catch (IOException e) {
            throw new LabException("cannot read /proc/self/net/dev: " + e, e);
        }
    }

    /**
     * Makes sure no other live lab uses this namespace: a {@value Lab#HOST_INTERFACE} left by a dead
     * process is fine (the creation batch deletes it), one of a live process is not.
     */
    static void checkNoOtherHostInterface() {
        if (!hostInterfacePresent()) {
            return;
        }
        Exec.Result r = Exec.run(List.of("ip", "-o", "link", "show", "dev", Lab.HOST_INTERFACE),
                null, Lab.COMMAND_TIMEOUT);
        Matcher m = ALIAS.matcher(r.stdout());
        String owner = m.find() ? m.group(1) : null;
        OptionalLong pid = owner == null ? OptionalLong.empty() : Namespaces.owner(owner);
        if (pid.isPresent() && !Namespaces.alive(pid.getAsLong())) {
            return;
        }
        throw new LabException("this network namespace already has a lab host interface " + Lab.HOST_INTERFACE + " ("
                + (owner == null ? "of unknown owner" : "lab " + owner + ", a live process") + "); close that lab "
                + "first, or delete the interface if it is not a lab's");
    }

    /**
     * Writes back a calling-namespace sysctl the lab changed ({@code saved} null: it did not); a failure joins {@code
     * failure}.
     */
    static @Nullable LabException restore(Path sysctl, @Nullable String saved, @Nullable LabException failure) {
        if (saved == null) {
            return failure;
        }
        try {
            writeSysctl(sysctl, saved);
            return failure;
        } catch (LabException e) {
            return Exec.joined(failure, e);
        }
    }


    /**
     * Whether a namespace may make {@code cc} its default ({@code net.ipv4.tcp_allowed_congestion_control},
     * one list for the whole machine); else the lab sets it on its routes.
     */
    static boolean congestionControlAllowed(String cc) {
        return listed(ALLOWED_CONGESTION_CONTROL, cc);
    }

    /** Whether the kernel has {@code cc} loaded ({@code net.ipv4.tcp_available_congestion_control}). */
    static boolean congestionControlAvailable(String cc) {
        return listed(AVAILABLE_CONGESTION_CONTROL, cc);
    }

    /** Whether the space-separated list sysctl {@code path} names {@code name} (true where it does not exist). */
    static boolean listed(Path path, String name) {
        return !Files.exists(path) || List.of(readSysctl(path).split("\\s+")).contains(name);
    }

    /**
     * Reads a sysctl in one read(2): the kernel answers a multi-value sysctl only at offset 0, so a
     * reader that reads byte by byte (as {@code Files.readString} does for size-0 files) gets one byte.
     */
    static String readSysctl(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] buf = new byte[4096];
            int n = in.read(buf);
            return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new LabException("cannot read " + path + ": " + e, e);
        }
    }

    static void writeSysctl(Path path, String value) {
        try {
            Files.writeString(path, value + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new LabException("cannot write '" + value + "' to " + path + ": " + e, e);
        }
    }

    private LabHost() {
    }
}
