package io.pathprobe.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The {@link Summary}'s JSON document: the run's facts and options, every comparison's results and figures. */
final class SummaryJson {
    private SummaryJson() {
    }


    static String json(Map<String, String> meta, Map<String, List<Map<String, String>>> results,
            List<Summary.Figure> figures, List<String> problems) {
        StringBuilder b = new StringBuilder();
        b.append("{\n");
        b.append("  \"commit\": ").append(str(meta.get("run.commit"))).append(",\n");
        b.append("  \"dirty\": ").append("true".equals(meta.get("run.dirty"))).append(",\n");
        b.append("  \"date\": ").append(str(meta.get("run.date"))).append(",\n");
        b.append("  \"seconds\": ").append(str(meta.get("run.seconds"))).append(",\n");
        b.append("  \"options\": ").append(object(prefixed(meta, "option."), "  ")).append(",\n");
        b.append("  \"machine\": ").append(object(prefixed(meta, "machine."), "  ")).append(",\n");
        b.append("  \"comparisons\": [");
        boolean firstC = true;
        for (Map.Entry<String, List<Map<String, String>>> e : results.entrySet()) {
            String c = e.getKey();
            b.append(firstC ? "\n" : ",\n");
            firstC = false;
            b.append("    {\"name\": ").append(str(c))
                    .append(", \"args\": ").append(str(meta.get(c + ".args")))
                    .append(", \"exit_code\": ").append(str(meta.get(c + ".rc")))
                    .append(", \"seconds\": ").append(str(meta.get(c + ".seconds")))
                    .append(", \"load_before\": ").append(str(meta.get(c + ".load_before")))
                    .append(", \"load_after\": ").append(str(meta.get(c + ".load_after")))
                    .append(",\n     \"results\": [");
            boolean firstR = true;
            for (Map<String, String> r : e.getValue()) {
                b.append(firstR ? "\n" : ",\n").append("       ").append(object(r, null));
                firstR = false;
            }
            b.append("]}");
        }
        b.append("\n  ],\n  \"figures\": [");
        boolean firstF = true;
        for (Summary.Figure x : figures) {
            b.append(firstF ? "\n" : ",\n");
            firstF = false;
            b.append("    {\"comparison\": ").append(str(x.comparison())).append(", \"figure\": ").append(str(x.name()))
                    .append(", \"unit\": ").append(str(x.unit())).append(", \"pathprobe\": ")
                    .append(number(x.pathprobe()))
                    .append(", \"peer\": ").append(x.peerName().isEmpty() ? "null" : str(x.peerName()))
                    .append(", \"peer_value\": ").append(number(x.peer())).append(", \"ratio\": ")
                    .append(number(x.ratio()))
                    .append(", \"spread\": ").append(str(x.spread())).append(", \"n\": ").append(x.n()).append('}');
        }
        b.append("\n  ],\n  \"problems\": [");
        for (int k = 0; k < problems.size(); k++) {
            b.append(k == 0 ? "\n    " : ",\n    ").append(str(problems.get(k)));
        }
        b.append(problems.isEmpty() ? "]\n" : "\n  ]\n");
        b.append("}\n");
        return b.toString();
    }

    static Map<String, String> prefixed(Map<String, String> meta, String prefix) {
        Map<String, String> m = new LinkedHashMap<>();
        meta.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                m.put(k.substring(prefix.length()), v);
            }
        });
        return m;
    }

    /** A flat object of strings, numbers where a value reads as one. */
    static String object(Map<String, String> m, @Nullable String indent) {
        StringBuilder b = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, String> e : m.entrySet()) {
            b.append(first ? "" : ",");
            b.append(indent == null ? " " : "\n" + indent + "  ");
            first = false;
            b.append(str(e.getKey())).append(": ").append(value(e.getValue()));
        }
        b.append(indent == null ? " }" : "\n" + indent + "}");
        return b.toString();
    }

    static String value(String v) {
        if (v != null && v.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?")) {
            return v;
        }
        if ("true".equals(v) || "false".equals(v)) {
            return v;
        }
        return str(v);
    }

    static String number(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "null" : String.format(Locale.ROOT, "%.6g", v);
    }

    static String str(@Nullable String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
