package io.pathprobe.bufferbloat;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The load one direction of a bufferbloat test was measured under. A loaded latency is what that load
 * met on the path, and under a delay-based congestion control (BBR) the queue flows leave depends on
 * how they started; so the result names the load: the senders' congestion control, whether the measured
 * flows were opened together, and whether they held the link.
 *
 * <p>The test ramps its flows up (draft-09: one connection, more each interval while the goodput grows) to
 * learn how many the path takes. When the ramp added flows and there is time, it closes them, lets the queue
 * drain and opens as many together, the load {@code iperf3 -P N} runs; the loaded latency and the goodput
 * are read from that load, and the ramp's goodput with its final flows is the capacity estimate the
 * measured goodput is held against.
 *
 * @param congestionControl the TCP congestion control of the load's senders where the OS says it: for an
 *     upload this host's sockets ({@code TCP_CONGESTION}, Linux epoll), for a download the server's (pathprobe's
 *     responsiveness server names it in a {@code tcp-congestion-control} response header); for
 *     {@link BufferbloatPhase#CONCURRENT} the download's and the upload's joined by {@code "/"} when they differ;
 *     empty when no sender said
 * @param startedTogether whether the measured flows were opened together after the ramp (else the ramp's own
 *     flows were measured: it added none, or there was no time left for a second load)
 * @param capacityBitsPerSecond the capacity estimate: the higher of the ramp's goodput with its final flows
 *     and the measured goodput (the measured goodput when the ramp's own flows were measured)
 * @param saturation the measured goodput over {@code capacityBitsPerSecond}, 0 to 1
 * @param duration how long the measured flows ran
 */
public record BufferbloatLoad(Optional<String> congestionControl, boolean startedTogether, double capacityBitsPerSecond,
        double saturation, Duration duration) {
    /**
     * The share of the capacity estimate the measured load must carry to count as holding the link: 0.9. A
     * load below it did not keep the bottleneck busy, so its latency is not the latency under load; the
     * test says so and does not grade it.
     */
    public static final double SATURATED = 0.9;

    /**
     * Checks the components (see the record's description).
     *
     * @param congestionControl the senders' TCP congestion control, where the OS says it
     * @param startedTogether whether the measured flows were opened together after the ramp
     * @param capacityBitsPerSecond the capacity estimate, bit/s
     * @param saturation the measured goodput over the capacity estimate, 0 to 1
     * @param duration how long the measured flows ran
     * @throws NullPointerException if {@code congestionControl} or {@code duration} is null
     * @throws IllegalArgumentException if {@code saturation} is not within 0 to 1, {@code capacityBitsPerSecond}
     *     is negative or not finite, or {@code duration} is negative
     */
    public BufferbloatLoad {
        Objects.requireNonNull(congestionControl, "congestionControl");
        Objects.requireNonNull(duration, "duration");
        if (!(saturation >= 0 && saturation <= 1)) {
            throw new IllegalArgumentException("saturation must be within 0 to 1, was " + saturation);
        }
        if (!(capacityBitsPerSecond >= 0) || Double.isInfinite(capacityBitsPerSecond)) {
            throw new IllegalArgumentException("capacityBitsPerSecond must be finite and not negative, was "
                    + capacityBitsPerSecond);
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, was " + duration);
        }
    }

    /**
     * A load nothing more is known of (what a {@link DirectionResult} made with its shorter constructor
     * carries): congestion control unknown, the ramp's own flows, saturation 1 of its own goodput.
     *
     * @param throughputBitsPerSecond the measured goodput, bit/s
     * @return that load
     */
    public static BufferbloatLoad unknown(double throughputBitsPerSecond) {
        return new BufferbloatLoad(Optional.empty(), false, Math.max(0, throughputBitsPerSecond), 1, Duration.ZERO);
    }

    /** {@return whether the load held the link: {@link #saturation} at least {@link #SATURATED}} */
    public boolean saturated() {
        return saturation >= SATURATED;
    }

    /** As the CLI prints it: {@code "bbr, opened together, 97 % of 19.1 Mbit/s"}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s, %s, %.0f %% of %.1f Mbit/s",
                congestionControl.orElse("congestion control unknown"),
                startedTogether ? "opened together" : "as ramped", saturation * 100, capacityBitsPerSecond / 1e6);
    }
}
