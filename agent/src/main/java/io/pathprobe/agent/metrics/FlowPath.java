package io.pathprobe.agent.metrics;

import io.pathprobe.check.Assertion.PathId;
import io.pathprobe.probe.AddressText;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceResult;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The path one flow of a trace took: the responder at each TTL from the trace's first hop, {@code null} where
 * none of the flow's probes was answered, without the silent TTLs after the last answer.
 *
 * @param hops the responders' addresses as text (RFC 5952 for IPv6), in TTL order; null for a silent TTL
 * @param reached whether the destination answered one of the flow's probes
 */
record FlowPath(List<@Nullable String> hops, boolean reached) {
    /** The flow label of a classic trace, whose probes change flow one by one. */
    static final String CLASSIC = "classic";

    FlowPath {
        List<@Nullable String> copy = new ArrayList<>(hops);
        while (!copy.isEmpty() && copy.get(copy.size() - 1) == null) {
            copy.remove(copy.size() - 1);
        }
        hops = Collections.unmodifiableList(copy);
    }

    /**
     * {@return each flow's path in {@code trace}, by flow label in flow order} A Paris trace's flows are labelled
     * with their number ({@code "0"} for a trace of one flow), and each TTL's responder for a flow is the address
     * that answered most of the flow's probes there (the first to answer on a tie). A classic trace (its probes
     * carry no flow) is one path labelled {@value #CLASSIC}, each TTL's responder the hop's
     * {@linkplain Hop#address() most frequent one}.
     */
    static Map<String, FlowPath> of(TraceResult trace) {
        TreeSet<Integer> flows = new TreeSet<>();
        for (Hop h : trace.hops()) {
            for (ProbeResult p : h.probes()) {
                p.flow().ifPresent(flows::add);
            }
        }
        Map<String, FlowPath> paths = new LinkedHashMap<>();
        if (flows.isEmpty()) {
            List<@Nullable String> hops = new ArrayList<>();
            for (Hop h : trace.hops()) {
                hops.add(h.address().map(AddressText::of).orElse(null));
            }
            paths.put(CLASSIC, new FlowPath(hops, trace.destinationReached()));
            return paths;
        }
        for (int flow : flows) {
            List<@Nullable String> hops = new ArrayList<>();
            boolean reached = false;
            for (Hop h : trace.hops()) {
                Map<InetAddress, Integer> answers = new LinkedHashMap<>();
                for (ProbeResult p : h.probes()) {
                    if (p.flow().equals(OptionalInt.of(flow)) && p.answered() && p.responder().isPresent()) {
                        answers.merge(p.responder().get(), 1, Integer::sum);
                        reached |= p.fromDestination();
                    }
                }
                hops.add(mostFrequent(answers).map(AddressText::of).orElse(null));
            }
            paths.put(Integer.toString(flow), new FlowPath(hops, reached));
        }
        return paths;
    }

    private static Optional<InetAddress> mostFrequent(Map<InetAddress, Integer> answers) {
        InetAddress best = null;
        int count = 0;
        for (Map.Entry<InetAddress, Integer> e : answers.entrySet()) {
            if (e.getValue() > count) {
                best = e.getKey();
                count = e.getValue();
            }
        }
        return Optional.ofNullable(best);
    }

    /** {@return whether some TTL answered} */
    boolean answered() {
        return !hops.isEmpty();
    }

    /** {@return the hops as the hash reads them: the addresses joined by one space, {@code *} for a silent TTL} */
    String text() {
        StringBuilder b = new StringBuilder();
        for (String h : hops) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(h == null ? "*" : h);
        }
        return b.toString();
    }

    /** {@return the path's id: {@link PathId#idOfText} of its {@link #text()}} */
    long id() {
        return PathId.idOfText(text());
    }

    /**
     * {@return whether this path and {@code other} cannot be the same route} They differ at a TTL where both had
     * an answer, or one reached the destination and the other had an answer past the destination's TTL (the
     * destination moved). A TTL that is silent in either (a lost probe, a router that never answers) differs from
     * nothing, as the monitor counts path changes.
     */
    boolean conflicts(FlowPath other) {
        int common = Math.min(hops.size(), other.hops.size());
        for (int i = 0; i < common; i++) {
            String a = hops.get(i);
            String b = other.hops.get(i);
            if (a != null && b != null && !a.equals(b)) {
                return true;
            }
        }
        return reached && other.hops.size() > hops.size() || other.reached && hops.size() > other.hops.size();
    }

    /** {@return this path with its silent TTLs filled from {@code other}, a path it does not conflict with} */
    FlowPath fill(FlowPath other) {
        int length = reached ? hops.size() : other.reached ? other.hops.size() : Math.max(hops.size(),
                other.hops.size());
        List<@Nullable String> merged = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            String mine = i < hops.size() ? hops.get(i) : null;
            merged.add(mine != null ? mine : i < other.hops.size() ? other.hops.get(i) : null);
        }
        return new FlowPath(merged, reached || other.reached);
    }
}
