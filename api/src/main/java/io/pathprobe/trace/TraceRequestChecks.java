package io.pathprobe.trace;

import io.pathprobe.enrich.EnrichMode;
import io.pathprobe.probe.IpVersion;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.TrafficClass;
import io.pathprobe.util.Text;
import java.net.InetAddress;
import java.util.List;

/** {@link TraceRequest}'s checks of its builder's arguments and their combination, its text and its equality. */
final class TraceRequestChecks {
    private TraceRequestChecks() {
    }

    /** Whether {@code a} is of version {@code v} ({@link IpVersion#ANY}: any address is). */
    static boolean matches(InetAddress a, IpVersion v) {
        return v == IpVersion.ANY || (v == IpVersion.IPV6) == (a instanceof java.net.Inet6Address);
    }

    /**
     * Checks the combination of a builder's values, as {@link TraceRequest.Builder#build()} documents.
     *
     * @throws IllegalArgumentException if the TTL range is empty, with several flows in {@link FlowMode#CLASSIC},
     *     with a destination port but neither UDP nor TCP probes, when UDP flows would need ports above 65535, or
     *     with {@link TcpMode#IN_CONNECTION} but no TCP probes, several flows or classic flows
     */
    static void combination(int firstTtl, int maxTtl, List<ProbeProtocol> protocols, int destinationPort, int flows,
            FlowMode flowMode, boolean flowModeGiven, TcpMode tcpMode) {
        if (firstTtl > maxTtl) {
            throw new IllegalArgumentException("firstTtl " + firstTtl + " is beyond maxTtl " + maxTtl);
        }
        if (flows > 1 && flowMode == FlowMode.CLASSIC) {
            throw new IllegalArgumentException("flows(" + flows + ") needs FlowMode.PARIS: classic probes change"
                    + " their flow with every probe");
        }
        if (destinationPort != 0 && !protocols.contains(ProbeProtocol.UDP)
                && !protocols.contains(ProbeProtocol.TCP)) {
            throw new IllegalArgumentException("destinationPort(" + destinationPort
                    + ") applies to UDP and TCP probes; "
                    + "ICMP probes have no port");
        }
        if (tcpMode == TcpMode.IN_CONNECTION) {
            if (!protocols.contains(ProbeProtocol.TCP)) {
                throw new IllegalArgumentException("tcpMode(IN_CONNECTION) applies to TCP probes: "
                        + "protocol(ProbeProtocol.TCP)");
            }
            if (flows > 1 || (flowModeGiven && flowMode == FlowMode.CLASSIC)) {
                throw new IllegalArgumentException("tcpMode(IN_CONNECTION) sends every probe inside one connection,"
                        + " one flow: not with " + (flows > 1 ? "flows(" + flows + ")" : "FlowMode.CLASSIC"));
            }
        }
        int udpPort = destinationPort != 0 ? destinationPort : TraceRequest.DEFAULT_UDP_PORT;
        if (flows > 1 && protocols.contains(ProbeProtocol.UDP) && udpPort + flows - 1 > 65535) {
            throw new IllegalArgumentException("flows(" + flows + ") with UDP probes to port " + udpPort
                    + ": flow f goes to port " + udpPort + " + f, and ports end at 65535 (at most "
                    + (65536 - udpPort) + " flows from this port)");
        }
    }

    /**
     * Whether {@code a} and {@code b} hold equal values of a trace's own (the listener by identity); the shared
     * options are compared as one value by {@link TraceRequest#equals(Object)}.
     */
    static boolean equal(TraceRequest a, TraceRequest b) {
        return a.target().equals(b.target()) && a.address().equals(b.address())
                && a.protocols().equals(b.protocols()) && a.automaticProtocol() == b.automaticProtocol()
                && a.maxInFlight() == b.maxInFlight() && a.sequential() == b.sequential()
                && a.adaptiveWait() == b.adaptiveWait() && a.refillRetry() == b.refillRetry()
                && a.flowMode() == b.flowMode() && a.flowModeGiven() == b.flowModeGiven() && a.flows() == b.flows()
                && a.listener() == b.listener() && a.tcpMode() == b.tcpMode();
    }

    /** {@link TraceRequest#toString()}'s text. */
    static String text(TraceRequest r) {
        return "TraceRequest{" + r.target() + ", "
                + (r.automaticProtocol() ? "automatic " + r.protocols() : r.protocol())
                + ", ttl " + r.firstTtl() + ".." + r.maxTtl()
                + ", " + r.probesPerTtlGiven() + "/hop, timeout " + Text.duration(r.probeTimeout()) + ", deadline "
                + Text.duration(r.deadline())
                + ", inFlight " + r.maxInFlight() + (r.sequential() ? ", sequential" : "")
                + (r.adaptiveWait() ? "" : ", fixed wait") + (r.refillRetry() ? "" : ", no refill retry")
                + (r.tcpConfirmation() ? ", TCP confirmation" : "") + ", "
                + r.flowMode() + (r.flows() > 1 ? " x" + r.flows() : "")
                + (r.ipVersion() == IpVersion.ANY ? "" : ", " + r.ipVersion())
                + (r.destinationPort() != 0 ? ", port " + r.destinationPort() : "")
                + (r.tcpMode() == TcpMode.SYN ? "" : ", TCP " + r.tcpMode())
                + (r.packetsPerSecond() == 0 ? "" : ", " + r.packetsPerSecond() + " pps")
                + (r.trafficClass().equals(TrafficClass.DEFAULT) ? "" : ", " + r.trafficClass())
                + (r.enrich() == EnrichMode.AWAIT ? "" : ", enrich " + r.enrich()) + "}";
    }

    /** {@code value}, if at least 1: "NAME must be at least 1, was VALUE" if not. */
    static int atLeastOne(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
        return value;
    }
}
