package io.pathprobe.report;

import static io.pathprobe.report.HtmlReport.x;

import io.pathprobe.monitor.MonitorEvent;
import io.pathprobe.monitor.MonitorRound;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A monitor's rounds as a heatmap, SmokePing's view turned into a grid: a column per round, a row per TTL, each cell
 * the hop's loss in that round (red: every probe lost; orange: some; blue: replies rate-limited, not lost; green,
 * darker the slower: all answered; grey: nothing at that TTL), its numbers in its tooltip. Above the grid the events
 * at their rounds: a route change (a path or a hop changed) as a purple line, an outage (the destination lost until
 * regained, or until the last round) as a red band, a header change as a mark.
 */
final class Heatmap {
    private static final int LEFT = 44;
    private static final int TOP = 34;
    private static final int ROW = 14;

    private Heatmap() {}

    static String draw(List<MonitorRound> rounds) {
        long first = rounds.get(0).number();
        long last = rounds.get(rounds.size() - 1).number();
        int columns = (int) (last - first + 1);
        double cell = Math.max(3, Math.min(18, 900.0 / columns));
        int ttls = rounds.stream().mapToInt(r -> r.trace().hops().stream().mapToInt(Hop::ttl).max().orElse(0)).max()
                .orElse(0);
        double slowest = rounds.stream().flatMap(r -> r.trace().hops().stream())
                .flatMap(h -> h.statistics().rtt().stream()).mapToDouble(r -> r.avg().toNanos()).max().orElse(1);
        double width = LEFT + columns * cell + 8;
        double height = TOP + ttls * ROW + 8;
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                + "class=\"heatmap\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
                + "font-family=\"sans-serif\" font-size=\"10\" data-rounds=\"%d\">%n", width, height, width, height,
                columns));
        s.append("<title>loss and RTT per hop and round</title>\n");
        for (int t = 1; t <= ttls; t++) {
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d</text>", LEFT - 4,
                    TOP + t * ROW - 3, t));
        }
        for (long n = first; n <= last; n++) {
            if (n == first || n % 10 == 0) {
                s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%d</text>", at(n, first, cell), 10, n));
            }
        }
        s.append('\n');
        for (MonitorRound r : rounds) {
            for (int t = 1; t <= ttls; t++) {
                Optional<Hop> hop = r.trace().hop(t);
                String tip = hop.map(h -> h.statistics().toString()).orElse("nothing at this TTL");
                s.append(String.format(Locale.ROOT, "<rect class=\"cell\" data-round=\"%d\" data-ttl=\"%d\" "
                        + "x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>round %d, TTL %d: %s"
                        + "</title></rect>", r.number(), t, at(r.number(), first, cell), TOP + (t - 1) * ROW, cell,
                        ROW - 1, colour(hop.map(Hop::statistics), slowest), r.number(), t, x(tip)));
            }
            s.append('\n');
            for (MonitorEvent e : r.events()) {
                marker(s, e, first, last, cell, height);
            }
        }
        s.append("</svg>\n<ul class=\"events\">");
        for (MonitorRound r : rounds) {
            for (MonitorEvent e : r.events()) {
                s.append("<li data-kind=\"").append(kind(e)).append("\" data-round=\"").append(e.round()).append("\">")
                        .append(x(e.toString())).append("</li>");
            }
        }
        return s.append("</ul>\n").toString();
    }

    private static double at(long round, long first, double cell) {
        return LEFT + (round - first) * cell;
    }

    private static void marker(StringBuilder s, MonitorEvent e, long first, long last, double cell, double height) {
        if (e instanceof MonitorEvent.PathChanged || e instanceof MonitorEvent.HopChanged) {
            line(s, e.round(), first, cell, height, e.toString());
        } else if (e instanceof MonitorEvent.DestinationRegained g) {
            outage(s, g.round() - g.lostRounds(), g.round() - 1, first, cell, g.toString());
        } else if (e instanceof MonitorEvent.DestinationLost l && l.round() == last) {
            outage(s, l.since(), last, first, cell, l.toString()); // not regained in the rounds drawn
        } else if (e instanceof MonitorEvent.HeaderChanged) {
            s.append(String.format(Locale.ROOT, "<path class=\"marker\" data-kind=\"header-change\" "
                    + "data-round=\"%d\" d=\"M%.1f,%d l4,-7 l4,7 z\" fill=\"#e65100\"><title>%s</title></path>%n",
                    e.round(), at(e.round(), first, cell) + cell / 2 - 4, TOP - 2, x(e.toString())));
        } // thresholds: in the list below
    }

    private static void line(StringBuilder s, long round, long first, double cell, double height, String what) {
        double at = at(round, first, cell);
        s.append(String.format(Locale.ROOT, "<line class=\"marker\" data-kind=\"route-change\" data-round=\"%d\" "
                + "x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"#6a1b9a\" stroke-width=\"2\"><title>%s"
                + "</title></line>%n", round, at, 14, at, height - 4, x(what)));
    }

    private static void outage(StringBuilder s, long from, long to, long first, double cell, String what) {
        long start = Math.max(from, first);
        s.append(String.format(Locale.ROOT, "<rect class=\"marker\" data-kind=\"outage\" data-from=\"%d\" "
                + "data-to=\"%d\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#c62828\"><title>outage, "
                + "rounds %d to %d: %s</title></rect>%n", start, to, at(start, first, cell), 14,
                (to - start + 1) * cell, TOP - 18, start, to, x(what)));
    }

    private static String kind(MonitorEvent e) {
        if (e instanceof MonitorEvent.PathChanged || e instanceof MonitorEvent.HopChanged) {
            return "route-change";
        }
        if (e instanceof MonitorEvent.DestinationLost) {
            return "outage";
        }
        if (e instanceof MonitorEvent.DestinationRegained) {
            return "regained";
        }
        return e instanceof MonitorEvent.HeaderChanged ? "header-change" : "threshold";
    }

    /** A cell's colour: grey nothing, red all lost, orange some, blue rate-limited, green by RTT. */
    private static String colour(Optional<HopStatistics> statistics, double slowest) {
        if (statistics.isEmpty() || statistics.get().sent() == 0) {
            return "#e0e0e0";
        }
        HopStatistics s = statistics.get();
        if (s.received() == 0 && s.lost() > 0) {
            return "#c62828";
        }
        if (s.lost() > 0) {
            return "#fb8c00";
        }
        if (s.rateLimited() > 0) {
            return "#64b5f6";
        }
        if (s.received() == 0) {
            return "#ffffff"; // silent: neither lost nor answered (undecided, abandoned)
        }
        double share = s.rtt().map(r -> r.avg().toNanos() / slowest).orElse(0.0);
        return String.format(Locale.ROOT, "hsl(130,55%%,%.0f%%)", 82 - 50 * Math.min(1, share));
    }
}
