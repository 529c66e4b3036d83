package io.pathprobe.bench;

import io.pathprobe.lab.Lab;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The kernel's floor, a C program (bench/src/main/c) that traces with plain sockets and no engine:
 * compiled here with gcc, run in the lab's host namespace, and what it prints parsed into samples.
 */
final class FloorProgram {
    private FloorProgram() {
    }

    /**
     * Compiles {@code name}.c into the benchmark's target directory: bench/src/main/c/{@code name}.c
     * and bench/target/{@code name} next to the jar or classes this class was loaded from, unless the
     * system properties pathprobe.{@code name}.source / pathprobe.{@code name}.binary say otherwise.
     */
    static Path compileFloor(String name) throws IOException, InterruptedException, URISyntaxException {
        Path loaded = Path.of(FloorComparison.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toAbsolutePath();
        Path target = loaded.getParent();
        Path module = target == null ? null : target.getParent();
        if (target == null || module == null) {
            throw new IllegalStateException("the benchmark was loaded from " + loaded + ", not from a module's target");
        }
        Path source = Path.of(System.getProperty("pathprobe." + name + ".source",
                module.resolve("src/main/c/" + name + ".c").toString()));
        Path binary = Path.of(System.getProperty("pathprobe." + name + ".binary", target.resolve(name).toString()));
        if (!Files.isRegularFile(source)) {
            throw new IllegalStateException(name + " source not found at " + source
                    + " (run from the source tree, or set -Dpathprobe." + name + ".source=...)");
        }
        List<String> cmd = List.of("gcc", "-O2", "-Wall", "-o", binary.toString(), source.toString());
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run gcc (build/deps installs it): " + e.getMessage(), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
        }
        System.out.println("compiled " + binary + " (" + String.join(" ", cmd) + ")");
        return binary;
    }

    /** The samples of several runs of the floor program. */
    static final class FloorRun {
        final List<Double> samples = new ArrayList<>();
        final List<Double> opens = new ArrayList<>();
        int complete;
        int retries;
        List<Optional<InetAddress>> path = List.of();

        void add(FloorOutput out) {
            samples.addAll(out.samples);
            opens.add(out.openMedian);
            complete += out.complete;
            retries += out.retries;
            path = out.path;
        }

        int count() {
            return samples.size();
        }

        double median() {
            return FloorComparison.medianOf(samples);
        }

        double openMedian() {
            return FloorComparison.medianOf(opens);
        }

        double min() {
            return samples.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        }

        double max() {
            return samples.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        }
    }

    record FloorOutput(List<Double> samples, double openMedian, int complete, int retries,
            List<Optional<InetAddress>> path) {}

    /** Runs the floor program (in this process's namespace: the lab's host) and parses what it prints. */
    static FloorOutput runFloor(Path floor, InetAddress dest, int hops, int perHop, int iterations,
            String... mode) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(floor.toString(), dest.getHostAddress(), String.valueOf(hops),
                String.valueOf(perHop), String.valueOf(iterations), "33434"));
        cmd.addAll(List.of(mode));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        List<Double> samples = new ArrayList<>();
        double open = 0;
        int complete = 0;
        int retries = 0;
        List<Optional<InetAddress>> path = new ArrayList<>();
        for (String line : out.split("\\R")) {
            if (line.startsWith("floor-samples ms=")) {
                for (String s : line.substring("floor-samples ms=".length()).split(",")) {
                    samples.add(Double.parseDouble(s));
                }
            } else if (line.startsWith("floor-path ")) {
                for (String a : line.substring("floor-path ".length()).split(",")) {
                    path.add(a.equals("*") ? Optional.empty() : Optional.of(InetAddress.getByName(a)));
                }
            } else if (line.startsWith("floor ")) {
                for (String kv : line.split(" ")) {
                    if (kv.startsWith("open_median_ms=")) {
                        open = Double.parseDouble(kv.substring(kv.indexOf('=') + 1));
                    } else if (kv.startsWith("complete=")) {
                        complete = Integer.parseInt(kv.substring(kv.indexOf('=') + 1));
                    } else if (kv.startsWith("send_retries=")) {
                        retries = Integer.parseInt(kv.substring(kv.indexOf('=') + 1));
                    }
                }
            }
        }
        if (samples.isEmpty()) {
            throw new IllegalStateException(String.join(" ", cmd) + " printed no samples:\n" + out);
        }
        return new FloorOutput(samples, open, complete, retries, path);
    }

    /**
     * One round of the kernel's floor for {@code n} concurrent traces: {@code floor_batch} with every
     * trace in one process, then split over two processes started together (one sending thread each).
     * Prints a {@code RESULT concurrent_floor} line per sender count with the time to the last answer of
     * the slower process and the CPU time both took over the probes sent.
     *
     * @return non-zero if a floor_batch process failed or left probes unanswered
     */
    static int batchFloorRound(Lab lab, Path binary, String dest, int hops, int n, int round)
            throws IOException, InterruptedException {
        int rc = 0;
        for (int senders : new int[] {1, 2}) {
            List<Process> running = new ArrayList<>();
            for (int k = 0; k < senders; k++) {
                int share = n / senders + (k < n % senders ? 1 : 0);
                running.add(lab.command(List.of(binary.toString(), dest, String.valueOf(hops), "3",
                        String.valueOf(share), "1")).redirectErrorStream(true).start());
            }
            double total = 0;
            double cpuMs = 0;
            long answered = 0;
            long probes = 0;
            for (Process p : running) {
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                rc |= p.waitFor();
                for (String line : out.split("\n")) {
                    if (!line.startsWith("floor-batch ")) {
                        System.out.println("     " + line);
                        continue;
                    }
                    for (String kv : line.split(" ")) {
                        String[] pair = kv.split("=", 2);
                        switch (pair[0]) {
                            case "total_ms" -> total = Math.max(total, Double.parseDouble(pair[1]));
                            case "cpu_ms" -> cpuMs += Double.parseDouble(pair[1]);
                            case "answered" -> answered += Long.parseLong(pair[1]);
                            case "probes" -> probes += Long.parseLong(pair[1]);
                            default -> { }
                        }
                    }
                }
            }
            double perProbe = probes == 0 ? Double.NaN : cpuMs * 1000 / probes;
            System.out.printf(Locale.ROOT, "floor_batch, %d sending process(es): %d traces, %d of %d probes "
                    + "answered, %.1f ms to the last answer, CPU %.1f ms (%.2f µs per probe)%n", senders, n, answered,
                    probes, total, cpuMs, perProbe);
            System.out.printf(Locale.ROOT, "RESULT concurrent_floor round=%d senders=%d n=%d total_ms=%.1f "
                    + "answered=%d probes=%d cpu_ms=%.1f cpu_us_per_probe=%.3f%n", round, senders, n, total, answered,
                    probes, cpuMs, perProbe);
        }
        return rc;
    }
}
