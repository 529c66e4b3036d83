package io.pathprobe.graph;

import io.pathprobe.graph.PathGraph.Kind;
import io.pathprobe.graph.PathGraph.Link;
import io.pathprobe.graph.PathGraph.Node;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Draws a {@link PathGraph} as one SVG element, with no script, font or file from elsewhere: a layered drawing,
 * as a traceroute reads, this host on top and one row per TTL below it (a node on the row of its first TTL), the
 * nodes of a row ordered by where the nodes they come from stand (one barycentre pass, which keeps a diamond's
 * branches from crossing), each link a line from its near end to its far end (a curve around the side when it
 * goes back up: a loop), its label at the middle.
 */
public final class GraphSvg {
    private static final int CHAR = 7; // px per character at FONT: a sans-serif's average, generous
    private static final int FONT = 11;
    private static final int LINE = 14;
    private static final int PAD = 8;
    private static final int ROW_GAP = 44;
    private static final int COLUMN_GAP = 24;
    private static final int MARGIN = 16;

    private GraphSvg() {}

    /** Where a node is drawn: its box's left, top, width and height. */
    private record Box(Node node, double x, double y, double w, double h) {
        double cx() {
            return x + w / 2;
        }
    }

    static String draw(PathGraph g) {
        TreeMap<Integer, List<Node>> rows = new TreeMap<>();
        for (Node n : g.nodes()) {
            rows.computeIfAbsent(n.ttls().isEmpty() ? 0 : n.ttls().get(0), r -> new ArrayList<>()).add(n);
        }
        Map<String, List<String>> from = new HashMap<>();
        for (Link l : g.links()) {
            from.computeIfAbsent(l.to(), k -> new ArrayList<>()).add(l.from());
        }
        Map<String, Double> order = new HashMap<>();
        for (List<Node> row : rows.values()) {
            for (int i = 0; i < row.size(); i++) {
                order.put(row.get(i).id(), (double) i);
            }
            Map<String, Double> centre = new HashMap<>();
            for (int i = 0; i < row.size(); i++) {
                Node n = row.get(i);
                List<String> before = from.getOrDefault(n.id(), List.of());
                double sum = 0;
                int known = 0;
                for (String b : before) {
                    Double o = order.get(b);
                    if (o != null && !b.equals(n.id())) {
                        sum += o;
                        known++;
                    }
                }
                centre.put(n.id(), known == 0 ? i : sum / known + i * 1e-3);
            }
            row.sort(Comparator.comparingDouble(n -> centre.get(n.id())));
            for (int i = 0; i < row.size(); i++) {
                order.put(row.get(i).id(), (double) i);
            }
        }
        // sizes, then each row centred on the widest
        List<List<Box>> placed = new ArrayList<>();
        double widest = 0;
        for (List<Node> row : rows.values()) {
            double w = -COLUMN_GAP;
            for (Node n : row) {
                w += width(n) + COLUMN_GAP;
            }
            widest = Math.max(widest, w);
        }
        double y = MARGIN + LINE + PAD; // the title above
        Map<String, Box> boxes = new HashMap<>();
        for (List<Node> row : rows.values()) {
            double w = -COLUMN_GAP;
            double h = 0;
            for (Node n : row) {
                w += width(n) + COLUMN_GAP;
                h = Math.max(h, height(n));
            }
            double x = MARGIN + (widest - w) / 2;
            List<Box> line = new ArrayList<>();
            for (Node n : row) {
                Box b = new Box(n, x, y + (h - height(n)) / 2, width(n), height(n));
                line.add(b);
                boxes.put(n.id(), b);
                x += b.w() + COLUMN_GAP;
            }
            placed.add(line);
            y += h + ROW_GAP;
        }
        double width = Math.max(widest, g.title().length() * CHAR) + 2 * MARGIN;
        double height = y - ROW_GAP + MARGIN;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"pathgraph\" "
                + "width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" "
                + "font-size=\"%d\">%n", width, height, width, height, FONT));
        s.append("<title>").append(xml(g.title())).append("</title>\n");
        s.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
                + "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/>"
                + "</marker></defs>\n");
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"%d\" font-weight=\"bold\">%s</text>%n",
                MARGIN, MARGIN + LINE - 2, FONT + 1, xml(g.title())));
        for (Link l : g.links()) {
            link(s, java.util.Objects.requireNonNull(boxes.get(l.from())), java.util.Objects.requireNonNull(
                    boxes.get(l.to())), l); // a graph's links name its nodes
        }
        for (List<Box> line : placed) {
            for (Box b : line) {
                node(s, b);
            }
        }
        return s.append("</svg>\n").toString();
    }

    private static double width(Node n) {
        int longest = 0;
        for (String l : n.lines()) {
            longest = Math.max(longest, l.length());
        }
        return Math.max(longest * CHAR + 2 * PAD, 48);
    }

    private static double height(Node n) {
        return n.lines().size() * LINE + PAD;
    }

    private static void link(StringBuilder s, Box from, Box to, Link l) {
        double x1 = from.cx();
        double y1 = from.y() + from.h();
        double x2 = to.cx();
        double y2 = to.y();
        String d;
        double lx;
        double ly;
        if (y2 > y1) {
            d = String.format(Locale.ROOT, "M%.1f,%.1f L%.1f,%.1f", x1, y1, x2, y2);
            lx = (x1 + x2) / 2;
            ly = (y1 + y2) / 2;
        } else { // back up (a loop) or across: around the right side
            double side = Math.max(from.x() + from.w(), to.x() + to.w()) + 30;
            double fy = from.y() + from.h() / 2;
            double ty = to.y() + to.h() / 2;
            d = String.format(Locale.ROOT, "M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f", from.x() + from.w(), fy, side,
                    fy, side, ty, to.x() + to.w(), ty);
            lx = side;
            ly = (fy + ty) / 2;
        }
        s.append("<g class=\"link\" data-from=\"").append(xml(l.from())).append("\" data-to=\"").append(xml(l.to()))
                .append("\"><path d=\"").append(d)
                .append("\" fill=\"none\" stroke=\"#555\" marker-end=\"url(#arrow)\"/>");
        if (!l.label().isEmpty()) {
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" fill=\"#333\" "
                    + "text-anchor=\"middle\" paint-order=\"stroke\" stroke=\"#fff\" stroke-width=\"3\">%s</text>",
                    lx, ly + 3, FONT - 2, xml(l.label())));
        }
        s.append("</g>\n");
    }

    private static void node(StringBuilder s, Box b) {
        Kind k = b.node().kind();
        String fill = switch (k) {
            case SOURCE -> "#e8f0fe";
            case DESTINATION -> "#e6f4ea";
            case MASKED -> "#dddddd";
            case SILENT, ROUTER -> "#ffffff";
        };
        String dash = k == Kind.SILENT || k == Kind.MASKED ? " stroke-dasharray=\"4 3\"" : "";
        s.append("<g class=\"node ").append(k.name().toLowerCase(Locale.ROOT)).append("\" data-id=\"")
                .append(xml(b.node().id())).append("\">");
        s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"6\" "
                + "fill=\"%s\" stroke=\"#333\"%s/>", b.x(), b.y(), b.w(), b.h(), fill, dash));
        if (k == Kind.DESTINATION) {
            s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"4\" "
                    + "fill=\"none\" stroke=\"#333\"/>", b.x() + 3, b.y() + 3, b.w() - 6, b.h() - 6));
        }
        List<String> lines = b.node().lines();
        for (int i = 0; i < lines.size(); i++) {
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\"%s>%s</text>",
                    b.cx(), b.y() + PAD / 2.0 + LINE * (i + 1) - 3, i == 0 ? " font-weight=\"bold\"" : "",
                    xml(lines.get(i))));
        }
        s.append("</g>\n");
    }

    /**
     * {@return text for XML 1.0 and HTML: the five markup characters as entities, a character XML cannot hold as
     * {@code ?}}
     *
     * @param text any text
     */
    public static String xml(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\t' || c == 0x7f || c >= 0x80 && c < 0xa0 || c == 0xfffe || c == 0xffff) {
                        b.append('?');
                    } else if (Character.isSurrogate(c) && !paired(text, i)) {
                        b.append('?'); // an unpaired surrogate
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /** Whether the surrogate at {@code i} is half of a pair. */
    private static boolean paired(String text, int i) {
        char c = text.charAt(i);
        return Character.isHighSurrogate(c) ? i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }
}
