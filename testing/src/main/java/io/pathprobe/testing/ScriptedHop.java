package io.pathprobe.testing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One step of a {@link ScriptedTransport}'s path: a router that answers the probes whose TTL runs out at it
 * (ICMP time exceeded), a silent one that never answers, or the destination, which answers as its protocol does
 * (an echo reply to ICMP, port unreachable to UDP, a reset to TCP). Each answers after its {@link #delay} and may
 * lose some of the probes that reach it, deterministically: every {@code n}-th ({@link #loseEvery}) or a seeded
 * random fraction ({@link #loseFraction}). A lost probe is one this step does not answer; probes to the steps
 * beyond it are not affected.
 *
 * <p>Made with {@link #router(String)}, {@link #silent()} or {@link #destination()}, then changed with the
 * {@code delay} and {@code lose} methods, each of which returns a new value.
 *
 * @param address the router's address; null for a silent step and for the destination (which answers from the
 *     address probed)
 * @param answers whether it answers at all
 * @param delay the round-trip time of its answers
 * @param lossEvery n: it does not answer the n-th, 2n-th, ... probe that reaches it; 0 for none
 * @param lossFraction the fraction of the probes that reach it it does not answer, drawn from {@code seed};
 *     0 for none
 * @param seed the seed of the random draws of {@code lossFraction}
 */
public record ScriptedHop(@Nullable InetAddress address, boolean answers, Duration delay, int lossEvery,
        double lossFraction, long seed) {
    /** The round-trip time of an answer unless {@link #delay(Duration)} says otherwise: 1 ms. */
    public static final Duration DEFAULT_DELAY = Duration.ofMillis(1);

    /**
     * Checks the components (see the record's description).
     *
     * @param address the router's address; null for a silent step and for the destination
     * @param answers whether it answers at all
     * @param delay the round-trip time of its answers
     * @param lossEvery n: it does not answer the n-th, 2n-th, ... probe that reaches it; 0 for none
     * @param lossFraction the fraction of the probes that reach it it does not answer; 0 for none
     * @param seed the seed of the random draws of {@code lossFraction}
     * @throws IllegalArgumentException if the delay is negative, {@code lossEvery} is negative,
     *     {@code lossFraction} is not within 0..1, or a silent step has an address
     */
    public ScriptedHop {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        if (lossEvery < 0) {
            throw new IllegalArgumentException("lossEvery must be 0 (none) or more, was " + lossEvery);
        }
        if (!(lossFraction >= 0 && lossFraction <= 1)) {
            throw new IllegalArgumentException("lossFraction must be within 0..1, was " + lossFraction);
        }
        if (!answers && address != null) {
            throw new IllegalArgumentException("a silent hop has no address");
        }
    }

    /**
     * {@return a router that answers from {@code address}, after {@link #DEFAULT_DELAY}, losing nothing}
     *
     * @param address a literal IPv4 or IPv6 address (no name is resolved)
     * @throws IllegalArgumentException if {@code address} is not a literal address
     */
    public static ScriptedHop router(String address) {
        return router(literal(address));
    }

    /**
     * {@return a router that answers from {@code address}, after {@link #DEFAULT_DELAY}, losing nothing}
     *
     * @param address the router's address
     */
    public static ScriptedHop router(InetAddress address) {
        return new ScriptedHop(Objects.requireNonNull(address, "address"), true, DEFAULT_DELAY, 0, 0, 0);
    }

    /**
     * {@return a hop that never answers (a router that does not send time exceeded, or drops it); given as the
     * {@link ScriptedTransport.Builder#destination destination}, one that is never reached}
     */
    public static ScriptedHop silent() {
        return new ScriptedHop(null, false, DEFAULT_DELAY, 0, 0, 0);
    }

    /**
     * {@return the destination, for {@link ScriptedTransport.Builder#destination}: it answers from the address
     * probed, after {@link #DEFAULT_DELAY}, losing nothing}
     */
    public static ScriptedHop destination() {
        return new ScriptedHop(null, true, DEFAULT_DELAY, 0, 0, 0);
    }

    /**
     * {@return this step, answering after {@code delay}}
     *
     * @param delay the round-trip time of its answers, zero or more
     */
    public ScriptedHop delay(Duration delay) {
        return new ScriptedHop(address, answers, delay, lossEvery, lossFraction, seed);
    }

    /**
     * {@return this step, leaving the {@code n}-th, {@code 2n}-th, ... probe that reaches it unanswered}
     * With {@code n} 2 every second probe is lost, with 1 every probe.
     *
     * @param n how often it loses a probe, at least 1
     * @throws IllegalArgumentException if {@code n} is less than 1
     */
    public ScriptedHop loseEvery(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("loseEvery must be at least 1, was " + n);
        }
        return new ScriptedHop(address, answers, delay, n, lossFraction, seed);
    }

    /**
     * {@return this step, leaving a random {@code fraction} of the probes that reach it unanswered} The draws
     * come from {@code seed}, so the same script sending the same probes loses the same ones every run.
     *
     * @param fraction the fraction lost, within 0..1
     * @param seed the seed of the draws
     */
    public ScriptedHop loseFraction(double fraction, long seed) {
        return new ScriptedHop(address, answers, delay, lossEvery, fraction, seed);
    }

    private static InetAddress literal(String address) {
        Objects.requireNonNull(address, "address");
        boolean v4 = address.matches("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
        if (!v4 && !address.matches("\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*]?")) {
            throw new IllegalArgumentException("not a literal address: " + address); // a name would be looked up
        }
        try {
            return InetAddress.getByName(address); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a literal address: " + address, e);
        }
    }
}
