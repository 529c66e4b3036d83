package io.pathprobe;

import io.pathprobe.probe.IcmpMessage;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.trace.ProbeResult;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
/** Probe results for API tests. */
final class ApiFixtures {
    private ApiFixtures() {}

    static ProbeResult reply(int ttl, int attempt, InetAddress from, Duration rtt, IcmpMessage icmp,
            boolean fromDestination) {
        ProbeStatus status = icmp.isUnreachable() && !(fromDestination && icmp.isPortUnreachable())
                ? ProbeStatus.UNREACHABLE : ProbeStatus.REPLY;
        return new ProbeResult(ttl, attempt, status, Optional.of(from), Optional.of(rtt), Optional.of(icmp),
                fromDestination, Optional.empty(), OptionalInt.empty(), List.of());
    }

    static ProbeResult timeout(int ttl, int attempt) {
        return of(ttl, attempt, ProbeStatus.TIMEOUT);
    }

    static ProbeResult of(int ttl, int attempt, ProbeStatus status) {
        return new ProbeResult(ttl, attempt, status, Optional.empty(), Optional.empty(), Optional.empty(), false,
                status == ProbeStatus.SEND_FAILED ? Optional.of("sendmsg: EPERM") : Optional.empty(),
                OptionalInt.empty(), List.of());
    }
}
