package io.pathprobe.monitor;

import io.pathprobe.probe.RttStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
/**
 * One TTL of a monitored path: every responder seen there with its share, and mtr's statistics over
 * the whole run and over the sliding window ({@link MonitorRequest#window()}).
 *
 * @param ttl the TTL
 * @param responders every address that answered at this TTL (at most 16, the least recently seen dropped
 *     first), the most frequent first
 * @param total the statistics over the whole run
 * @param window the statistics over the last {@link MonitorRequest#window()} rounds
 * @param masked whether the hop is hidden ({@link io.pathprobe.evidence.Masking#apply(MonitorResult)}: privacy
 *     masking): then it has no responders and prints {@code masked} where it prints its name; its statistics stay
 */
public record MonitorHop(int ttl, List<MonitorResponder> responders, MonitorStatistics total,
        MonitorStatistics window, boolean masked) {
    /**
     * Checks the components (see the record's description) and copies {@code responders}.
     *
     * @param ttl the TTL
     * @param responders every address that answered at this TTL (at most 16, the least recently seen dropped
     *     first), the most frequent first
     * @param total the statistics over the whole run
     * @param window the statistics over the last {@link MonitorRequest#window()} rounds
     * @param masked whether the hop is hidden (no responders)
     * @throws NullPointerException if a component other than {@code ttl} and {@code masked} is null
     * @throws IllegalArgumentException if a masked hop has responders
     */
    public MonitorHop {
        responders = List.copyOf(responders);
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(window, "window");
        if (masked && !responders.isEmpty()) {
            throw new IllegalArgumentException("a masked hop names no responder (TTL " + ttl + ")");
        }
    }

    /**
     * A hop as it was measured (not masked).
     *
     * @param ttl the TTL
     * @param responders every address that answered at this TTL, the most frequent first
     * @param total the statistics over the whole run
     * @param window the statistics over the last {@link MonitorRequest#window()} rounds
     */
    public MonitorHop(int ttl, List<MonitorResponder> responders, MonitorStatistics total,
            MonitorStatistics window) {
        this(ttl, responders, total, window, false);
    }

    /** {@return this hop hidden: no responders, its statistics kept} */
    public MonitorHop asMasked() {
        return new MonitorHop(ttl, List.of(), total, window, true);
    }

    /** {@return whether nothing ever answered at this TTL (a masked hop is not silent)} */
    public boolean silent() {
        return responders.isEmpty() && !masked;
    }

    /**
     * As an mtr report row: {@code " 3.|-- 198.18.0.10          0.0%    10    0.1   0.1   0.1   0.2   0.0"}
     * (whole-run figures; Loss% the most the evidence allows, then {@code "  (loss 41-52 %: 3 may have been
     * refused)"} where some misses could be refusals, and {@code "  (rate-limited: 3)"} when a limiter shown to limit
     * refused some: {@link MonitorStatistics#missesText()}), further responders
     * on lines of their own below ({@code "    |   198.18.4.10"}).
     */
    @Override
    public String toString() {
        return row(NAME_WIDTH);
    }

    /** The report's name column: at least this wide, wider for a longer name ({@link MonitorResult#toString()}). */
    static final int NAME_WIDTH = 24;

    /** The name shown in the row: the most frequent responder's, or {@code ???}. */
    String name() {
        return masked ? io.pathprobe.probe.MaskStatement.MASKED
                : responders.isEmpty() ? "???" : responders.get(0).displayName();
    }

    /** The row with a name column {@code width} wide, so that a report's columns stand under its header. */
    String row(int width) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "%2d.|-- %-" + width + "s %5.1f%% %5d %6.1f %5.1f %5.1f %5.1f %5.1f", ttl, name(), 100 * total.loss(),
                total.sent(), total.ms(RttStatistics::last), total.ms(RttStatistics::avg), total.ms(RttStatistics::min),
                total.ms(RttStatistics::max), total.ms(RttStatistics::stdDev)));
        b.append(total.missesText());
        for (int i = 1; i < responders.size(); i++) {
            b.append(String.format(Locale.ROOT, "%n    |   %s", responders.get(i).displayName()));
        }
        return b.toString();
    }
}
