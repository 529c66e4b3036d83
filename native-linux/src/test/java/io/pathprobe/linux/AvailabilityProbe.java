package io.pathprobe.linux;

import io.pathprobe.spi.Availability;
import io.pathprobe.spi.ProbeTransportProvider;
import java.util.ServiceLoader;

/**
 * Run in a child JVM by {@link AvailabilityReasonsTest}: prints one line per registered provider,
 * {@code name|available|reason}, then, where the provider says so, {@code name|remedy|what would make it usable}
 * or {@code name|otherPlatform|true}.
 */
public final class AvailabilityProbe {
    private AvailabilityProbe() {}

    public static void main(String[] args) {
        for (ProbeTransportProvider p : ServiceLoader.load(ProbeTransportProvider.class)) {
            Availability a = p.availability();
            System.out.println(p.name() + "|" + a.isAvailable() + "|" + a.reason());
            a.remedy().ifPresent(r -> System.out.println(p.name() + "|remedy|" + r));
            if (a.otherPlatform()) {
                System.out.println(p.name() + "|otherPlatform|true");
            }
        }
    }
}
