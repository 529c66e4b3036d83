package io.pathprobe.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of pathprobe's own {@code trace --json} document (docs/output-formats.md, "The trace
 * document") that the lab's tests and the benchmark judge a command-line trace by: per hop its TTL,
 * the address shown, the RTTs shown and the loss the trace claimed there. Read with the lab's small
 * JSON reader, so a test or the benchmark can parse a CLI process's output without the CLI's classes.
 *
 * <pre>{@code
 * TraceJson t = TraceJson.parse(stdoutOfPathprobeTraceJson);
 * assertThat(t.lossClaimed()).isZero();
 * }</pre>
 *
 * @param status the trace's {@code status} ({@code DESTINATION_REACHED}, ...)
 * @param destinationReached {@code destinationReached}
 * @param durationMs {@code durationMs}, the trace's own time (the process's is longer: the JVM's start)
 * @param hops {@code hops}, TTL order
 * @param tcpConfirmations {@code tcpConfirmations}: TCP probes a UDP trace sent (asked for: {@code --tcp-confirm})
 */
public record TraceJson(String status, boolean destinationReached, double durationMs, List<Hop> hops,
        int tcpConfirmations) {
    public TraceJson {
        hops = List.copyOf(hops);
    }

    /**
     * One hop of the document.
     *
     * @param ttl {@code ttl}
     * @param address {@code address}: the responder shown, empty when the hop is shown silent
     * @param rtts how many RTTs the hop shows ({@code rtts})
     * @param sent {@code sent}
     * @param received {@code received}
     * @param forwardLost {@code forwardLost}: probes the trace says were lost on the way there
     * @param backwardLost {@code backwardLost}: answers the trace says were lost on the way back
     * @param statuses every probe's {@code status}, attempt order
     * @param undecided {@code undecided}: lost probes a refusal is not excluded for (issue 68), the loss a bound
     * @param rateLimited {@code rateLimited}: probes a responder shown to limit left unanswered
     * @param lossLow {@code lossLow}, the least loss the evidence allows
     * @param loss {@code loss} ({@code lossHigh}), the most
     */
    public record Hop(int ttl, Optional<String> address, int rtts, int sent, int received, int forwardLost,
            int backwardLost, List<String> statuses, int undecided, int rateLimited, double lossLow, double loss) {
        public Hop {
            statuses = List.copyOf(statuses);
        }

        /** Forward and backward loss claimed at this hop: what the evidence decided (undecided misses are not). */
        public int lossClaimed() {
            return forwardLost + backwardLost - undecided;
        }

        @Override
        public String toString() {
            String loss = forwardLost + backwardLost == 0 ? ""
                    : " (loss: " + forwardLost + " forward, " + backwardLost + " backward"
                            + (undecided > 0 ? ", " + undecided + " undecided" : "") + ")";
            return ttl + " " + address.orElse("*") + " rtts=" + rtts + " sent=" + sent + " received=" + received + loss
                    + (rateLimited > 0 ? " (rate-limited: " + rateLimited + ")" : "")
                    + " " + statuses;
        }
    }

    /**
     * Parses one trace document.
     *
     * @throws IllegalArgumentException if the text is not JSON or not a trace document
     */
    @SuppressWarnings("unchecked")
    public static TraceJson parse(String json) {
        Object top = MiniJson.parse(json.strip());
        if (!(top instanceof Map<?, ?> doc) || !(doc.get("hops") instanceof List<?> hopList)) {
            throw new IllegalArgumentException("not a trace document (no hops): " + abbreviate(json));
        }
        List<Hop> hops = new ArrayList<>();
        for (Object o : hopList) {
            Map<String, Object> h = (Map<String, Object>) o;
            List<String> statuses = new ArrayList<>();
            if (h.get("probes") instanceof List<?> probes) {
                for (Object p : probes) {
                    Object s = ((Map<String, Object>) p).get("status");
                    statuses.add(s == null ? "null" : s.toString());
                }
            }
            Object rtts = h.get("rtts");
            hops.add(new Hop(number(h, "ttl"), Optional.ofNullable((String) h.get("address")),
                    rtts instanceof List<?> l ? l.size() : 0, number(h, "sent"), number(h, "received"),
                    number(h, "forwardLost"), number(h, "backwardLost"), statuses, number(h, "undecided"),
                    number(h, "rateLimited"), real(h, "lossLow"), real(h, "loss")));
        }
        Object reached = doc.get("destinationReached");
        Object duration = doc.get("durationMs");
        return new TraceJson(String.valueOf(doc.get("status")), Boolean.TRUE.equals(reached),
                duration instanceof Double d ? d : Double.NaN, hops,
                doc.get("tcpConfirmations") instanceof Double c ? (int) Math.round(c) : 0);
    }

    /** Forward and backward loss claimed over every hop (decided: {@link Hop#lossClaimed()}). */
    public int lossClaimed() {
        return hops.stream().mapToInt(Hop::lossClaimed).sum();
    }

    /** The hops below {@code destinationTtl} (the routers') that show no address. */
    public List<Integer> routersWithoutAddress(int destinationTtl) {
        List<Integer> out = new ArrayList<>();
        for (int ttl = 1; ttl < destinationTtl; ttl++) {
            int t = ttl;
            if (hops.stream().noneMatch(h -> h.ttl() == t && h.address().isPresent())) {
                out.add(ttl);
            }
        }
        return out;
    }

    /** The hop at {@code ttl}, if the document has one. */
    public Optional<Hop> hop(int ttl) {
        return hops.stream().filter(h -> h.ttl() == ttl).findFirst();
    }

    private static double real(Map<String, Object> m, String key) {
        return m.get(key) instanceof Double d ? d : 0;
    }

    private static int number(Map<String, Object> m, String key) {
        return m.get(key) instanceof Double d ? (int) Math.round(d) : 0;
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(status + (destinationReached ? " (reached)" : "") + String.format(
                java.util.Locale.ROOT, " %.0f ms", durationMs));
        hops.forEach(h -> b.append("\n  ").append(h));
        return b.toString();
    }
}
