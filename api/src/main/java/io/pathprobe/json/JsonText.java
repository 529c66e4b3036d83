package io.pathprobe.json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes a document tree (maps with string keys, lists, strings, integral numbers, doubles,
 * {@link BigDecimal}s, booleans and null) as JSON text: RFC 8259 escaping, a non-finite double as {@code null},
 * a double as {@link Double#toString(double)} writes it, a {@link BigDecimal} with its own digits and scale
 * ({@link BigDecimal#toPlainString()}: {@code 0.080}, as scamper prints an RTT). Indented, the layout is
 * Jackson's default pretty printer's ({@code "name" : value}, objects one entry per line, arrays on the line
 * they open: {@code [ 1, 2 ]}, {@code [ {} ]}); compact, no whitespace at all.
 */
final class JsonText {
    private JsonText() {}

    static String write(@Nullable Object tree, boolean indent) {
        StringBuilder b = new StringBuilder(1024);
        try {
            write(tree, indent, b);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not throw
        }
        return b.toString();
    }

    static void write(@Nullable Object tree, boolean indent, Appendable out) throws IOException {
        value(tree, indent, 0, out);
    }

    private static void value(@Nullable Object v, boolean indent, int depth, Appendable out) throws IOException {
        if (v == null) {
            out.append("null");
        } else if (v instanceof String s) {
            string(s, out);
        } else if (v instanceof Boolean x) {
            out.append(x ? "true" : "false");
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            out.append(Double.isFinite(d) ? Double.toString(d) : "null");
        } else if (v instanceof BigDecimal d) {
            out.append(d.toPlainString());
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            out.append(v.toString());
        } else if (v instanceof Map<?, ?> m) {
            object(m, indent, depth, out);
        } else if (v instanceof List<?> l) {
            array(l, indent, depth, out);
        } else {
            throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
        }
    }

    private static void object(Map<?, ?> m, boolean indent, int depth, Appendable out) throws IOException {
        out.append('{');
        if (m.isEmpty()) {
            out.append(indent ? " }" : "}");
            return;
        }
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            if (indent) {
                newline(depth + 1, out);
            }
            string((String) e.getKey(), out);
            out.append(indent ? " : " : ":");
            value(e.getValue(), indent, depth + 1, out);
        }
        if (indent) {
            newline(depth, out);
        }
        out.append('}');
    }

    private static void array(List<?> l, boolean indent, int depth, Appendable out) throws IOException {
        out.append('[');
        if (indent) {
            out.append(' ');
        }
        boolean first = true;
        for (Object o : l) {
            if (!first) {
                out.append(indent ? ", " : ",");
            }
            first = false;
            value(o, indent, depth, out);
        }
        if (indent && !l.isEmpty()) {
            out.append(' ');
        }
        out.append(']');
    }

    private static void newline(int depth, Appendable out) throws IOException {
        out.append('\n');
        for (int i = 0; i < depth; i++) {
            out.append("  ");
        }
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /**
     * A JSON string: quote, backslash and the control characters escaped ({@code \b \t \n \f \r}, the
     * others as {@code \}{@code u00XX}), and so are unpaired surrogates (which UTF-8 cannot carry);
     * everything else as it is.
     */
    static void string(String s, Appendable out) throws IOException {
        out.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        unicode(c, out);
                    } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        unicode(c, out);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void unicode(char c, Appendable out) throws IOException {
        out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf])
                .append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
    }
}
