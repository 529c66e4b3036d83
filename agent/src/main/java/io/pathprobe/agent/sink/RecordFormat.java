package io.pathprobe.agent.sink;

import io.pathprobe.MeasurementType;
import io.pathprobe.json.AtlasJson;
import io.pathprobe.json.MonitorJson;
import io.pathprobe.json.PathProbeJson;
import io.pathprobe.json.ScamperJson;
import io.pathprobe.monitor.MonitorRound;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.trace.TraceResult;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** How a sink writes the agent's records: each a line of JSON. */
public enum RecordFormat {
    /**
     * pathprobe's own: one line per record, {@code {"record":1,"job":..,"kind":..,"target":..,"labels":{..},
     * "time":..,"result":{..}}} with the measurement's document (docs/output-formats.md) as {@code result}.
     * Every kind.
     */
    PATHPROBE,
    /**
     * RIPE Atlas result records (docs/output-formats.md, "RIPE Atlas"): a trace or a multipath discovery is one
     * traceroute record, a ping one ping record per target pinged with ICMP, UDP or TCP. Monitor rounds, MTU
     * discoveries and DNS or HTTP pings have no Atlas record: they are skipped (counted as not in the format).
     */
    ATLAS,
    /**
     * scamper's {@code -O json} objects (docs/output-formats.md, "scamper JSON"): a trace is one {@code "trace"}
     * object, a multipath discovery one {@code "tracelb"} object, {@code src} the address the route toward the
     * destination leaves from. Other kinds have none: they are skipped (counted as not in the format). No
     * cycle lines: a stream of records has no cycle.
     */
    SCAMPER;

    /** The version of {@link #PATHPROBE}'s record wrapper. */
    public static final int RECORD_VERSION = 1;

    /** {@return the format a configuration names ("pathprobe", "atlas"), whatever the case} */
    public static RecordFormat named(String name) {
        for (RecordFormat f : values()) {
            if (f.name().equalsIgnoreCase(name.strip())) {
                return f;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a record format: pathprobe, atlas or scamper");
    }

    /**
     * {@return the record's lines in this format; empty if the format has no record for it}
     *
     * @param r the record
     */
    public List<String> lines(AgentRecord r) {
        return switch (this) {
            case PATHPROBE -> List.of(PathProbeJson.line(wrapper(r)));
            case ATLAS -> atlas(r.kind(), r.result());
            case SCAMPER -> scamper(r.kind(), r.result());
        };
    }

    private static Map<String, @Nullable Object> wrapper(AgentRecord r) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("record", RECORD_VERSION);
        m.put("job", r.job());
        m.put("kind", r.kind().name());
        m.put("target", r.target());
        m.put("labels", new TreeMap<>(r.labels()));
        m.put("time", r.time().toString());
        if (r.result() instanceof AgentRecord.Failure f) {
            m.put("error", f.error());
        } else {
            // a monitor job's record is a round; the others', the result's own document
            m.put("result", r.kind() == MeasurementType.MONITOR ? MonitorJson.tree((MonitorRound) r.result())
                    : r.kind().treeOf(r.result()));
        }
        return m;
    }

    private static List<String> scamper(MeasurementType<?, ?> kind, Object result) {
        if (result instanceof AgentRecord.Failure) {
            return List.of();
        } else if (kind == MeasurementType.TRACE) {
            TraceResult t = (TraceResult) result;
            return List.of(ScamperJson.trace(t, source(t.destination())));
        } else if (kind == MeasurementType.MULTIPATH) {
            MultipathResult m = (MultipathResult) result;
            return List.of(ScamperJson.tracelb(m, source(Optional.of(m.destination()))));
        }
        return List.of();
    }

    /** The address the route toward {@code destination} leaves from: a connected UDP socket asks, sending nothing. */
    private static @Nullable InetAddress source(Optional<InetAddress> destination) {
        if (destination.isEmpty()) {
            return null;
        }
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(destination.get(), 9);
            InetAddress local = s.getLocalAddress();
            return local == null || local.isAnyLocalAddress() ? null : local;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static List<String> atlas(MeasurementType<?, ?> kind, Object result) {
        if (result instanceof AgentRecord.Failure) {
            return List.of();
        } else if (kind == MeasurementType.TRACE) {
            return List.of(AtlasJson.traceroute((TraceResult) result));
        } else if (kind == MeasurementType.MULTIPATH) {
            return List.of(AtlasJson.multipath((MultipathResult) result));
        } else if (kind == MeasurementType.PING) {
            PingResult p = (PingResult) result;
            List<PingTargetResult> kept = new ArrayList<>();
            for (PingTargetResult t : p.targets()) {
                if (AtlasJson.supports(t.kind())) {
                    kept.add(t);
                }
            }
            if (kept.isEmpty()) {
                return List.of();
            }
            PingResult only = kept.size() == p.targets().size() ? p
                    : new PingResult(kept, p.status(), p.startedAt(), p.duration(), p.request());
            return List.of(AtlasJson.ping(only).split("\n"));
        }
        return List.of();
    }
}
