package io.pathprobe.check;

import io.pathprobe.MeasurementType;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.HeaderField;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One thing a measurement must show, as a value: it prints as the {@code pathprobe check} option that makes it
 * ({@code --max-loss 5%}), and {@link Assertions#check} says whether a result holds it.
 */
public sealed interface Assertion {
    /** The options of {@code pathprobe check} that make an assertion, without their {@code --}, in its order. */
    List<String> OPTIONS = List.of("max-loss", "max-rtt", "max-hops", "must-reach", "must-traverse",
            "must-not-traverse", "no-dscp-change", "no-ecn-change", "path-id", "max-jitter");

    /**
     * {@return the measurements that can show this assertion, the "reads" of docs/check.md: a trace, a monitor and a
     * ping the destination's loss, RTT and answer; a trace and a monitor what needs hops (a hop's loss, the hop count,
     * the responders, the path id); a trace alone the routers' quotes ({@link NoHeaderChange}); a monitor and a ping
     * jitter} The one rule by which {@code pathprobe check} and the agent's jobs refuse an assertion
     * ({@link Assertions#refusal}).
     */
    default Set<MeasurementType<?, ?>> reads() {
        return Set.of(MeasurementType.TRACE, MeasurementType.MONITOR, MeasurementType.PING);
    }

    /**
     * {@return the assertion an option of {@code pathprobe check} makes of its value, as the option takes it}
     * ({@code "max-loss", "5%@hop3"}, {@code "max-rtt", "p50:80ms"}, {@code "must-traverse", "AS64500"}); a flag
     * ({@code must-reach}, {@code no-dscp-change}, {@code no-ecn-change}) takes {@code true}, or {@code false} for
     * none (empty). One vocabulary for the command line and the agent's jobs.
     *
     * @param option one of {@link #OPTIONS}
     * @param value its value
     * @throws IllegalArgumentException naming the option, for another option or a bad value
     */
    static Optional<Assertion> parse(String option, String value) {
        String v = value.trim();
        try {
            return switch (option) {
                case "max-loss" -> Optional.of(MaxLoss.parse(v));
                case "max-rtt" -> Optional.of(MaxRtt.parse(v));
                case "max-hops" -> Optional.of(new MaxHops(Integer.parseInt(v)));
                case "must-reach" -> Words.flag(option, v) ? Optional.of(new MustReach()) : Optional.empty();
                case "must-traverse" -> Optional.of(new MustTraverse(Waypoint.parse(v)));
                case "must-not-traverse" -> Optional.of(new MustNotTraverse(Waypoint.parse(v)));
                case "no-dscp-change" -> Words.flag(option, v) ? Optional.of(new NoHeaderChange(HeaderField.DSCP))
                        : Optional.empty();
                case "no-ecn-change" -> Words.flag(option, v) ? Optional.of(new NoHeaderChange(HeaderField.ECN))
                        : Optional.empty();
                case "path-id" -> Optional.of(new PathId(Long.parseLong(v)));
                case "max-jitter" -> Optional.of(new MaxJitter(Words.parseDuration("--max-jitter", v)));
                default -> throw new IllegalArgumentException("'" + option + "' is not an assertion: "
                        + String.join(", ", OPTIONS));
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + option + " '" + value + "': not a whole number", e);
        } catch (IllegalArgumentException e) {
            if (String.valueOf(e.getMessage()).startsWith("--" + option) || !OPTIONS.contains(option)) {
                throw e;
            }
            throw new IllegalArgumentException("--" + option + " " + e.getMessage(), e);
        }
    }

    /**
     * At most this loss at the destination, or at one hop: the loss the result claims (rate-limited probes, and the
     * misses a rate limit could explain, are not loss; at a hop of a trace, only the loss on the way out, not a
     * router's unsent answers). A destination that never answered fails it.
     *
     * @param percent the most loss allowed, 0 to 100
     * @param hop the TTL whose loss is bounded; empty for the destination's
     */
    record MaxLoss(double percent, OptionalInt hop) implements Assertion {
        /**
         * Checks the components.
         *
         * @param percent the most loss allowed, 0 to 100
         * @param hop the TTL whose loss is bounded, 1 to 255; empty for the destination's
         * @throws IllegalArgumentException if {@code percent} is not 0 to 100 or {@code hop} not 1 to 255
         */
        public MaxLoss {
            if (!(percent >= 0 && percent <= 100)) {
                throw new IllegalArgumentException("--max-loss " + Words.percent(percent) + ": a percent 0..100");
            }
            if (hop.isPresent() && (hop.getAsInt() < 1 || hop.getAsInt() > 255)) {
                throw new IllegalArgumentException("--max-loss at hop " + hop.getAsInt() + ": a TTL 1..255");
            }
        }

        /**
         * {@return the bound {@code --max-loss} takes: {@code 5%} (the destination), {@code 5%@hop3} (TTL 3)}
         *
         * @param text the option's value; the {@code %} may be left out
         * @throws IllegalArgumentException if it is not one
         */
        public static MaxLoss parse(String text) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)%?(?:@hop(\\d{1,3}))?")
                    .matcher(text.trim().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new IllegalArgumentException("--max-loss '" + text + "': give a percent, 5% (the "
                        + "destination's loss) or 5%@hop3 (TTL 3's)");
            }
            return new MaxLoss(Double.parseDouble(m.group(1)),
                    m.group(2) == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(m.group(2))));
        }

        /** {@return {@code "--max-loss 5%"} or {@code "--max-loss 5%@hop3"}} */
        @Override
        public String toString() {
            return "--max-loss " + Words.percent(percent)
                    + hop.stream().mapToObj(h -> "@hop" + h).findFirst().orElse("");
        }

        /** {@return a trace, a monitor and a ping for the destination's loss; a hop's, a trace and a monitor} */
        @Override
        public Set<MeasurementType<?, ?>> reads() {
            return hop.isPresent() ? Set.of(MeasurementType.TRACE, MeasurementType.MONITOR) : Assertion.super.reads();
        }
    }

    /** Which of the destination's RTT statistics {@link MaxRtt} bounds. */
    enum RttMeasure {
        /** The mean. */
        AVG,
        /** The median (ping and monitor keep it; a trace does not). */
        P50,
        /** The largest. */
        MAX
    }

    /**
     * At most this RTT at the destination. A destination that never answered fails it.
     *
     * @param bound the largest RTT allowed
     * @param measure which statistic is bounded
     */
    record MaxRtt(Duration bound, RttMeasure measure) implements Assertion {
        /**
         * Checks the components.
         *
         * @param bound the largest RTT allowed, positive
         * @param measure which statistic is bounded
         * @throws NullPointerException if a component is null
         * @throws IllegalArgumentException if {@code bound} is not positive
         */
        public MaxRtt {
            Objects.requireNonNull(measure, "measure");
            Words.positive("--max-rtt", bound);
        }

        /**
         * {@return the bound {@code --max-rtt} takes: {@code 80ms} (the mean), {@code p50:80ms}, {@code max:150ms}}
         *
         * @param text the option's value
         * @throws IllegalArgumentException if it is not one
         */
        public static MaxRtt parse(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            int colon = t.indexOf(':');
            RttMeasure measure = RttMeasure.AVG;
            if (colon >= 0) {
                try {
                    measure = RttMeasure.valueOf(t.substring(0, colon).toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--max-rtt '" + text + "': avg:, p50: or max: before the "
                            + "duration", e);
                }
            }
            return new MaxRtt(Words.parseDuration("--max-rtt", t.substring(colon + 1)), measure);
        }

        /**
         * {@return {@code "--max-rtt 80ms"} (the mean), {@code "--max-rtt p50:80ms"} or {@code "--max-rtt max:80ms"}}
         */
        @Override
        public String toString() {
            return "--max-rtt " + (measure == RttMeasure.AVG ? "" : measure.name().toLowerCase(Locale.ROOT) + ":")
                    + Words.duration(bound);
        }
    }

    /**
     * The destination answered at this TTL or nearer. A destination that never answered fails it.
     *
     * @param hops the most hops allowed, 1 to 255
     */
    record MaxHops(int hops) implements Assertion {
        /**
         * Checks the count.
         *
         * @param hops the most hops allowed
         * @throws IllegalArgumentException if it is not 1 to 255
         */
        public MaxHops {
            if (hops < 1 || hops > 255) {
                throw new IllegalArgumentException("--max-hops must be 1..255, was " + hops);
            }
        }

        /** {@return {@code "--max-hops 20"}} */
        @Override
        public String toString() {
            return "--max-hops " + hops;
        }

        /** {@return a trace and a monitor: a ping has no hops} */
        @Override
        public Set<MeasurementType<?, ?>> reads() {
            return Set.of(MeasurementType.TRACE, MeasurementType.MONITOR);
        }
    }

    /** The destination answered. */
    record MustReach() implements Assertion {
        /** {@return {@code "--must-reach"}} */
        @Override
        public String toString() {
            return "--must-reach";
        }
    }

    /**
     * Some hop's responder is the waypoint.
     *
     * @param waypoint the AS, address or prefix, or name glob
     */
    record MustTraverse(Waypoint waypoint) implements Assertion {
        /**
         * Checks the component.
         *
         * @param waypoint the AS, address or prefix, or name glob
         * @throws NullPointerException if it is null
         */
        public MustTraverse {
            Objects.requireNonNull(waypoint, "waypoint");
        }

        /** {@return {@code "--must-traverse AS64500"}} */
        @Override
        public String toString() {
            return "--must-traverse " + waypoint;
        }

        /** {@return a trace and a monitor: a ping has no hops} */
        @Override
        public Set<MeasurementType<?, ?>> reads() {
            return Set.of(MeasurementType.TRACE, MeasurementType.MONITOR);
        }
    }

    /**
     * No hop's responder is the waypoint.
     *
     * @param waypoint the AS, address or prefix, or name glob
     */
    record MustNotTraverse(Waypoint waypoint) implements Assertion {
        /**
         * Checks the component.
         *
         * @param waypoint the AS, address or prefix, or name glob
         * @throws NullPointerException if it is null
         */
        public MustNotTraverse {
            Objects.requireNonNull(waypoint, "waypoint");
        }

        /** {@return {@code "--must-not-traverse 198.18.9.0/24"}} */
        @Override
        public String toString() {
            return "--must-not-traverse " + waypoint;
        }

        /** {@return a trace and a monitor: a ping has no hops} */
        @Override
        public Set<MeasurementType<?, ?>> reads() {
            return Set.of(MeasurementType.TRACE, MeasurementType.MONITOR);
        }
    }

    /**
     * No router saw the probes' DSCP (or ECN) other than as they were sent (the header changes a trace reads from
     * the routers' quotes, {@link io.pathprobe.trace.TraceResult#headerChanges()}).
     *
     * @param field {@link HeaderField#DSCP} or {@link HeaderField#ECN}
     */
    record NoHeaderChange(HeaderField field) implements Assertion {
        /**
         * Checks the field.
         *
         * @param field {@link HeaderField#DSCP} or {@link HeaderField#ECN}
         * @throws IllegalArgumentException for another field
         */
        public NoHeaderChange {
            if (field != HeaderField.DSCP && field != HeaderField.ECN) {
                throw new IllegalArgumentException("a DSCP or ECN change, not " + field);
            }
        }

        /** {@return {@code "--no-dscp-change"} or {@code "--no-ecn-change"}} */
        @Override
        public String toString() {
            return "--no-" + field.name().toLowerCase(Locale.ROOT) + "-change";
        }

        /** {@return a trace alone: it reads the routers' quotes} */
        @Override
        public Set<MeasurementType<?, ?>> reads() {
            return Set.of(MeasurementType.TRACE);
        }
    }

    /**
     * The path's id is this one: the first 48 bits of the SHA-256 of its responders' addresses, as the agent's
     * {@code pathprobe_path_id} (docs/observability.md); a trace of several flows holds it when one flow's path has it.
     *
     * @param id the id, 0 to 2^48 − 1
     */
    record PathId(long id) implements Assertion {
        /**
         * Checks the id.
         *
         * @param id the id
         * @throws IllegalArgumentException if it is not 0 to 2^48 − 1
         */
        public PathId {
            if (id < 0 || id >= 1L << 48) {
                throw new IllegalArgumentException("--path-id must be 0..2^48-1, was " + id);
            }
        }

        /**
         * {@return the id of a path: {@link #idOfText} of its responders' addresses (RFC 5952 for IPv6) joined by a
         * space, {@code *} for a silent TTL, the silent TTLs after the last answer left out}
         *
         * @param path each TTL's responder from the first TTL, empty where none answered
         */
        public static long idOf(List<Optional<InetAddress>> path) {
            int end = path.size();
            while (end > 0 && path.get(end - 1).isEmpty()) {
                end--;
            }
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < end; i++) {
                text.append(i == 0 ? "" : " ").append(path.get(i).map(AddressText::of).orElse("*"));
            }
            return idOfText(text.toString());
        }

        /**
         * {@return the first 48 bits of the SHA-256 of a path's text (UTF-8), big-endian: 0 to 2^48 − 1, exact in a
         * float64 (a Prometheus sample) and the same in every JVM and run (docs/observability.md, "Path id")}
         *
         * @param text the path's text, as {@link #idOf} makes it
         */
        public static long idOfText(String text) {
            byte[] d;
            try {
                d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
            long id = 0;
            for (int i = 0; i < 6; i++) {
                id = id << 8 | (d[i] & 0xff);
            }
            return id;
        }

        /** {@return {@code "--path-id 134912287641522"}} */
        @Override
        public String toString() {
            return "--path-id " + id;
        }

        /** {@return a trace and a monitor: a ping has no hops} */
        @Override
        public Set<MeasurementType<?, ?>> reads() {
            return Set.of(MeasurementType.TRACE, MeasurementType.MONITOR);
        }
    }

    /**
     * At most this jitter at the destination (RFC 3550's estimator of a ping or a monitor).
     *
     * @param bound the most jitter allowed
     */
    record MaxJitter(Duration bound) implements Assertion {
        /**
         * Checks the bound.
         *
         * @param bound the most jitter allowed, positive
         * @throws IllegalArgumentException if it is not positive
         */
        public MaxJitter {
            Words.positive("--max-jitter", bound);
        }

        /** {@return {@code "--max-jitter 5ms"}} */
        @Override
        public String toString() {
            return "--max-jitter " + Words.duration(bound);
        }

        /** {@return a monitor and a ping: a trace measures no jitter} */
        @Override
        public Set<MeasurementType<?, ?>> reads() {
            return Set.of(MeasurementType.MONITOR, MeasurementType.PING);
        }
    }
}
