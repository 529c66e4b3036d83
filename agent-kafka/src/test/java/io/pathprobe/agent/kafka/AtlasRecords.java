package io.pathprobe.agent.kafka;

import io.pathprobe.MeasurementType;
import io.pathprobe.agent.sink.AgentRecord;
import io.pathprobe.agent.sink.RecordFormat;
import io.pathprobe.ping.PingKind;
import io.pathprobe.ping.PingProbe;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingStatistics;
import io.pathprobe.ping.PingStatus;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.probe.IcmpMessage;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.probe.RttStatistics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The agent's records as a sink receives them: record {@code i} is a three-probe ICMP ping of one of four lab
 * addresses (198.18.0.10 to .13, by {@code i % 4}), started {@code i} seconds after a fixed time, with RTTs
 * that depend on {@code i}, in RIPE Atlas's format ({@link RecordFormat#ATLAS}): one JSON line each, every
 * line different.
 */
final class AtlasRecords {
    static final Instant START = Instant.parse("2026-11-21T10:00:00Z");
    private static final IcmpMessage ECHO_REPLY = new IcmpMessage(0, 0, false);

    private AtlasRecords() {}

    /** {@return record i} */
    static AgentRecord record(int i) {
        String target = "198.18.0." + (10 + i % 4);
        InetAddress address;
        try {
            address = InetAddress.getByName(target); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
        double base = 1 + (i % 997) / 1000.0;
        List<PingProbe> probes = List.of(echo(0, base, address), echo(1, base + 0.25, address),
                echo(2, base + 0.5, address));
        RttStatistics rtt = new RttStatistics(ms(base + 0.5), ms(base), ms(base + 0.25), ms(base + 0.5), ms(0.204));
        PingStatistics stats = new PingStatistics(3, 3, 0, 0, 0, 0, 0, 0, 0.0, Optional.of(rtt),
                Optional.of(ms(0.03125)), 0);
        PingTargetResult t = new PingTargetResult(0, target, Optional.of(address), PingKind.ICMP, "linux-icmp-dgram",
                Optional.empty(), Optional.empty(), stats, probes);
        Instant started = START.plusSeconds(i);
        PingResult result = new PingResult(List.of(t), PingStatus.COMPLETED, started, Duration.ofMillis(2003));
        return new AgentRecord("lab-ping", MeasurementType.PING, target, Map.of("site", "lab"),
                started.plusMillis(2003), result);
    }

    /** {@return record i's line in Atlas's format} */
    static String line(int i) {
        List<String> lines = RecordFormat.ATLAS.lines(record(i));
        if (lines.size() != 1) {
            throw new AssertionError("one Atlas line expected, got " + lines);
        }
        return lines.get(0);
    }

    /** {@return the record number of a line made by {@link #line}} */
    static int index(String line) {
        String key = "\"timestamp\":";
        int at = line.indexOf(key) + key.length();
        int end = at;
        while (Character.isDigit(line.charAt(end))) {
            end++;
        }
        return (int) (Long.parseLong(line.substring(at, end)) - START.getEpochSecond());
    }

    private static PingProbe echo(long seq, double rttMs, InetAddress from) {
        return new PingProbe(seq, ms(seq * 1000.0), ProbeStatus.REPLY, Optional.of(ms(rttMs)), Optional.of(from),
                Optional.of(ECHO_REPLY), OptionalInt.of(58), OptionalInt.of(64), java.util.OptionalInt.empty(), java.util.Optional.empty());
    }

    private static Duration ms(double ms) {
        return Duration.ofNanos(Math.round(ms * 1e6));
    }
}
