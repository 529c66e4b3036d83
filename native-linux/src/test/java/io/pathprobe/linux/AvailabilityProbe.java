package io.pathprobe.linux;

import io.pathprobe.spi.Availability;
import io.pathprobe.spi.ProbeTransportProvider;
import java.util.ServiceLoader;

/**
 * Run in a child JVM by {@link AvailabilityReasonsTest}: prints one line per registered provider,
 * {@code name|available|reason}.
 */
public final class AvailabilityProbe {
    private AvailabilityProbe() {}

    public static void main(String[] args) {
        for (ProbeTransportProvider p : ServiceLoader.load(ProbeTransportProvider.class)) {
            Availability a = p.availability();
            System.out.println(p.name() + "|" + a.isAvailable() + "|" + a.reason());
        }
    }
}
