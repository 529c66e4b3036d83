package io.pathprobe.cli;

import io.pathprobe.probe.Ecn;
import io.pathprobe.probe.TrafficClass;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The value of {@code trace -t} / {@code --tos}, {@code mtr -Q}, {@code ping -Q}: as traceroute, mtr and ping
 * take it, a number is the whole ToS byte / traffic class (decimal or {@code 0x} hex: {@code 184} or
 * {@code 0xb8} is DSCP 46); a name is a DSCP ({@code EF}, {@code AF41}, {@code CS1}); either may be followed by
 * {@code /} and an ECN codepoint ({@code EF/ect0}, {@code 0xb8/ce}).
 */
final class Marking implements ITypeConverter<TrafficClass> {
    static final String HELP = "DSCP and ECN of every probe: the ToS byte as a number (184 or 0xb8 = DSCP 46, "
            + "as traceroute -t, mtr -Q, ping -Q), or a DSCP name (EF, AF41, CS1), optionally /ECN (EF/ect0, "
            + "/ce). Each hop then shows where a router received it rewritten.";

    @Override
    public TrafficClass convert(String value) {
        String[] parts = value.trim().split("/", 2);
        String head = parts[0].trim().toLowerCase(Locale.ROOT);
        try {
            TrafficClass t;
            if (head.matches("-[0-9x]+")) { // a number, as -t takes one: the ToS byte, never negative
                throw new TypeConversionException("'" + value.trim() + "' is not a ToS byte: give 0..255 (184 or "
                        + "0xb8 is DSCP 46) or a DSCP name (EF, AF41)");
            }
            if (head.matches("0x[0-9a-f]{1,4}")) {
                t = TrafficClass.of(Integer.parseInt(head.substring(2), 16));
            } else if (head.matches("[0-9]{1,5}")) {
                t = TrafficClass.of(Integer.parseInt(head));
            } else {
                t = TrafficClass.parse(parts[0]);
            }
            return parts.length == 2 ? new TrafficClass(t.dscp(), Ecn.parse(parts[1])) : t;
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
