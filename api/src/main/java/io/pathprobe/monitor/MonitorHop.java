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
 */
public record MonitorHop(int ttl, List<MonitorResponder> responders, MonitorStatistics total,
        MonitorStatistics window) {
    /**
     * Checks the components (see the record's description) and copies {@code responders}.
     *
     * @param ttl the TTL
     * @param responders every address that answered at this TTL (at most 16, the least recently seen dropped
     *     first), the most frequent first
     * @param total the statistics over the whole run
     * @param window the statistics over the last {@link MonitorRequest#window()} rounds
     * @throws NullPointerException if a component is null
     */
    public MonitorHop {
        responders = List.copyOf(responders);
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(window, "window");
    }

    /** {@return whether nothing ever answered at this TTL} */
    public boolean silent() {
        return responders.isEmpty();
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
        return responders.isEmpty() ? "???" : responders.get(0).displayName();
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
