package io.pathprobe.util;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * How the public types write times and fractions in their {@code toString()}: as ping, traceroute
 * and mtr write them ({@code "0.024 ms"}, {@code "1.5 s"}, {@code "12.5%"}), never an ISO duration.
 */
public final class Text {
    private Text() {}

    /**
     * A responder as every text form names it: {@code "core1.isp.example (198.18.0.10) AS64500 LAB-ISP [DE Frankfurt]
     * IX LAB-IX"}, its name with the address in parentheses (the address alone without a name), then its AS, its
     * place (in brackets) and its exchange, each where it was found.
     *
     * @param address the address as text
     * @param name its host name, if found
     * @param as its AS's short text, if found (empty where the form does not show it)
     * @param place its location's short text, if found
     * @param exchange its exchange's short text, if found
     */
    public static String responder(String address, Optional<String> name, Optional<String> as, Optional<String> place,
            Optional<String> exchange) {
        return name.map(n -> n + " (" + address + ")").orElse(address) + as.map(a -> " " + a).orElse("")
                + place.map(p -> " [" + p + "]").orElse("") + exchange.map(x -> " " + x).orElse("");
    }

    /** An RTT as traceroute writes it, without the unit: {@code "0.024"}. */
    public static String millis(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e6);
    }

    /** An RTT with its unit: {@code "0.024 ms"}. */
    public static String ms(Duration d) {
        return millis(d) + " ms";
    }

    /**
     * A setting or a span, in the largest unit that keeps it short and exact to a microsecond:
     * {@code "30 s"}, {@code "1.5 s"}, {@code "250 ms"}, {@code "0.5 ms"}, {@code "2 min"},
     * {@code "1 h"}, {@code "365 days"}.
     */
    public static String duration(Duration d) {
        if (d.getNano() == 0 && d.getSeconds() != 0) {
            long sec = d.getSeconds();
            if (sec % 86_400 == 0) {
                return sec / 86_400 + (Math.abs(sec) == 86_400 ? " day" : " days");
            }
            if (sec % 3_600 == 0) {
                return sec / 3_600 + " h";
            }
            if (sec % 60 == 0 && Math.abs(sec) >= 120) {
                return sec / 60 + " min";
            }
        }
        if (Math.abs(d.getSeconds()) >= 1_000_000L) {
            return d.getSeconds() + " s"; // beyond what toNanos() holds for long: whole seconds say enough
        }
        long nanos = d.toNanos();
        if (Math.abs(nanos) >= 1_000_000_000L) {
            return trim(String.format(Locale.ROOT, "%.6f", nanos / 1e9)) + " s";
        }
        return trim(String.format(Locale.ROOT, "%.3f", nanos / 1e6)) + " ms";
    }

    /** A fraction 0..1 as a percentage with one decimal: {@code "12.5%"}. */
    public static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    /** "1.500" → "1.5", "2.000" → "2". */
    private static String trim(String decimal) {
        if (decimal.indexOf('.') < 0) {
            return decimal;
        }
        String s = decimal.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
