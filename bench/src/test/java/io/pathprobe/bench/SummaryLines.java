package io.pathprobe.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the summary's figure tests share: the figures and problems a reading gives, a figure found by name, and
 * RESULT lines as the summary parses them.
 */
abstract class SummaryLines {
    final List<Summary.Figure> figures = new ArrayList<>();
    final List<String> problems = new ArrayList<>();

    /** {@return the first figure whose name contains {@code nameContains}; fails without one} */
    Summary.Figure figure(String nameContains) {
        return figures.stream().filter(x -> x.name().contains(nameContains)).findFirst()
                .orElseThrow(() -> new AssertionError("no figure named like " + nameContains + " in " + figures));
    }

    /** {@return each RESULT line, parsed} */
    static List<Map<String, String>> lines(String... results) {
        List<Map<String, String>> out = new ArrayList<>();
        for (String r : results) {
            out.add(Summary.parse(r));
        }
        return out;
    }
}
