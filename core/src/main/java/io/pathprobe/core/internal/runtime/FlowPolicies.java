package io.pathprobe.core.internal.runtime;

import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.TransportCapability;
import java.util.Set;

/** Flow policies as the transport registry matches and names them. */
final class FlowPolicies {
    private FlowPolicies() {}

    /**
     * Whether a transport with these capabilities opens sessions of this policy. One that claims no
     * flow capability at all predates flows: its probes may change flow, as classic ones do.
     */
    static boolean holds(Set<TransportCapability> caps, FlowPolicy policy) {
        if (caps.contains(TransportCapability.of(policy))) {
            return true;
        }
        return policy == FlowPolicy.PER_PROBE && !caps.contains(TransportCapability.FLOW_FIXED)
                && !caps.contains(TransportCapability.FLOW_EXPLICIT)
                && !caps.contains(TransportCapability.FLOW_PER_PROBE);
    }

    /** A policy as the registry's notes and logs say it: {@code Paris (fixed)}. */
    static String text(FlowPolicy policy) {
        return switch (policy) {
            case FIXED -> "Paris (fixed)";
            case PER_PROBE -> "classic (per-probe)";
            case EXPLICIT -> "explicit (multi-flow)";
        };
    }
}
