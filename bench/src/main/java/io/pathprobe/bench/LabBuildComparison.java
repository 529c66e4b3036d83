package io.pathprobe.bench;

import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabBuilder;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * How long the lab takes to build and to tear down, the figure {@code LabShapesTest} and
 * {@code LabLifecycleTest} printed (and once held under 3 s). Run from the root namespace as root:
 * each shape is built and closed {@code repetitions} times (default 5), the shapes taking turns in a
 * rotating order; printed per shape: median, min and max of build and of close.
 *
 * <p>Arguments: {@code [repetitions]}.
 */
public final class LabBuildComparison {
    private LabBuildComparison() {}

    private record Shape(String name, Supplier<LabBuilder> builder) {}

    public static void main(String[] args) throws Exception {
        int reps = LabRuns.intArg(args, 0, 5);
        List<Shape> shapes = List.of(
                new Shape("chain-30-silent-5-12-20", () -> Lab.chain(30).silentHops(5, 12, 20)),
                new Shape("chain-3-aliases-1000", () -> Lab.chain(3).destinationAliases(1000)),
                new Shape("chain-2-dns-http-ipv6", () -> Lab.chain(2).dnsServer().httpServer(8080).ipv6()),
                new Shape("diamond-16-ipv6", () -> Lab.diamond(16, EcmpHash.LINUX_L4).ipv6()),
                new Shape("nested-diamond-4x4-ipv6", () -> Lab.nestedDiamond(4, 4, EcmpHash.LINUX_L4).ipv6()),
                new Shape("chain-4-bottleneck-ipv6",
                        () -> Lab.chain(4).bottleneck(2, 16_000, Duration.ofMillis(500)).ipv6()));
        long[][] build = new long[shapes.size()][reps];
        long[][] close = new long[shapes.size()][reps];
        for (int i = 0; i < reps; i++) {
            for (int turn = 0; turn < shapes.size(); turn++) {
                int k = (turn + i) % shapes.size();
                long t0 = System.nanoTime();
                Lab lab = shapes.get(k).builder().get().build();
                long t1 = System.nanoTime();
                lab.close();
                long t2 = System.nanoTime();
                build[k][i] = t1 - t0;
                close[k][i] = t2 - t1;
            }
        }
        for (int k = 0; k < shapes.size(); k++) {
            long[] b = build[k].clone();
            long[] c = close[k].clone();
            Arrays.sort(b);
            Arrays.sort(c);
            System.out.printf(Locale.ROOT,
                    "%-26s build median %6.0f ms (%.0f-%.0f), close median %6.0f ms (%.0f-%.0f), n=%d%n",
                    shapes.get(k).name(), b[(reps - 1) / 2] / 1e6, b[0] / 1e6, b[reps - 1] / 1e6,
                    c[(reps - 1) / 2] / 1e6,
                    c[0] / 1e6, c[reps - 1] / 1e6, reps);
            System.out.printf(Locale.ROOT, "RESULT shape=%s n=%d build_ms=%.1f build_min_ms=%.1f build_max_ms=%.1f "
                    + "close_ms=%.1f close_min_ms=%.1f close_max_ms=%.1f%n", shapes.get(k).name(), reps,
                    b[(reps - 1) / 2] / 1e6,
                    b[0] / 1e6, b[reps - 1] / 1e6, c[(reps - 1) / 2] / 1e6, c[0] / 1e6, c[reps - 1] / 1e6);
        }
    }
}
