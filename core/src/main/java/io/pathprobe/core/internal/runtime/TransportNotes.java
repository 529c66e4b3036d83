package io.pathprobe.core.internal.runtime;

import io.pathprobe.NoTransportAvailableException.Reason;
import io.pathprobe.NoTransportAvailableException.Rejection;
import io.pathprobe.spi.Availability;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The one-line form of why a protocol could not be used, as a result's protocol note and a missing transport's
 * {@link io.pathprobe.NoTransportAvailableException#summary()} say it: one vocabulary for both.
 */
final class TransportNotes {
    private TransportNotes() {}

    /**
     * Why no transport of {@code here} would do, in one line: each transport that could send the protocol but is not
     * usable here, named with what alone would make it usable where its availability says
     * ({@link Availability#remedy()}: "linux-raw-icmp needs CAP_NET_RAW"), else with its reason ("linux-x: ...");
     * the transports of other platforms left out; "no transport sends it" when none could send it.
     *
     * @param availability each transport's availability as checked, null when it was not
     * @param missing whether to name the transports that cannot send it when no other is left (an error's summary),
     *     rather than "no transport sends it" (a note)
     */
    static String briefly(List<Rejection> here, Function<String, @Nullable Availability> availability,
            boolean missing) {
        List<String> named = new ArrayList<>();
        for (Rejection r : here) {
            if (r.reason() == Reason.MISSING_CAPABILITY) {
                continue;
            }
            Availability a = r.reason() == Reason.UNAVAILABLE ? availability.apply(r.transport()) : null;
            if (a != null && a.otherPlatform()) {
                continue;
            }
            named.add(a != null && a.remedy().isPresent() ? r.transport() + " needs " + a.remedy().get()
                    : r.transport() + ": " + r.detail());
        }
        if (named.isEmpty() && missing) {
            here.forEach(r -> named.add(r.transport() + ": " + r.detail()));
        }
        return named.isEmpty() ? "no transport sends it" : String.join("; ", named);
    }
}
