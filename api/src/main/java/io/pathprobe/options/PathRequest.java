package io.pathprobe.options;

import io.pathprobe.probe.IpVersion;
import io.pathprobe.probe.TrafficClass;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A request that probes a path TTL by TTL: a trace, a multipath discovery, a path MTU discovery, a comparison of
 * protocols. Its shared options are read from {@link #options()}, each present: what was given, else the kind's
 * default ({@link Defaults}; each builder's description lists them).
 *
 * @param <R> the result a measurement of it gives
 */
public sealed interface PathRequest<R> extends MeasurementRequest<R>
        permits io.pathprobe.trace.TraceRequest, io.pathprobe.multipath.MultipathRequest,
        io.pathprobe.mtu.MtuRequest, io.pathprobe.compare.CompareRequest {
    /** {@return the host name or literal address as given} */
    String target();

    /** {@return the address given instead of a name, if any} */
    Optional<InetAddress> address();

    /** {@return its one target, as a list: {@code List.of({@link #target()})}} */
    @Override
    default List<String> targets() {
        return List.of(target());
    }

    /** {@return the shared options this request uses, each it has present, for another request to probe alike} */
    ProbeOptions options();

    /** {@return which address family a name resolves to} */
    default IpVersion ipVersion() {
        return options().ipVersion().orElseThrow();
    }

    /** {@return the first TTL probed} */
    default int firstTtl() {
        return options().firstTtl().getAsInt();
    }

    /** {@return the last TTL probed} */
    default int maxTtl() {
        return options().maxTtl().getAsInt();
    }

    /** {@return the probes sent at each TTL (each kind says how it spends them: its builder's setter)} */
    default int probesPerTtl() {
        return options().probesPerTtl().getAsInt();
    }

    /** {@return the longest a probe is waited for} */
    default Duration probeTimeout() {
        return options().probeTimeout().orElseThrow();
    }

    /** {@return the time limit of the whole measurement, name resolution and set-up included} */
    default Duration deadline() {
        return options().deadline().orElseThrow();
    }

    /** {@return the measurement's own probe rate per second, from its first probe (0: the tracer's budget only)} */
    default int packetsPerSecond() {
        return options().packetsPerSecond().getAsInt();
    }

    /** {@return the DSCP and ECN every probe carries} */
    default TrafficClass trafficClass() {
        return options().trafficClass().orElseThrow();
    }
}
