package io.pathprobe.cli;

import picocli.CommandLine;

/**
 * Counts as the command line takes them: a whole number, 1 or more ({@code -c}, {@code -q}, {@code -m},
 * {@code -f}, {@code -N}...). 0 or a negative value is a usage error naming the option (picocli's
 * {@code Invalid value for option '-q': ...}), refused before anything is looked up or sent.
 */
final class Counts {
    private Counts() {}

    /** An {@code int} count, 1 or more. */
    static final class AtLeastOne implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            long n = parse(value);
            if (n > Integer.MAX_VALUE) {
                throw new CommandLine.TypeConversionException("'" + value + "' is too large");
            }
            return (int) n;
        }
    }

    /** A {@code long} count, 1 or more. */
    static final class AtLeastOneLong implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return parse(value);
        }
    }

    static long parse(String value) {
        long n;
        try {
            n = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a whole number");
        }
        if (n < 1) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a count: give 1 or more");
        }
        return n;
    }
}
