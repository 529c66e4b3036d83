package io.pathprobe.enrich;

import java.util.Optional;

/**
 * Text from enrichment data (GeoIP databases, PeeringDB dumps, AS lookups) as it may reach a terminal: each control
 * character (below 0x20, 0x7f, and C1 0x80-0x9f: ESC, OSC, BEL, CR, LF...) written {@code \DDD}, its code in
 * decimal, as a PTR name's unprintable bytes are (RFC 1035 master-file form).
 */
final class Printable {
    private Printable() {}

    static String of(String text) {
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f);
            if (control && b == null) {
                b = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (b != null) {
                if (control) {
                    b.append('\\').append(String.format(java.util.Locale.ROOT, "%03d", (int) c));
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? text : b.toString();
    }

    static Optional<String> of(Optional<String> text) {
        return text.map(Printable::of);
    }
}
