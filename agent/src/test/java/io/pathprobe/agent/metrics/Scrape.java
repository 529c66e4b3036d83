package io.pathprobe.agent.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Prometheus text-format scrape, read into its samples (HELP and TYPE lines kept apart). */
final class Scrape {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One sample line. */
    record Line(String name, Map<String, String> labels, double value) {
        boolean has(Map<String, String> subset) {
            return labels.entrySet().containsAll(subset.entrySet());
        }
    }

    final String text;
    final List<Line> lines = new ArrayList<>();
    final Map<String, String> types = new LinkedHashMap<>();

    Scrape(String text) {
        this.text = text;
        for (String l : text.split("\n")) {
            if (l.startsWith("# TYPE ")) {
                String[] f = l.split(" ");
                types.put(f[2], f[3]);
            } else if (!l.isBlank() && !l.startsWith("#")) {
                Matcher m = SAMPLE.matcher(l);
                if (!m.matches()) {
                    throw new IllegalArgumentException("not a sample line: " + l);
                }
                Map<String, String> labels = new LinkedHashMap<>();
                if (m.group(2) != null) {
                    Matcher lm = LABEL.matcher(m.group(2));
                    while (lm.find()) {
                        labels.put(lm.group(1), lm.group(2));
                    }
                }
                lines.add(new Line(m.group(1), labels, Double.parseDouble(m.group(3))));
            }
        }
    }

    /** The samples of a name whose labels include {@code labels} (pairs: name, value, ...). */
    List<Line> find(String name, String... labels) {
        Map<String, String> subset = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            subset.put(labels[i], labels[i + 1]);
        }
        return lines.stream().filter(l -> l.name().equals(name) && l.has(subset)).toList();
    }

    /** The one sample of a name with these labels; empty if there is none; fails if there are several. */
    OptionalDouble value(String name, String... labels) {
        List<Line> found = find(name, labels);
        if (found.size() > 1) {
            throw new AssertionError(found.size() + " samples of " + name + " " + List.of(labels) + ": " + found);
        }
        return found.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(found.get(0).value());
    }

    @Override
    public String toString() {
        return text;
    }
}
