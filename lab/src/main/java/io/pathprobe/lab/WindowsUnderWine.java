package io.pathprobe.lab;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The lab half of {@code build/wine-check} (Linux, root): pathprobe's Windows transport run for real
 * under Wine, inside a lab, compared with the Linux backend on the same lab in the same run.
 *
 * <p>Builds a chain of 8 routers (hop 3 silent, ICMP rate limits off), then, in the lab's host
 * namespace (whose only routes lead into the lab), runs each Windows command through
 * {@code build/wine/wrun}, which starts a wineserver of its own in that namespace and refuses when one
 * runs elsewhere:
 * <ol>
 *   <li>the native-windows module's tests, with the JUnit console launcher, under the Windows JVM: no
 *       failure, and the compatibility kit ran against the real provider (not skipped as unavailable);</li>
 *   <li>{@code pathprobe transports}: windows-icmp-echo available, and without IPV6 (Wine has no ICMPv6);</li>
 *   <li>{@code pathprobe ping -c 3} through windows-icmp-echo: 3 sent, 3 echo replies from the destination;</li>
 *   <li>{@code pathprobe trace} through windows-icmp-echo and through linux-raw-icmp (a Linux JVM in the
 *       same namespace): both reach the destination, and at every TTL the set of responders is the same,
 *       and the lab's (the silent hop empty); after the Windows trace, which ends with the silent hop's
 *       requests still pending (Wine does not cancel them on close), the next process of the same
 *       wineserver still starts ({@code build/wine/then-next}: Wine wedges when a process exits with a
 *       request pending whose event was closed or whose issuing thread had ended).</li>
 * </ol>
 * Structure only: nothing about timing (RTTs under Wine are 5 to 27 ms against 0.1 ms natively). Each
 * command's output is kept in the output directory.
 *
 * <pre>
 * WindowsUnderWine WRUN JAVA_EXE CLI_JAR CONSOLE_JAR TEST_CLASSPATH_FILE OUT_DIR
 * </pre>
 * {@code TEST_CLASSPATH_FILE} holds the test class path, Windows style ({@code ;}-separated). Exit
 * status 0 when every check passed, 1 otherwise, 2 on a usage error.
 */
public final class WindowsUnderWine {
    static final int HOPS = 8;
    static final int SILENT = 3;
    static final String WINDOWS = "windows-icmp-echo";
    static final String LINUX = "linux-raw-icmp";
    private static final String WINE64 = "/usr/lib/wine/wine64";

    private final Path wrun;
    private final Path javaExe;
    private final Path cliJar;
    private final Path consoleJar;
    private final String testClasspath;
    private final Path out;
    private final List<String> failures = new ArrayList<>();

