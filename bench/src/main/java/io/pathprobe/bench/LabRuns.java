package io.pathprobe.bench;

import io.pathprobe.lab.Lab;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the comparisons that re-run themselves inside a lab's host namespace share: the lab's
 * expected responders passed as one argument ({@code "a;b,c;..."}, one TTL per field), the run
 * inside the lab, and the machine's load average for the log.
 */
final class LabRuns {
    private LabRuns() {}

    /** Every TTL's expected responders, TTL 1 first: addresses joined by ",", TTLs by ";". */
    static String expectedResponders(Lab lab) {
        List<String> ttls = new ArrayList<>();
        for (int ttl = 1; ttl <= lab.hops(); ttl++) {
            ttls.add(lab.expectedResponders(ttl).stream().map(InetAddress::getHostAddress)
                    .collect(Collectors.joining(",")));
        }
        return String.join(";", ttls);
    }

    /** {@link #expectedResponders(Lab)} read back: index 0 is TTL 1. */
    static List<Set<InetAddress>> expectedResponders(String text) throws IOException {
        List<Set<InetAddress>> expected = new ArrayList<>();
        for (String ttl : text.split(";", -1)) {
            Set<InetAddress> at = new HashSet<>();
            for (String s : ttl.split(",")) {
                if (!s.isEmpty()) {
                    at.add(InetAddress.getByName(s));
                }
            }
            expected.add(at);
        }
        return expected;
    }

    /** Runs {@code main} with {@code args} in the lab's host namespace; exits with its status if it failed. */
    static void runInside(Lab lab, Class<?> main, List<String> args) throws IOException, InterruptedException {
        int rc = lab.command(Lab.javaCommand(main, args.toArray(String[]::new))).inheritIO().start().waitFor();
        if (rc != 0) {
            System.exit(rc);
        }
    }

    /** Refuses to go on in the root network namespace: every probe must leave from the lab's. */
    static void requireLabNamespace() {
        if (Lab.inRootNetworkNamespace()) {
            throw new IllegalStateException("refusing to probe from the root network namespace");
        }
    }

    /** The load average line of {@code /proc/loadavg}, or "unknown". */
    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Command-line options, the first list's before the second's. */
    static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
