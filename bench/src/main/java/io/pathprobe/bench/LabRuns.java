package io.pathprobe.bench;

import io.pathprobe.lab.Lab;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What the comparisons that re-run themselves inside a lab's host namespace share: the entry point that picks
 * the half to run and their optional arguments, the lab's expected responders passed as one argument
 * ({@code "a;b,c;..."}, one TTL per field), the run inside the lab, and the machine's load average for the log.
 */
final class LabRuns {
    private LabRuns() {}

    /** One half of a comparison, given the whole command line. */
    @FunctionalInterface
    interface Half {
        void run(String[] args) throws Exception;
    }

    /**
     * A comparison's entry point: a command line whose first argument starts with {@code --inside} (the run
     * {@link #runInside} starts) goes to {@code inside}, refused in the root network namespace; any other to
     * {@code outside}, which builds the lab.
     */
    static void main(String[] args, Half outside, Half inside) throws Exception {
        if (args.length > 0 && args[0].startsWith("--inside")) {
            requireLabNamespace();
            inside.run(args);
        } else {
            outside.run(args);
        }
    }

    /** The whole number at {@code index}, or {@code fallback} when the command line is shorter. */
    static int intArg(String[] args, int index, int fallback) {
        return args.length > index ? Integer.parseInt(args[index]) : fallback;
    }

    /** The number at {@code index}, or {@code fallback} when the command line is shorter. */
    static double doubleArg(String[] args, int index, double fallback) {
        return args.length > index ? Double.parseDouble(args[index]) : fallback;
    }

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

    /** What a tool printed and how long it took: exit status, standard output and error, wall time in ms. */
    record Ran(int exit, String out, String err, double ms) {}

    /**
     * Runs {@code cmd} to its end, its output read before its error; one that runs longer than {@code minutes}
     * is killed and refused. The wall time is from before its start to its end.
     */
    static Ran run(List<String> cmd, int minutes) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(cmd.get(0) + " ran for more than " + minutes + " min");
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        return new Ran(p.exitValue(), new String(out, StandardCharsets.UTF_8), err, ms);
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