    private WindowsUnderWine(String[] a) throws IOException {
        wrun = Path.of(a[0]).toAbsolutePath();
        javaExe = Path.of(a[1]).toAbsolutePath();
        cliJar = Path.of(a[2]).toAbsolutePath();
        consoleJar = Path.of(a[3]).toAbsolutePath();
        testClasspath = Files.readString(Path.of(a[4])).strip();
        out = Path.of(a[5]).toAbsolutePath();
        Files.createDirectories(out);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: WindowsUnderWine WRUN JAVA_EXE CLI_JAR CONSOLE_JAR TEST_CLASSPATH_FILE OUT_DIR");
            System.exit(2);
        }
        System.exit(new WindowsUnderWine(args).run());
    }

    private int run() throws Exception {
        long t0 = System.nanoTime();
        try (Lab lab = Lab.chain(HOPS).silentHops(SILENT)
                .icmpUnlimited("the Windows transport's traces compared with the expected path hop for hop, "
                + "many in a row").build()) {
            if (lab.hostNamespace().isEmpty()) {
                // the lab's host would be this (the calling) namespace: never run Wine here
                System.err.println("wine-check: the lab's host is the calling namespace; run from the root namespace");
                return 1;
            }
            say("lab " + lab.name() + ": " + HOPS + " hops, hop " + SILENT + " silent, host namespace "
                    + lab.hostNamespace() + " (" + ms(t0) + " ms)");
            moduleTests(lab);
            transports(lab);
            ping(lab);
            traces(lab);
        }
        say(failures.isEmpty() ? "all checks passed (" + ms(t0) + " ms)"
                : failures.size() + " check(s) failed: " + String.join("; ", failures));
        return failures.isEmpty() ? 0 : 1;
    }

    // ---- the checks

    private void moduleTests(Lab lab) throws Exception {
        Result r = wine(lab, "junit", List.of("-jar", consoleJar.toString(), "execute", "--disable-banner",
                "--disable-ansi-colors", "--details=tree", "-cp", testClasspath, "--select-package",
                "io.pathprobe.windows"));
        Map<String, Integer> counts = new java.util.TreeMap<>();
        Matcher m = Pattern.compile("\\[\\s*(\\d+) (tests? \\w+)\\s*]").matcher(r.output);
        while (m.find()) {
            counts.put(m.group(2), Integer.parseInt(m.group(1)));
        }
        int successful = counts.getOrDefault("tests successful", 0);
        int failed = counts.getOrDefault("tests failed", -1);
        say("native-windows tests under the Windows JVM: " + counts.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "))
                + " (" + r.millis + " ms)");
        List<String> lines = r.output.lines().toList();
        for (String line : lines.stream().filter(l -> l.contains("Assumption failed")).distinct().toList()) {
            say("  skipped: " + line.replaceFirst("^[\\s|'+`-]*", ""));
        }
        // a failed test ([X] in the ASCII tree, ✘ in the Unicode one) and the line after it (the message),
        // here as well as in the log, which a fresh clone's run may not keep
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.contains("[X]") || line.contains("\u2718")) {
                say("  failed: " + line.replaceFirst("^[\\s|'+`-]*", "")
                        + (i + 1 < lines.size() ? " / " + lines.get(i + 1).replaceFirst("^[\\s|'+`-]*", "") : ""));
            }
        }
        check(r.exit == 0, "the JUnit console launcher exited " + r.exit);
        check(failed == 0, "native-windows tests failed under Wine: " + failed + " (see " + r.log + ")");
        check(successful > 0, "no native-windows test passed under Wine");
        check(!r.output.contains(WINDOWS + " is unavailable here"),
                "the compatibility kit found " + WINDOWS + " unavailable under Wine: it did not probe for real");
    }

    private void transports(Lab lab) throws Exception {
        Result r = wine(lab, "transports", List.of("-jar", cliJar.toString(), "transports"));
        String line = r.output.lines().filter(l -> l.startsWith(WINDOWS + " ")).findFirst().orElse("");
        say("transports: " + line.replaceAll("\\s+", " ") + " (" + r.millis + " ms)");
        check(r.exit == 0, "pathprobe transports exited " + r.exit);
        check(line.contains(" available ") && line.contains("IPV4"), WINDOWS + " is not available under Wine: " + line);
        check(!line.contains("IPV6"), WINDOWS + " claims IPv6 under Wine, which has no ICMPv6: " + line);
    }

    private void ping(Lab lab) throws Exception {
        InetAddress d = lab.destination();
        Result r = wine(lab, "ping", List.of("-jar", cliJar.toString(), "ping", "--no-enrich", "--transport", WINDOWS,
                "--format", "json", "-c", "3", "-W", "5s", d.getHostAddress()));
        check(r.exit == 0, "ping through " + WINDOWS + " exited " + r.exit + " (see " + r.log + ")");
        Map<String, Object> target = map(list(json(r, "ping").get("results")).get(0));
        say("ping " + d.getHostAddress() + " via " + target.get("transport") + ": "
                + num(target.get("sent")) + " sent, "
                + num(target.get("received")) + " received (" + r.millis + " ms)");
        check(WINDOWS.equals(target.get("transport")), "ping used " + target.get("transport"));
        check(num(target.get("sent")) == 3 && num(target.get("received")) == 3,
                "ping: " + num(target.get("received")) + " of " + num(target.get("sent")) + " answered, not 3 of 3");
        check(d.getHostAddress().equals(target.get("address")), "ping address " + target.get("address"));
    }

    private void traces(Lab lab) throws Exception {
        String d = lab.destination().getHostAddress();
        List<String> args = List.of("-jar", cliJar.toString(), "trace", "--no-enrich", "--format",
                "json", "--transport");
        // then-next: the trace leaves silent-hop requests pending at its exit (Wine does not cancel them on
        // close); the next process of the same wineserver must still start (a wedged wineserver would hang it)
        List<String> cmd = new ArrayList<>(List.of("bash", wrun.toString(), "bash",
                wrun.resolveSibling("then-next").toString(), javaExe.toString(), WINE64, javaExe.toString()));
        cmd.addAll(concat(args, WINDOWS, d));
        Result w = command(lab, "trace-windows", cmd);
        check(w.exit != 97, "after the trace through " + WINDOWS + " the next process of its wineserver hung (the "
                + "wineserver is wedged: a request outlived its thread or its event)");
        if (w.exit != 97) {
            say("after the trace, the next process of the same wineserver started (no wedge)");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Result l = command(lab, "trace-linux", concat(concat(List.of(java), args.toArray(String[]::new)), LINUX, d));
        List<Set<String>> windows = responders(w, WINDOWS);
        List<Set<String>> linux = responders(l, LINUX);
        List<Set<String>> expected = new ArrayList<>();
        for (int ttl = 1; ttl <= HOPS; ttl++) {
            expected.add(lab.expectedResponders(ttl).stream().map(InetAddress::getHostAddress)
                    .collect(Collectors.toCollection(TreeSet::new)));
        }
        say("trace " + d + " (responders per TTL, " + w.millis + " ms under Wine, " + l.millis + " ms on Linux):");
        for (int i = 0; i < Math.max(windows.size(), Math.max(linux.size(), expected.size())); i++) {
            say(String.format("  %2d  %-16s %-16s %s", i + 1, text(windows, i), text(linux, i),
                    text(windows, i).equals(text(linux, i)) ? "same" : "DIFFERENT"));
        }
        check(windows.equals(linux), "the responders per TTL differ: " + WINDOWS + " " + windows + ", " + LINUX + " "
                + linux);
        check(windows.equals(expected), WINDOWS + " did not find the lab's path " + expected + ": " + windows);
    }

    /** The responders per TTL of a trace document, after checking its transport and that it reached the destination. */
    private List<Set<String>> responders(Result r, String transport) {
        check(r.exit == 0, "trace through " + transport + " exited " + r.exit + " (see " + r.log + ")");
        Map<String, Object> doc = json(r, "trace " + transport);
        check(transport.equals(doc.get("transport")),
                "the trace asked of " + transport + " used " + doc.get("transport"));
        check(Boolean.TRUE.equals(doc.get("destinationReached")),
                "the trace through " + transport + " ended " + doc.get("status"));
        List<Set<String>> out = new ArrayList<>();
        for (Object h : list(doc.get("hops"))) {
            Set<String> set = new TreeSet<>();
            for (Object responder : list(map(h).get("responders"))) {
                set.add(String.valueOf(map(responder).get("address")));
            }
            out.add(set);
        }
        return out;
    }

    // ---- running things

    private record Result(int exit, String output, long millis, Path log) {}

    /** A command under the Windows JVM, through wrun, in the lab's host namespace. */
    private Result wine(Lab lab, String name, List<String> javaArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", wrun.toString(), WINE64, javaExe.toString()));
        cmd.addAll(javaArgs);
        return command(lab, name, cmd);
    }

    private Result command(Lab lab, String name, List<String> cmd) throws Exception {
        Path log = out.resolve(name + ".log");
        Path err = out.resolve(name + ".err");
        ProcessBuilder pb = lab.command(cmd).redirectOutput(log.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        long t0 = System.nanoTime();
        Process p = pb.start();
        // a generous liveness bound (wrun bounds the Wine command itself)
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            p.waitFor();
        }
        long millis = ms(t0);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        String errors = Files.readString(err, StandardCharsets.UTF_8);
        if (errors.contains("build/wine/wrun: refusing")) {
            failures.add(errors.strip());
            throw new IllegalStateException(errors.strip());
        }
        return new Result(p.exitValue(), output + (errors.isEmpty() ? "" : "\n" + errors), millis, log);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> json(Result r, String what) {
        String text = Files.exists(r.log) ? r.output : "";
        int start = text.indexOf('{');
        int end = text.lastIndexOf('}');
        try {
            return MiniJson.object(MiniJson.parse(text.substring(start, end + 1)));
        } catch (RuntimeException e) {
            failures.add(what + ": no JSON document in " + r.log);
            throw new IllegalStateException(what + ": no JSON document in " + r.log + ": " + e.getMessage(), e);
        }
    }

    // ---- small things

    private void check(boolean ok, String failure) {
        if (!ok) {
            failures.add(failure);
            say("FAILED: " + failure);
        }
    }

    private static void say(String s) {
        System.out.println("wine-check: " + s);
        System.out.flush();
    }

    private static String text(List<Set<String>> hops, int i) {
        if (i >= hops.size()) {
            return "-";
        }
        return hops.get(i).isEmpty() ? "*" : String.join(",", hops.get(i));
    }

    private static List<String> concat(List<String> a, String... more) {
        List<String> out = new ArrayList<>(a);
        out.addAll(List.of(more));
        return out;
    }

    private static Map<String, Object> map(@Nullable Object o) {
        return MiniJson.object(o);
    }

    private static List<Object> list(@Nullable Object o) {
        return MiniJson.array(o);
    }

    private static long num(@Nullable Object o) {
        return o instanceof Number n ? n.longValue() : -1;
    }

    private static long ms(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }
}
