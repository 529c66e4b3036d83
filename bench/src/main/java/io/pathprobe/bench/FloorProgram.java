package io.pathprobe.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        Path target = Path.of(FloorComparison.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toAbsolutePath().getParent();
        Path source = Path.of(System.getProperty("pathprobe." + name + ".source",
                target.getParent().resolve("src/main/c/" + name + ".c").toString()));
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
}
