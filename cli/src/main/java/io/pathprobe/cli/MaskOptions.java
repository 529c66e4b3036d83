package io.pathprobe.cli;

import io.pathprobe.evidence.Masking;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --mask N}, shared by the measurement commands: privacy masking ({@link Masking}), as trippy's
 * {@code --tui-privacy-max-ttl}: hops 1 to N and this host's source and public address are hidden in every output
 * of the command (text, JSON, Atlas, scamper), which says so; {@code --mask 0} hides the source alone.
 */
final class MaskOptions {
    @Option(names = "--mask", paramLabel = "N", converter = MaskConverter.class,
            description = "Privacy: hide hops 1 to N (addresses, names, AS; RTTs and loss stay) and this host's source "
                    + "and public address in every output format, as trippy's privacy mode; 0 hides the source "
                    + "alone. The output says what it hides and prints a hidden hop as 'masked'.")
    Masking masking = Masking.NONE;

    /**
     * {@return the masking asked for; when it hides the source, it hides also every address of this host's
     * interfaces but the loopback ones (the source address is one of them, whatever a message quotes)}
     */
    synchronized Masking masking() {
        if (!masking.source()) {
            return masking;
        }
        if (withOwn != null) {
            return withOwn;
        }
        List<InetAddress> own = new ArrayList<>();
        try {
            for (NetworkInterface i : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                Collections.list(i.getInetAddresses()).stream().filter(a -> !a.isLoopbackAddress()).forEach(own::add);
            }
        } catch (SocketException | RuntimeException e) {
            // no interface list: the addresses the results carry are hidden all the same
        }
        withOwn = masking.hiding(own);
        return withOwn;
    }

    private @org.jspecify.annotations.Nullable Masking withOwn;

    /** {@return the masking of {@code cmd}'s {@code --mask}, {@link Masking#NONE} for a command without one} */
    static Masking of(CommandLine cmd) {
        return MeasureOptions.find(cmd.getCommandSpec(), MaskOptions.class).map(MaskOptions::masking)
                .orElse(Masking.NONE);
    }

    /** {@code N}: 0 to 255, anything else a usage error naming the range. */
    static final class MaskConverter implements CommandLine.ITypeConverter<Masking> {
        @Override
        public Masking convert(String value) {
            try {
                return Masking.firstHops(Integer.parseInt(value.trim()));
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a number of hops: give 0 to "
                        + Masking.MAX_HOPS);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "': " + e.getMessage());
            }
        }
    }
}
