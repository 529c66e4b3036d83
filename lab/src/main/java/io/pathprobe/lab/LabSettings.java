package io.pathprobe.lab;

import io.pathprobe.lab.Lab.Bottleneck;
import io.pathprobe.lab.Lab.Impairments;
import io.pathprobe.lab.Lab.PerRouterLimit;
import io.pathprobe.lab.Lab.RateLimit;
import io.pathprobe.lab.Lab.SeparatePath;
import io.pathprobe.lab.topology.EcmpFabric;
import io.pathprobe.lab.topology.HomePlan;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What a builder collected; validated as it was set. */
public record LabSettings(int hops, List<Integer> silent, int icmpRateLimitMillis, @Nullable String icmpUnlimitedReason,
        int pingGroupLow, int pingGroupHigh, boolean currentNamespace, Map<Integer,
        List<String>> injected, boolean ipv6,
        boolean offloadOff, int ecmpTtl, @Nullable EcmpFabric ecmpFabric, @Nullable EcmpHash ecmpHash, int natHop,
        @Nullable NatKind natKind, int rejectUdpHop, int tcpListenPort, @Nullable RateLimit rateLimitedHop,
        Impairments impairments, boolean dnsServer, int httpPort, int destinationAliases,
        @Nullable Bottleneck bottleneck, @Nullable HomePlan home, boolean stunServer,
        @Nullable SeparatePath separatePath, @Nullable String congestionControl,
        @Nullable PerRouterLimit perRouterLimit, boolean destinationLimitedLikeRouters,
        @Nullable String destinationIcmpUnlimitedReason) {
    public LabSettings {
        silent = List.copyOf(silent);
        injected = Map.copyOf(injected);
        java.util.Objects.requireNonNull(impairments, "impairments");
    }

    /** Whether the routers and destination send every ICMP error ({@link LabBuilder#icmpUnlimited(String)}). */
    boolean icmpUnlimited() {
        return icmpUnlimitedReason != null;
    }

    /** Whether the destination alone sends every ICMP error ({@link LabBuilder#destinationIcmpUnlimited(String)}). */
    boolean destinationIcmpUnlimited() {
        return destinationIcmpUnlimitedReason != null;
    }

    /** A plain chain with defaults for everything else. */
    public static LabSettings chain(int hops, List<Integer> silent, boolean currentNamespace) {
        return new LabSettings(hops, silent, -1, null, 0, Integer.MAX_VALUE, currentNamespace, Map.of(), false, true,
                0, null, null, 0, null, 0, 0, null, Impairments.NONE, false, 0, 0, null, null, false,
                null, null, null, false, null);
    }
}
