package io.pathprobe.probe;

import java.util.Locale;
import java.util.Objects;

/**
 * The marking of a packet: the IPv4 ToS byte or the IPv6 traffic class, as its DSCP (RFC 2474, the six
 * high bits) and its {@link Ecn} (the two low bits). Probes carry the one a request sets
 * ({@code trafficClass(...)}), and each router's ICMP quote shows the one it received.
 *
 * <p>Prints as trippy's and tracebox's columns read: {@code DSCP 46 (EF) ECT(0)}, {@code DSCP 0 Not-ECT}.
 *
 * @param dscp the differentiated services codepoint, 0 to 63
 * @param ecn the ECN codepoint
 */
public record TrafficClass(int dscp, Ecn ecn) {
    /** DSCP 0 (best effort), Not-ECT: what probes carry unless a request says otherwise. */
    public static final TrafficClass DEFAULT = new TrafficClass(0, Ecn.NOT_ECT);

    /**
     * Checks the components (see the record's description).
     *
     * @param dscp the differentiated services codepoint, 0 to 63
     * @param ecn the ECN codepoint
     * @throws IllegalArgumentException if {@code dscp} is not 0 to 63
     * @throws NullPointerException if {@code ecn} is null
     */
    public TrafficClass {
        if (dscp < 0 || dscp > 63) {
            throw new IllegalArgumentException("a DSCP is 0..63, was " + dscp);
        }
        Objects.requireNonNull(ecn, "ecn");
    }

    /**
     * {@return the marking a ToS byte or traffic class carries}
     *
     * @param value the byte, 0 to 255
     * @throws IllegalArgumentException if {@code value} is not 0 to 255
     */
    public static TrafficClass of(int value) {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException("a ToS byte / traffic class is 0..255, was " + value);
        }
        return new TrafficClass(value >>> 2, Ecn.of(value & 3));
    }

    /**
     * {@return a marking with this DSCP and no ECN}
     *
     * @param dscp the differentiated services codepoint, 0 to 63
     * @throws IllegalArgumentException if {@code dscp} is not 0 to 63
     */
    public static TrafficClass dscp(int dscp) {
        return new TrafficClass(dscp, Ecn.NOT_ECT);
    }

    /**
     * {@return the marking a command line names} A DSCP as a number (0 to 63) or a name ({@code EF},
     * {@code AF11}..{@code AF43}, {@code CS0}..{@code CS7}, {@code BE}, {@code LE}, {@code VA}), optionally
     * followed by {@code /} or {@code ,} and an ECN ({@link Ecn#parse}): {@code 46}, {@code EF/ect0},
     * {@code cs1,ce}.
     *
     * @param text the marking
     * @throws IllegalArgumentException if it names no marking
     */
    public static TrafficClass parse(String text) {
        String[] parts = text.trim().split("[/,]", 2);
        Ecn ecn = parts.length == 2 ? Ecn.parse(parts[1]) : Ecn.NOT_ECT;
        return new TrafficClass(parseDscp(parts[0].trim(), text), ecn);
    }

    private static int parseDscp(String name, String whole) {
        String n = name.toUpperCase(Locale.ROOT);
        try {
            if (n.matches("[0-9]{1,2}")) {
                return Integer.parseInt(n);
            }
            if (n.matches("CS[0-7]")) {
                return (n.charAt(2) - '0') << 3;
            }
            if (n.matches("AF[1-4][1-3]")) {
                return ((n.charAt(2) - '0') << 3) | ((n.charAt(3) - '0') << 1);
            }
        } catch (NumberFormatException e) {
            // falls through to the names below
        }
        return switch (n) {
            case "EF" -> 46;
            case "BE", "DF" -> 0;
            case "LE" -> 1;
            case "VA", "VOICE-ADMIT" -> 44;
            default -> throw new IllegalArgumentException("not a DSCP: \"" + whole
                    + "\" (0..63, EF, AF11..AF43, CS0..CS7, BE, LE or VA, then optionally /ECN)");
        };
    }

    /** {@return the ToS byte / traffic class: DSCP shifted left by 2, ECN in the low bits} */
    public int value() {
        return (dscp << 2) | ecn.codepoint();
    }

    /** {@return the DSCP's name ({@code EF}, {@code AF41}, {@code CS1}, {@code LE}, {@code VA}), or its number} */
    public String dscpName() {
        if (dscp == 46) {
            return "EF";
        }
        if (dscp == 1) {
            return "LE";
        }
        if (dscp == 44) {
            return "VA";
        }
        if ((dscp & 7) == 0) {
            return dscp == 0 ? "BE" : "CS" + (dscp >>> 3);
        }
        int cls = dscp >>> 3;
        int drop = (dscp >>> 1) & 3;
        if ((dscp & 1) == 0 && cls >= 1 && cls <= 4 && drop >= 1) {
            return "AF" + cls + drop;
        }
        return Integer.toString(dscp);
    }

    /**
     * {@return whether {@code o} is a marking with the same DSCP and ECN} Written out, as the record's own would
     * be: the generated one is linked through {@code java.lang.runtime.ObjectMethods} on its first call, which in a
     * fresh JVM took 15-25 ms of the first trace (every trace compares its marking with {@link #DEFAULT}).
     *
     * @param o the object to compare with
     */
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof TrafficClass t && t.dscp == dscp && t.ecn == ecn;
    }

    /** {@return the ToS byte's value (DSCP and ECN), 0 to 255: distinct for distinct markings} */
    @Override
    public int hashCode() {
        return value();
    }

    /** {@return {@code DSCP 46 (EF) ECT(0)}: the DSCP, its name where it has one, the ECN} */
    @Override
    public String toString() {
        String name = dscpName();
        return "DSCP " + dscp + (name.equals(Integer.toString(dscp)) ? "" : " (" + name + ")") + " " + ecn;
    }
}
