package io.pathprobe.bench;

import io.pathprobe.PathTracer;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabBuilder;
import io.pathprobe.lab.MiniJson;
import io.pathprobe.lab.NatKind;
import io.pathprobe.probe.HeaderField;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.TrafficClass;
import io.pathprobe.trace.FirstChange;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What the network did to the marking, read from each router's ICMP quote, against scamper: pathprobe's trace with
 * {@code trafficClass(TrafficClass.of(0xba))} (DSCP 46 EF + ECT(0)) and {@code scamper -O json -p 10000 -c "trace -P
 * <method> -t 186 -w 1 -m 16"} (the same ToS byte; Debian's scamper 20211212), over UDP, TCP and ICMP, on two labs: the
 * middlebox chain ({@code Lab.chain(11).rewriteDscpAt(2, 0).clearEcnAt(4).clampMssAt(6, 1200).natAt(8,
 * QUOTE_PRESERVING).setTtlAt(9, 64)}, as {@code HeaderChangesLabTest}) and a clean 11-hop chain; ICMP rate limits off
 * on both, so repetitions do not starve each other.
 *
 * <p>Per lab and protocol, {@code reps} turns (the order alternates): pathprobe's quoted ToS per TTL (the hop's
 * {@code quotedTrafficClass().value()}, {@code linux-raw-udp}/{@code -tcp}/{@code -icmp}, a warm tracer) and
 * scamper's ({@code icmp_q_tos} of the first reply at each {@code probe_ttl}, a fresh process per trace). Printed:
 * the TTLs where both read a quote and where those bytes are equal, the first TTL where each tool shows the DSCP and
 * the ECN changed (pathprobe's {@code TraceResult.headerChanges()}, scamper's first quote whose DSCP or ECN bits
 * differ from 186's), each tool's wall time (median, min, max) and one turn's quotes side by side. IPv4 only:
 * scamper writes {@code icmp_q_tos} for IPv4 quotes only. trippy, the other tool the issue names, is not packaged for
 * Debian and is not measured.
 *
 * <p>Run from the root namespace as root: it builds each lab, runs itself inside the lab's host namespace and tears
 * the lab down. Argument: {@code [reps]} (default 5).
 */
public final class QuoteComparison {
    private static final TrafficClass MARK = TrafficClass.of(0xba);
    private static final int TCP_PORT = 80;
    private static final int MAX_TTL = 16;
    /** scamper's packets per second: its default, 20, would pace an 11-hop trace to about 550 ms. */
    private static final int SCAMPER_PPS = 10_000;

    private QuoteComparison() {}

    public static void main(String[] args) throws Exception {
        LabRuns.main(args, QuoteComparison::outside, a -> inside(a[1], Integer.parseInt(a[2]), a[3]));
    }

    private static void outside(String[] args) throws Exception {
        int reps = LabRuns.intArg(args, 0, 5);
        System.out.println("trippy: not packaged for Debian (no trippy/trip package), not measured");
        System.out.printf(Locale.ROOT, "load before: %s%n", LabRuns.load());
        for (String name : List.of("middlebox", "clean")) {
            LabBuilder b = Lab.chain(11);
            if (name.equals("middlebox")) {
                b = b.rewriteDscpAt(2, 0).clearEcnAt(4).clampMssAt(6, 1200).natAt(8, NatKind.QUOTE_PRESERVING)
                        .setTtlAt(9, 64);
            }
            try (Lab lab = b.icmpUnlimited("repeated traces of two tools").build()) {
                LabRuns.runInside(lab, QuoteComparison.class, List.of("--inside", name, String.valueOf(reps),
                        lab.destination().getHostAddress()));
            }
        }
        System.out.printf(Locale.ROOT, "load after: %s%n", LabRuns.load());
    }

    /** One tool's turns on one lab and protocol. */
    private static final class Turns {
        final List<Double> ms = new ArrayList<>();
        final Set<String> dscpFirst = new TreeSet<>();
        final Set<String> ecnFirst = new TreeSet<>();
        int quoted;
        /** The first turn's quoted ToS bytes by TTL (empty before it). */
        Map<Integer, Integer> first = Map.of();

        void add(double wall, Map<Integer, Integer> tos, int dscp, int ecn) {
            ms.add(wall);
            quoted += tos.size();
            dscpFirst.add(dscp == 0 ? "none" : String.valueOf(dscp));
            ecnFirst.add(ecn == 0 ? "none" : String.valueOf(ecn));
            if (ms.size() == 1) {
                first = tos;
            }
        }
    }

    private static void inside(String lab, int reps, String target) throws IOException, InterruptedException {
        for (ProbeProtocol protocol : List.of(ProbeProtocol.UDP, ProbeProtocol.TCP, ProbeProtocol.ICMP)) {
            String transport = "linux-raw-" + protocol.name().toLowerCase(Locale.ROOT);
            Turns ours = new Turns();
            Turns theirs = new Turns();
            int both = 0;
            int equal = 0;
            List<String> differing = new ArrayList<>();
            try (PathTracer tracer = PathTracer.builder().offline().preferredTransport(transport).build()) {
                TraceRequest.Builder b = TraceRequest.builder(target).protocol(protocol).maxTtl(MAX_TTL)
                        .trafficClass(MARK);
                TraceRequest request = (protocol == ProbeProtocol.TCP ? b.destinationPort(TCP_PORT) : b).build();
                tracer.trace(request); // warm up
                for (int i = 0; i < reps; i++) {
                    Map<Integer, Integer> p = Map.of(); // both turns run below
                    Map<Integer, Integer> s = Map.of();
                    for (int k = 0; k < 2; k++) {
                        if ((k + i) % 2 == 0) {
                            p = pathprobe(tracer, request, transport, ours);
                        } else {
                            s = scamper(protocol, target, theirs);
                        }
                    }
                    for (Map.Entry<Integer, Integer> e : p.entrySet()) {
                        Integer other = s.get(e.getKey());
                        if (other != null) {
                            both++;
                            if (other.equals(e.getValue())) {
                                equal++;
                            } else if (differing.size() < 5) {
                                differing.add(e.getKey() + ":" + e.getValue() + "/" + other);
                            }
                        }
                    }
                }
            }
            report(lab, protocol, reps, ours, theirs, both, equal, differing);
        }
    }

    private static void report(String lab, ProbeProtocol protocol, int reps, Turns ours, Turns theirs, int both,
            int equal, List<String> differing) {
        System.out.printf(Locale.ROOT, "%s %s: TTL  pathprobe  scamper  (quoted ToS byte, one turn)%n", lab, protocol);
        Set<Integer> ttls = new TreeSet<>(ours.first.keySet());
        ttls.addAll(theirs.first.keySet());
        for (int ttl : ttls) {
            System.out.printf(Locale.ROOT, "  %3d  %9s  %7s%n", ttl, hex(ours.first.get(ttl)),
                    hex(theirs.first.get(ttl)));
        }
        String pd = String.join("/", ours.dscpFirst);
        String sd = String.join("/", theirs.dscpFirst);
        String pe = String.join("/", ours.ecnFirst);
        String se = String.join("/", theirs.ecnFirst);
        double pm = Summary.median(ours.ms);
        double sm = Summary.median(theirs.ms);
        System.out.printf(Locale.ROOT, "%s %s %d reps: agreement %d/%d TTLs; DSCP first changed at %s (pathprobe) "
                + "%s (scamper), ECN at %s / %s; median ms %.1f / %.1f (ratio %.2f)%n", lab, protocol, reps, equal,
                both, pd, sd, pe, se, pm, sm, pm / sm);
        System.out.printf(Locale.ROOT, "RESULT part=quote lab=%s protocol=%s reps=%d both_quoted=%d equal=%d "
                + "pathprobe_quoted=%d scamper_quoted=%d pathprobe_dscp_first=%s scamper_dscp_first=%s "
                + "pathprobe_ecn_first=%s scamper_ecn_first=%s pathprobe_ms=%.1f pathprobe_min_ms=%.1f "
                + "pathprobe_max_ms=%.1f scamper_ms=%.1f scamper_min_ms=%.1f scamper_max_ms=%.1f differing=%s%n", lab,
                protocol, reps, both, equal, ours.quoted, theirs.quoted, pd, sd, pe, se, pm, Summary.min(ours.ms),
                Summary.max(ours.ms), sm, Summary.min(theirs.ms), Summary.max(theirs.ms),
                differing.isEmpty() ? "-" : String.join(",", differing));
    }

    private static String hex(@Nullable Integer tos) {
        return tos == null ? "-" : String.format(Locale.ROOT, "0x%02x", tos);
    }

    /** pathprobe's turn: the quoted ToS byte per TTL, and where its result says DSCP and ECN first changed. */
    private static Map<Integer, Integer> pathprobe(PathTracer tracer, TraceRequest request, String transport,
            Turns turns) {
        long t0 = System.nanoTime();
        TraceResult r = tracer.trace(request);
        double ms = (System.nanoTime() - t0) / 1e6;
        if (!r.transport().equals(transport)) {
            throw new IllegalStateException("pathprobe traced with " + r.transport() + ", not " + transport);
        }
        Map<Integer, Integer> tos = new TreeMap<>();
        for (Hop h : r.hops()) {
            h.quotedTrafficClass().ifPresent(q -> tos.put(h.ttl(), q.value()));
        }
        int dscp = 0;
        int ecn = 0;
        for (FirstChange c : r.headerChanges()) {
            if (c.change().field() == HeaderField.DSCP) {
                dscp = c.ttl();
            } else if (c.change().field() == HeaderField.ECN) {
                ecn = c.ttl();
            }
        }
        turns.add(ms, tos, dscp, ecn);
        return tos;
    }

    /** scamper's turn: {@code icmp_q_tos} of the first reply at each TTL; DSCP and ECN first changed from there. */
    @SuppressWarnings("unchecked")
    private static Map<Integer, Integer> scamper(ProbeProtocol protocol, String target, Turns turns)
            throws IOException, InterruptedException {
        String method = switch (protocol) {
            case UDP -> "udp-paris";
            case TCP -> "tcp -d " + TCP_PORT;
            default -> "icmp-paris";
        };
        String trace = "trace -P " + method + " -t " + MARK.value() + " -w 1 -m " + MAX_TTL;
        List<String> cmd = List.of("scamper", "-O", "json", "-p", String.valueOf(SCAMPER_PPS), "-c", trace, "-i",
                target);
        LabRuns.Ran ran = LabRuns.run(cmd, 2);
        for (String line : ran.out().split("\\R")) {
            if (!line.contains("\"type\":\"trace\"")) {
                continue;
            }
            Map<String, Object> top = MiniJson.object(MiniJson.parse(line.strip()));
            Map<Integer, Integer> tos = new TreeMap<>();
            for (Object o : (List<Object>) top.getOrDefault("hops", List.of())) {
                Map<String, Object> hop = (Map<String, Object>) o;
                if (hop.get("icmp_q_tos") instanceof Number q && hop.get("probe_ttl") instanceof Number ttl) {
                    tos.putIfAbsent(ttl.intValue(), q.intValue());
                }
            }
            int dscp = 0;
            int ecn = 0;
            for (Map.Entry<Integer, Integer> e : tos.entrySet()) {
                if (dscp == 0 && e.getValue() >> 2 != MARK.dscp()) {
                    dscp = e.getKey();
                }
                if (ecn == 0 && (e.getValue() & 3) != (MARK.value() & 3)) {
                    ecn = e.getKey();
                }
            }
            turns.add(ran.ms(), tos, dscp, ecn);
            return tos;
        }
        throw new IllegalStateException("scamper printed no trace (exit " + ran.exit() + "): " + ran.err().strip());
    }
}
