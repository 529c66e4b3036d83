package io.pathprobe.util;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads strict RFC 8259 JSON text into the tree {@code io.pathprobe.json}'s writers write: a {@link LinkedHashMap}
 * with string keys in document order, {@link List}, {@link String}, {@link Long} for an integer that fits (else a
 * {@link BigDecimal}), {@link Double} for a number with a fraction or exponent, {@link Boolean} and null.
 * Hand-written because the api carries no library. Refused, with the character position and what was expected:
 * anything not RFC 8259, a duplicate key, nesting deeper than {@link #MAX_DEPTH} and text longer than
 * {@link #MAX_CHARS}. Not API: the api's document readers read with it, and so do the report's (which read the
 * documents the api has no reader for, outside the api's size bound).
 */
public final class JsonParser {
    /** The deepest nesting read; deeper documents are refused before the stack runs out. */
    public static final int MAX_DEPTH = 256;
    /** The longest text read, in characters. */
    public static final int MAX_CHARS = 64 * 1024 * 1024;

    /** Why a text is not read: the position (a character index) and what was expected there. */
    public static final class JsonParseException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final int position;
        private final String expected;

        JsonParseException(int position, String message) {
            super(message + " at position " + position);
            this.position = position;
            this.expected = message;
        }

        /** {@return the character index where the text stops being JSON} */
        public int position() {
            return position;
        }

        /** {@return what was expected and found, without the position} */
        public String expected() {
            return expected;
        }
    }

    private final String s;
    private int i;

    private JsonParser(String s) {
        this.s = s;
    }

    /**
     * {@return the tree of {@code text}}
     *
     * @param text JSON text
     * @throws JsonParseException if it is not RFC 8259 JSON or is too long or too deep
     */
    public static @Nullable Object parse(String text) {
        if (text.length() > MAX_CHARS) {
            throw new JsonParseException(MAX_CHARS, "text longer than " + MAX_CHARS + " characters");
        }
        JsonParser p = new JsonParser(text);
        p.space();
        Object v = p.value(0);
        p.space();
        if (p.i != text.length()) {
            throw p.error("end of text");
        }
        return v;
    }

    private JsonParseException error(String expected) {
        String found = i < s.length() ? "'" + s.charAt(i) + "'" : "end of text";
        return new JsonParseException(i, "expected " + expected + ", found " + found);
    }

    private void space() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            i++;
        }
    }

    private @Nullable Object value(int depth) {
        if (i >= s.length()) {
            throw error("a value");
        }
        char c = s.charAt(i);
        if (c == '{' || c == '[') {
            if (depth >= MAX_DEPTH) {
                throw new JsonParseException(i, "nesting deeper than " + MAX_DEPTH);
            }
            return c == '{' ? object(depth + 1) : array(depth + 1);
        }
        if (c == '"') {
            return string();
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
        }
        if (literal("true")) {
            return Boolean.TRUE;
        }
        if (literal("false")) {
            return Boolean.FALSE;
        }
        if (literal("null")) {
            return null;
        }
        throw error("a value");
    }

    /** Whether {@code word} stands at the cursor; if it does, the cursor moves past it. */
    private boolean literal(String word) {
        if (s.startsWith(word, i)) {
            i += word.length();
            return true;
        }
        return false;
    }

    private void expect(char c, String what) {
        if (!literal(String.valueOf(c))) {
            throw error(what);
        }
    }

    private Map<String, @Nullable Object> object(int depth) {
        i++;
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        space();
        if (literal("}")) {
            return m;
        }
        while (true) {
            space();
            if (i >= s.length() || s.charAt(i) != '"') {
                throw error("a string key");
            }
            int at = i;
            String key = string();
            space();
            expect(':', "':'");
            space();
            Object v = value(depth);
            if (m.containsKey(key)) {
                throw new JsonParseException(at, "duplicate key \"" + key + "\"");
            }
            m.put(key, v);
            space();
            if (literal(",")) {
                continue;
            }
            expect('}', "',' or '}'");
            return m;
        }
    }

    private List<@Nullable Object> array(int depth) {
        i++;
        List<@Nullable Object> l = new ArrayList<>();
        space();
        if (literal("]")) {
            return l;
        }
        while (true) {
            space();
            l.add(value(depth));
            space();
            if (literal(",")) {
                continue;
            }
            expect(']', "',' or ']'");
            return l;
        }
    }

    private String string() {
        i++;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (i >= s.length()) {
                throw error("'\"'");
            }
            char c = s.charAt(i);
            if (c == '"') {
                i++;
                return b.toString();
            }
            if (c < 0x20) {
                throw error("an escaped control character");
            }
            if (c != '\\') {
                b.append(c);
                i++;
                continue;
            }
            i++;
            char e = i < s.length() ? s.charAt(i) : 0;
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (i + 5 > s.length()) {
                        throw error("four hex digits");
                    }
                    int code = 0;
                    for (int k = 1; k <= 4; k++) {
                        int d = Character.digit(s.charAt(i + k), 16);
                        if (d < 0) {
                            i += k;
                            throw error("a hex digit");
                        }
                        code = code * 16 + d;
                    }
                    b.append((char) code);
                    i += 4;
                }
                default -> throw error("an escape character");
            }
            i++;
        }
    }

    private Object number() {
        int start = i;
        boolean integral = true;
        literal("-");
        if (!literal("0") && !digits()) {
            throw error("a digit");
        }
        if (literal(".")) {
            integral = false;
            if (!digits()) {
                throw error("a digit");
            }
        }
        if (literal("e") || literal("E")) {
            integral = false;
            if (!literal("+")) {
                literal("-");
            }
            if (!digits()) {
                throw error("a digit");
            }
        }
        String text = s.substring(start, i);
        if (!integral) {
            return Double.parseDouble(text);
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException tooLong) {
            return new BigDecimal(text);
        }
    }

    private boolean digits() {
        int start = i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i > start;
    }
}
