package io.pathprobe.agent.kafka;

import org.jspecify.annotations.Nullable;

/**
 * A record's Kafka key: the value of one top-level field of its JSON line (the sink's {@code key} option, e.g.
 * {@code dst_addr} or {@code prb_id} of an Atlas record, {@code job} or {@code target} of pathprobe's). A string
 * is the key without its quotes and escapes; a number, {@code true} or {@code false} its text; an object or an
 * array its JSON text. A line without the field (or {@code null} there, or a line that is not a JSON object)
 * has no key: Kafka then spreads such records over the partitions.
 */
final class RecordKey {
    private final String json;
    private int i;

    private RecordKey(String json) {
        this.json = json;
    }

    /**
     * {@return the field's value as a key, or null}
     *
     * @param json one JSON object
     * @param field the top-level field's name
     */
    static @Nullable String of(String json, String field) {
        try {
            return new RecordKey(json).find(field);
        } catch (IndexOutOfBoundsException | IllegalArgumentException | IllegalStateException e) {
            return null; // not a complete JSON object: no key rather than no record
        }
    }

    private @Nullable String find(String field) {
        skipSpace();
        expect('{');
        skipSpace();
        if (json.charAt(i) == '}') {
            return null;
        }
        while (true) {
            skipSpace();
            String name = string();
            skipSpace();
            expect(':');
            skipSpace();
            if (name.equals(field)) {
                return value();
            }
            skipValue();
            skipSpace();
            char c = json.charAt(i++);
            if (c == '}') {
                return null;
            } else if (c != ',') {
                throw new IllegalStateException("',' or '}' expected at " + (i - 1));
            }
        }
    }

    private @Nullable String value() {
        char c = json.charAt(i);
        if (c == '"') {
            return string();
        }
        int start = i;
        skipValue();
        String text = json.substring(start, i);
        return text.equals("null") ? null : text;
    }

    private void skipValue() {
        char c = json.charAt(i);
        if (c == '"') {
            string();
        } else if (c == '{' || c == '[') {
            int depth = 0;
            do {
                c = json.charAt(i);
                if (c == '"') {
                    string();
                    continue;
                }
                if (c == '{' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ']') {
                    depth--;
                }
                i++;
            } while (depth > 0);
        } else {
            int start = i;
            while (i < json.length() && ",}] \t\r\n".indexOf(json.charAt(i)) < 0) {
                i++;
            }
            if (i == start) {
                throw new IllegalStateException("a value expected at " + i);
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = json.charAt(i++);
            if (c == '"') {
                return b.toString();
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = json.charAt(i++);
            switch (e) {
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    b.append((char) Integer.parseInt(json.substring(i, i + 4), 16));
                    i += 4;
                }
                default -> b.append(e); // \" \\ \/
            }
        }
    }

    private void expect(char c) {
        if (json.charAt(i) != c) {
            throw new IllegalStateException("'" + c + "' expected at " + i);
        }
        i++;
    }

    private void skipSpace() {
        while (" \t\r\n".indexOf(json.charAt(i)) >= 0) {
            i++;
        }
    }
}
