package io.pathprobe.cli;

import io.pathprobe.PathTracerBuilder;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --pps N} and {@code --burst N}, shared by the commands that probe: without {@code --pps} the tracer's
 * defaults apply (1000 a second, bursts of 128: a trace's first wave at once); with it the rate holds from the
 * first probe, unless {@code --burst} allows more at once. {@link TracerOptions} adds {@code --user} and
 * {@code --record} to them.
 */
class PacingOptions {
    @ApiWord("packetsPerSecond")
    @Option(names = "--pps", paramLabel = "N",
            description = "Probe rate limit per second, 0 = unlimited (default 1000, in bursts of 128); once given it "
                    + "holds from the first probe.")
    @Nullable Integer pps;

    @ApiWord("burst")
    @Option(names = "--burst", paramLabel = "N",
            description = "Probes that may leave at once before the rate applies (default 128 at the default rate, "
                    + "1 with --pps).")
    @Nullable Integer burst;

    /** The pacing asked for, onto {@code tb}; bad values are the builder's typed errors. */
    PathTracerBuilder apply(PathTracerBuilder tb) {
        if (pps != null) {
            tb.packetsPerSecond(pps);
        }
        if (burst != null) {
            tb.burst(burst);
        }
        return tb;
    }
}
