package io.pathprobe.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This host's name as {@code gethostname(2)} gives it, read without a name lookup (Java's
 * {@code InetAddress.getLocalHost()} resolves the name, which may send a DNS query): {@code /proc/sys/kernel/hostname}
 * on Linux, else the {@code HOSTNAME} or {@code COMPUTERNAME} environment variable, else {@code "localhost"}. Read
 * once.
 */
public final class LocalHost {
    private LocalHost() {}

    private static final class Name {
        static final String VALUE = read();
    }

    /** {@return this host's name, e.g. {@code "lab-host"}} */
    public static String name() {
        return Name.VALUE;
    }

    private static String read() {
        try {
            String n = String.join("", Files.readAllLines(Path.of("/proc/sys/kernel/hostname"))).strip();
            if (!n.isEmpty()) {
                return n;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the environment's below
        }
        for (String variable : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
            String n = System.getenv(variable);
            if (n != null && !n.isBlank()) {
                return n.strip();
            }
        }
        return "localhost";
    }
}
