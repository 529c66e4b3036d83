package io.pathprobe.cli.live;

import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Responder;
import io.pathprobe.monitor.MonitorRound;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.MaskStatement;
import io.pathprobe.trace.Hop;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * What the live screen shows and how mtr's keys change it, without a terminal: the monitors' rounds
 * ({@link #round}) and events ({@link #event}) go in, keys ({@link #key}) change the state, and {@link #lines}
 * draws the screen for a size. Thread-safe: the monitors' listeners, the key reader and the resizes call it.
 */
public final class ScreenModel {
    /** How a responder is named: mtr's {@code n} cycles through them. */
    public enum Names {
        /** Its host name, else its address. */
        NAMES,
        /** Its address. */
        NUMBERS,
        /** {@code name (address)}, as {@code -b}. */
        BOTH
    }

    /** What the body shows: mtr's {@code d} cycles through them. */
    enum Mode {
        TABLE, STRIP, CHART
    }

    /** The per-hop information column: mtr's {@code y} cycles through them, {@code z} turns the AS one on and off. */
    enum Info {
        AS("AS"), PREFIX("prefix"), COUNTRY("country"), REGISTRY("registry"), AS_NAME("AS name"), PLACE("place"),
        IXP("exchange");

        final String title;

        Info(String title) {
            this.title = title;
        }
    }

    /** What a key asks of the screen beyond a redraw. */
    public enum Action {
        /** Draw the screen again. */
        REDRAW,
        /** Stop the monitors and leave the screen. */
        QUIT
    }

    /** mtr's default field order: loss, sent, a gap, last, average, best, worst, standard deviation. */
    static final String FIELDS = "LS NABWV";
    /** mtr's jitter field set ({@code j}): drop, received, a gap, average, geometric mean and the four jitters. */
    static final String JITTER_FIELDS = "DR AGJMXI";
    private static final int EVENTS_SHOWN = 3;
    private static final String STRIP_LEVELS = ".123456789";

    private record Field(char key, String title, int width, Function<HopHistory, String> value) {}

    private static final Map<Character, Field> FIELD_TABLE = new TreeMap<>();

    static {
        field('L', "Loss%", 6, h -> String.format(Locale.ROOT, "%5.1f%%", h.lossPercent()));
        field('D', "Drop", 5, h -> Long.toString(h.lost()));
        field('R', "Rcv", 5, h -> Long.toString(h.received));
        field('S', "Snt", 5, h -> Long.toString(h.sent));
        ms('N', "Last", h -> h.last);
        ms('B', "Best", h -> h.best);
        ms('A', "Avg", HopHistory::avg);
        ms('W', "Wrst", h -> h.worst);
        ms('V', "StDev", HopHistory::stdDev);
        ms('G', "Gmean", HopHistory::geomean);
        ms('J', "Jttr", h -> h.jitter);
        ms('M', "Javg", HopHistory::jitterAvg);
        ms('X', "Jmax", h -> h.jitterWorst);
        ms('I', "Jint", h -> h.interarrival);
        field(' ', "", 1, h -> "");
    }

    private static void field(char key, String title, int width, Function<HopHistory, String> value) {
        FIELD_TABLE.put(key, new Field(key, title, width, value));
    }

    private static void ms(char key, String title, ToDoubleFunction<HopHistory> value) {
        field(key, title, 6, h -> {
            double v = value.applyAsDouble(h);
            return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
        });
    }

    /** One watched target: its hops counted since the start or the last reset. */
    private static final class Target {
        final String name;
        final TreeMap<Integer, HopHistory> hops = new TreeMap<>();
        String destination = "";
        long round;
        int lastTtl;
        long counted;

        Target(String name) {
            this.name = name;
        }
    }

    private final List<Target> targets = new ArrayList<>();
    private final ArrayDeque<String> events = new ArrayDeque<>();
    private int current;
    private boolean paused;
    private boolean help;
    private Names names;
    private Mode mode = Mode.TABLE;
    private boolean jitter;
    private boolean mpls;
    private @Nullable Info info;
    private String fields = FIELDS;
    private @Nullable StringBuilder prompt;

    /**
     * A screen for {@code targets}, in that order ({@code Tab} goes to the next).
     *
     * @param targets the targets as given on the command line
     * @param names how responders are named at first ({@code -n}: numbers, {@code -b}: both)
     * @param as whether the AS column is on at first ({@code -z})
     */
    public ScreenModel(List<String> targets, Names names, boolean as) {
        targets.forEach(t -> this.targets.add(new Target(t)));
        this.names = names;
        this.info = as ? Info.AS : null;
    }

    /**
     * Counts a round of {@code target}'s monitor (already masked as {@code --mask} asks); not while paused.
     *
     * @param target the target as given on the command line
     * @param round the round
     */
    public synchronized void round(String target, MonitorRound round) {
        Target t = targets.stream().filter(x -> x.name.equals(target)).findFirst().orElse(null);
        if (t == null || paused) {
            return;
        }
        t.round = round.number();
        t.counted++;
        t.destination = round.trace().destination().map(AddressText::of).orElse("");
        int shown = t.lastTtl;
        int ended = 0;
        int probes = 1;
        for (Hop h : round.trace().hops()) {
            t.hops.computeIfAbsent(h.ttl(), k -> new HopHistory()).add(h);
            ended = h.ttl();
            probes = Math.max(1, h.probes().size());
        }
        if (!round.trace().destinationReached() && ended < shown && t.hops.containsKey(shown)) {
            // an outage (a router answered unreachable, the round ended short of the destination's row): the rows
            // shown stay, each a lost probe a probe of the round, as the report counts them (docs/monitor.md)
            for (int ttl = ended + 1; ttl <= shown; ttl++) {
                HopHistory h = t.hops.get(ttl);
                if (h != null) {
                    h.lost(probes);
                }
            }
        } else {
            t.lastTtl = ended;
        }
    }

    /**
     * Shows an event in the status lines (the latest few are kept).
     *
     * @param text the event as the event lines print it, the target first when there are several
     */
    public synchronized void event(String text) {
        events.addLast(text);
        while (events.size() > EVENTS_SHOWN) {
            events.removeFirst();
        }
    }

    /**
     * One key, with mtr's meaning: {@code ?}/{@code h} help, {@code q} quit, {@code p} pause, space resume,
     * {@code r} reset, {@code n} names, {@code d} display mode, {@code j} jitter fields, {@code e} MPLS, {@code y}
     * information column, {@code z} AS on and off, {@code o} field order (a prompt: Enter takes it, Esc leaves it),
     * {@code Tab} the next target.
     *
     * @param c the key's character
     * @return what the screen should do now
     */
    public synchronized Action key(int c) {
        StringBuilder p = prompt;
        if (p != null) {
            prompted(p, c);
            return Action.REDRAW;
        }
        if (c == 'q') {
            return Action.QUIT;
        }
        if (help) {
            help = false; // any other key leaves the help, as mtr's
            return Action.REDRAW;
        }
        switch (c) {
            case '?', 'h' -> help = true;
            case 'p' -> paused = true;
            case ' ' -> paused = false;
            case 'r' -> reset();
            case 'n' -> names = Names.values()[(names.ordinal() + 1) % Names.values().length];
            case 'd' -> mode = Mode.values()[(mode.ordinal() + 1) % Mode.values().length];
            case 'j' -> {
                jitter = !jitter;
                fields = jitter ? JITTER_FIELDS : FIELDS;
            }
            case 'e' -> mpls = !mpls;
            case 'y' -> info = info == null ? Info.AS : Info.values()[(info.ordinal() + 1) % Info.values().length];
            case 'z' -> info = info == null ? Info.AS : null;
            case 'o' -> prompt = new StringBuilder(fields);
            case '\t' -> current = (current + 1) % targets.size();
            default -> {
                // not a key of mtr's: nothing changes
            }
        }
        return Action.REDRAW;
    }

    private void prompted(StringBuilder p, int c) {
        if (c == '\r' || c == '\n') {
            String chosen = p.chars().map(Character::toUpperCase).filter(x -> FIELD_TABLE.containsKey((char) x))
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
            fields = chosen.isBlank() ? FIELDS : chosen;
            prompt = null;
        } else if (c == 27) {
            prompt = null;
        } else if (c == 127 || c == 8) {
            if (p.length() > 0) {
                p.setLength(p.length() - 1);
            }
        } else if (c >= ' ' && c < 127) {
            p.append((char) c);
        }
    }

    /** mtr's {@code r}: every target's statistics start again from the next round. */
    private void reset() {
        for (Target t : targets) {
            t.hops.clear();
            t.counted = 0;
        }
    }

    /**
     * The screen for a terminal of this size: every line at most {@code width} wide, at most {@code height} lines.
     *
     * @param width the terminal's columns
     * @param height the terminal's rows
     * @return the lines, top to bottom
     */
    public synchronized List<String> lines(int width, int height) {
        Target t = targets.get(current);
        List<String> top = new ArrayList<>();
        top.add("pathprobe mtr: " + t.name + (t.destination.isEmpty() || t.destination.equals(t.name) ? ""
                : " (" + t.destination + ")") + "   round " + t.round + ", " + t.counted + " counted"
                + (targets.size() > 1 ? "   target " + (current + 1) + "/" + targets.size() + " (Tab: next)" : "")
                + (paused ? "   PAUSED (space: resume)" : ""));
        top.add("Keys: ? help  q quit  p pause  space resume  r reset  n names  d display  j jitter  e MPLS  "
                + "y info  z AS  o order" + (targets.size() > 1 ? "  Tab target" : ""));
        top.add("");
        List<String> bottom = new ArrayList<>();
        bottom.add("");
        if (prompt != null) {
            bottom.add("Fields (LDRSNBAWVGJMXI as the help names them, space a gap; Enter takes, Esc leaves): "
                    + prompt);
        } else {
            events.forEach(e -> bottom.add("event: " + e));
            if (events.isEmpty()) {
                bottom.add("event: none yet");
            }
        }
        List<String> body = help ? help() : switch (mode) {
            case TABLE -> table(t, width);
            case STRIP -> strip(t, width);
            case CHART -> chart(t, width, Math.max(3, height - top.size() - bottom.size() - 3));
        };
        int room = Math.max(0, height - top.size() - bottom.size());
        List<String> all = new ArrayList<>(top);
        all.addAll(body.subList(0, Math.min(room, body.size())));
        all.addAll(bottom);
        return all.subList(0, Math.min(height, all.size())).stream().map(ScreenModel::printable)
                .map(l -> l.length() > width ? l.substring(0, width) : l).toList();
    }

    /** The line with each control character (C0, DEL, C1) as {@code ?}: a name or an event moves no cursor. */
    static String printable(String line) {
        StringBuilder b = new StringBuilder(line.length());
        line.chars().forEach(c -> b.append(Character.getType(c) == Character.CONTROL ? '?' : (char) c));
        return b.toString();
    }

    private static List<String> help() {
        return List.of("Keys, as mtr's:",
                "  ? or h   this help (any key leaves it)",
                "  q        quit: stop the monitors and print the report (as Ctrl-C does)",
                "  p        pause: rounds that end while paused are not counted here",
                "  space    resume",
                "  r        reset: the statistics on this screen start again from the next round",
                "  n        names, numbers, or both",
                "  d        display: the table, a per-hop latency strip chart, a latency chart of the last hop",
                "  j        the jitter fields (DR AGJMXI), again for the latency fields (LS NABWV)",
                "  e        MPLS labels under each hop",
                "  y        the information column: AS, prefix, country, registry, AS name, place, exchange",
                "  z        the AS column on or off",
                "  o        the field order, a letter a field: L loss, D drop, R received, S sent, N last, B best,",
                "           A average, W worst, V standard deviation, G geometric mean, J jitter, M mean jitter,",
                "           X worst jitter, I interarrival jitter; a space is a gap",
                "  Tab      the next target, when several are watched",
                "A probe a rate-limiting router refused counts as rate-limited, never as loss.");
    }

    private List<Field> fields() {
        List<Field> f = new ArrayList<>();
        for (char c : fields.toCharArray()) {
            f.add(FIELD_TABLE.get(c));
        }
        return f;
    }

    /** The host column of a hop: the information column first when it is on, then the name. */
    private String host(HopHistory h) {
        if (h.masked) {
            return MaskStatement.MASKED;
        }
        Responder r = h.first();
        return r == null ? "???" : (info == null ? "" : info(r) + " ") + name(r);
    }

    private String name(Responder r) {
        String a = AddressText.of(r.address());
        return switch (names) {
            case NUMBERS -> a;
            case NAMES -> r.hostname().value().orElse(a);
            case BOTH -> r.hostname().value().map(n -> n + " (" + a + ")").orElse(a);
        };
    }

    private String info(Responder r) {
        java.util.Optional<AsnInfo> as = r.asn().value();
        return switch (info == null ? Info.AS : info) {
            case AS -> as.map(x -> "AS" + x.number()).orElse("AS???");
            case PREFIX -> as.flatMap(AsnInfo::prefix).orElse("???");
            case COUNTRY -> as.flatMap(AsnInfo::country).orElse("??");
            case REGISTRY -> as.flatMap(AsnInfo::registry).orElse("???");
            case AS_NAME -> as.flatMap(AsnInfo::name).orElse("???");
            case PLACE -> r.location().value().map(l -> "[" + l.shortText() + "]").orElse("[?]");
            case IXP -> r.exchange().value().map(x -> x.shortText()).orElse("-");
        };
    }

    private List<Map.Entry<Integer, HopHistory>> shown(Target t) {
        return t.hops.headMap(t.lastTtl, true).entrySet().stream().toList();
    }

    private List<String> table(Target t, int width) {
        List<Field> f = fields();
        int fieldsWidth = f.stream().mapToInt(x -> x.width).sum();
        int hostWidth = Math.max(12, width - 5 - fieldsWidth);
        List<String> out = new ArrayList<>();
        String host = info == null ? " Host" : " Host (" + info.title + " first)";
        StringBuilder header = new StringBuilder(pad(host, hostWidth + 4));
        f.forEach(x -> header.append(left(x.title, x.width)));
        out.add(header.toString());
        for (Map.Entry<Integer, HopHistory> e : shown(t)) {
            HopHistory h = e.getValue();
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%2d. ", e.getKey()));
            row.append(pad(host(h), hostWidth));
            f.forEach(x -> row.append(left(x.value.apply(h), x.width)));
            out.add(row.toString());
            List<Responder> rs = h.responders();
            for (int i = 1; i < rs.size(); i++) {
                out.add("    " + name(rs.get(i)));
            }
            if (mpls && !h.mpls.isEmpty()) {
                h.mpls.forEach(l -> out.add("    [MPLS: " + l + "]"));
            }
            if (h.rateLimited > 0) {
                out.add("    (rate-limited: " + h.rateLimited + ", not counted as loss)");
            }
        }
        return out;
    }

    private List<String> strip(Target t, int width) {
        List<Map.Entry<Integer, HopHistory>> hops = shown(t);
        int longest = hops.stream().mapToInt(e -> host(e.getValue()).length()).max().orElse(3);
        int hostWidth = Math.min(width / 3, 4 + longest);
        int n = Math.max(1, width - 5 - hostWidth);
        double[] scale = scale(hops.stream().flatMap(e -> e.getValue().recent(n).stream()).toList());
        List<String> out = new ArrayList<>();
        out.add(pad(" Host", hostWidth + 4) + " the last " + n + " rounds, the newest right");
        for (Map.Entry<Integer, HopHistory> e : hops) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%2d. ", e.getKey()));
            row.append(pad(host(e.getValue()), hostWidth)).append(' ');
            for (double v : e.getValue().recent(n)) {
                row.append(v == HopHistory.LIMITED ? 'r'
                        : Double.isNaN(v) ? '?' : STRIP_LEVELS.charAt(level(v, scale)));
            }
            out.add(row.toString());
        }
        StringBuilder legend = new StringBuilder("Scale:");
        for (int i = 0; i < STRIP_LEVELS.length(); i++) {
            legend.append("  ").append(STRIP_LEVELS.charAt(i)).append(":<")
                    .append(scaled(scale[0] + (scale[1] - scale[0]) * (i + 1) / STRIP_LEVELS.length())).append(" ms");
        }
        out.add("");
        out.add(legend.append("  ?:lost  r:rate-limited").toString());
        return out;
    }

    /** The lowest and highest RTT of these samples (lost and rate-limited ones left out). */
    private static double[] scale(List<Double> samples) {
        double min = samples.stream().filter(Double::isFinite).mapToDouble(Double::doubleValue).min().orElse(0);
        double max = samples.stream().filter(Double::isFinite).mapToDouble(Double::doubleValue).max().orElse(1);
        return new double[] {min, max > min ? max : min + 1};
    }

    private static int level(double v, double[] scale) {
        int levels = STRIP_LEVELS.length();
        return Math.min(levels - 1, (int) ((v - scale[0]) / (scale[1] - scale[0]) * levels));
    }

    /** The last hop's RTT over the latest rounds: a bar a round, {@code ?} lost, {@code r} rate-limited. */
    private List<String> chart(Target t, int width, int rows) {
        List<String> out = new ArrayList<>();
        HopHistory last = t.hops.get(t.lastTtl);
        if (last == null) {
            out.add("(no round yet)");
            return out;
        }
        int n = Math.max(1, width - 10);
        List<Double> s = last.recent(n);
        double max = scale(s)[1];
        Responder r = last.first();
        out.add("RTT to hop " + t.lastTtl + " " + (r == null ? "???" : name(r)) + ", the last " + s.size()
                + " rounds (ms), the newest right");
        for (int row = rows; row >= 1; row--) {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%7s |", scaled(max * row / rows)));
            for (double v : s) {
                boolean bottom = row == 1;
                b.append(v == HopHistory.LIMITED ? (bottom ? 'r' : ' ') : Double.isNaN(v) ? (bottom ? '?' : ' ')
                        : v >= max * (row - 0.5) / rows ? '#' : ' ');
            }
            out.add(b.toString().stripTrailing());
        }
        out.add("        +" + "-".repeat(s.size()));
        return out;
    }

    /** A scale's step in ms, with the digits a loopback's or a LAN's RTTs need: 0.012, 1.25, 42.5. */
    private static String scaled(double ms) {
        return String.format(Locale.ROOT, ms < 1 ? "%.3f" : ms < 10 ? "%.2f" : "%.1f", ms);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s.substring(0, width) : s + " ".repeat(width - s.length());
    }

    private static String left(String s, int width) {
        return s.length() >= width ? " " + s : " ".repeat(width - s.length()) + s;
    }
}
