package io.pathprobe.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * IPv6 turned off in the calling process's own network namespace, which then is an IPv4-only host
 * (no IPv6 source address: sends to an IPv6 target fail with EADDRNOTAVAIL), and put back on
 * {@link #close()}, loopback's {@code ::1} included (turning IPv6 off on {@code lo} removes it;
 * turning it on again does not restore it). Only in a private namespace (the build's lab test JVM
 * runs under {@code unshare --net}): it refuses the machine's root namespace.
 */
public final class Ipv6Off implements AutoCloseable {
    private static final List<String> CONFS = List.of("all", "default", "lo");
    private final Map<Path, String> saved = new LinkedHashMap<>();

    private Ipv6Off() {}

    /**
     * Turns IPv6 off here.
     *
     * @throws IllegalStateException in the root network namespace
     */
    public static Ipv6Off inThisNamespace() throws IOException {
        if (Lab.inRootNetworkNamespace()) {
            throw new IllegalStateException("refusing to turn IPv6 off in the root network namespace");
        }
        Ipv6Off off = new Ipv6Off();
        // read every setting before writing any: writing "all" also writes "default", so reading
        // "default" after it would save the 1 and put it back, and every later device (the next
        // lab's interfaces here) would have IPv6 off
        for (String conf : CONFS) {
            Path p = Path.of("/proc/sys/net/ipv6/conf", conf, "disable_ipv6");
            off.saved.put(p, Files.readString(p).strip());
        }
        for (Path p : off.saved.keySet()) {
            Files.writeString(p, "1");
        }
        return off;
    }

    /** Puts the settings back, and loopback's {@code ::1}. */
    @Override
    public void close() throws IOException {
        for (Map.Entry<Path, String> e : saved.entrySet()) {
            Files.writeString(e.getKey(), e.getValue());
        }
        try {
            new ProcessBuilder("ip", "-6", "addr", "replace", "::1/128", "dev", "lo").inheritIO().start()
                    .waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
