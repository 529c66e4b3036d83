package io.pathprobe.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code -f} and {@code -m}, as traceroute's, shared by the commands that probe hop by hop: {@link First} alone
 * (mtu, whose {@code -m} says tracepath's default), {@link Range} ({@code -f} then {@code -m}: compare, multipath)
 * and {@link MaxFirst} ({@code -m} then {@code -f}, as traceroute lists them: trace, mtr).
 */
final class TtlOptions {
    private TtlOptions() {}

    /** {@code -f N}: the first TTL probed, 1 by default. */
    static final class First {
        @ApiWord("firstTtl")
        @Option(names = {"-f", "--first-ttl"}, converter = Counts.AtLeastOne.class,
                description = "First TTL (default ${DEFAULT-VALUE}).")
        int firstTtl = 1;
    }

    /** {@code -f N}, then {@code -m N}: the largest TTL probed, the command's default unless given. */
    static final class Range {
        @CommandLine.Mixin
        First first = new First();

        @ApiWord("maxTtl")
        @Option(names = {"-m", "--max-ttl"}, converter = Counts.AtLeastOne.class,
                description = "Largest TTL (default ${DEFAULT-VALUE}).")
        int maxTtl;

        Range(int maxTtl) {
            this.maxTtl = maxTtl;
        }
    }

    /** {@code -m N} (30 unless given), then {@code -f N}. */
    static final class MaxFirst {
        @ApiWord("maxTtl")
        @Option(names = {"-m", "--max-ttl"}, converter = Counts.AtLeastOne.class,
                description = "Largest TTL (default ${DEFAULT-VALUE}).")
        int maxHops = 30;

        @CommandLine.Mixin
        First first = new First();
    }
}
