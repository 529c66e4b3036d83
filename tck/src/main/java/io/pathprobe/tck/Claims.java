package io.pathprobe.tck;

import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.spi.TransportCapability;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/** What a provider claims, read from its capabilities in one place for both kits. */
final class Claims {
    private Claims() {}

    /** Those of {@code among} the provider claims to send, in their order. */
    static List<ProbeProtocol> protocols(ProbeTransportProvider provider, Collection<ProbeProtocol> among) {
        return claimed(provider, among, TransportCapability::of);
    }

    /** The flow policies the provider claims, in declaration order. */
    static List<FlowPolicy> flowPolicies(ProbeTransportProvider provider) {
        return claimed(provider, Arrays.asList(FlowPolicy.values()), TransportCapability::of);
    }

    private static <E> List<E> claimed(ProbeTransportProvider provider, Collection<E> among,
            Function<E, TransportCapability> capability) {
        List<E> out = new ArrayList<>();
        for (E e : among) {
            if (provider.capabilities().contains(capability.apply(e))) {
                out.add(e);
            }
        }
        return List.copyOf(out);
    }
}
