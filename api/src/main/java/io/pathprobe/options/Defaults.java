package io.pathprobe.options;

import io.pathprobe.enrich.EnrichMode;
import io.pathprobe.probe.IpVersion;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.TrafficClass;
import java.time.Duration;

/**
 * Each request's defaults of the shared options, in one place: a request builder resolves what was set over its
 * line here ({@link ProbeOptions.Common#resolved(ProbeOptions)}). An option left out of a line has no default
 * there: the request decides (a trace's protocol is chosen automatically, its port is each protocol's own; a
 * ping's deadline is none).
 */
public final class Defaults {
    /** A trace's (and a comparison's, a monitor's and a traceAll's traces): TTL 1-30, 3/TTL, 1 s, 30 s. */
    public static final ProbeOptions TRACE = common().firstTtl(1).maxTtl(30).probesPerTtl(3)
            .deadline(Duration.ofSeconds(30)).enrich(EnrichMode.AWAIT).tcpConfirmation(false).build();
    /** A multipath discovery's: UDP, TTL 1-32, 2/TTL, 1 s, 30 s. */
    public static final ProbeOptions MULTIPATH = common().protocol(ProbeProtocol.UDP).firstTtl(1).maxTtl(32)
            .probesPerTtl(2).deadline(Duration.ofSeconds(30)).enrich(EnrichMode.AWAIT).tcpConfirmation(false)
            .build();
    /** An MTU discovery's: port 33434, TTL 1-30, 2/TTL, 1 s, 2 min. */
    public static final ProbeOptions MTU = common().destinationPort(33434).firstTtl(1).maxTtl(30).probesPerTtl(2)
            .deadline(Duration.ofMinutes(2)).build();
    /** A ping's: 1 s per probe, no deadline. */
    public static final ProbeOptions PING = common().build();

    private Defaults() {}

    /** What every request's defaults share: any IP version, 1 s per probe, the tracer's rate, no marking. */
    private static ProbeOptions.Builder common() {
        return ProbeOptions.builder().ipVersion(IpVersion.ANY).probeTimeout(Duration.ofSeconds(1))
                .packetsPerSecond(0).trafficClass(TrafficClass.DEFAULT);
    }
}
