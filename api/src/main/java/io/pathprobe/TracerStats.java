package io.pathprobe;

import io.pathprobe.enrich.EnrichmentStatistics;
import io.pathprobe.ping.PingStatistics;
import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.TransportCounters;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.util.Text;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
/**
 * What a tracer's engine did since the tracer was built ({@link PathTracer#stats()}): every counter
 * only grows. Each probe sent ends exactly once as answered, timed out or abandoned, so
 * {@code probesSent == answersMatched + timeouts + abandoned + pending}; each answer a transport
 * delivered is exactly one of matched, late or unmatched. Counters are read one after the other
 * while measurements may run, so a snapshot taken mid-measurement may be off by the probes in flight
 * at that instant; with no measurement running it adds up exactly.
 *
 * <p>How these relate to results: a trace's {@link TraceResult#unmatchedReplies()} and a ping's
 * {@link PingStatistics} are per measurement; these are the tracer's totals. A ping probe decided by
 * an ICMP error (lost in {@link PingStatistics#lost()}) counts as answered here; a ping's late answer
 * counts as late (and its probe as a timeout), a duplicate as late too.
 *
 * @param probesSent probes handed to a transport (send failures excluded)
 * @param sendFailures probes the operating system refused (nothing was sent)
 * @param answersMatched answers that decided a probe still waiting for one: a reply, or an ICMP error
 *     (unreachable, time exceeded); one per probe at most
 * @param lateAnswers answers to a probe of ours that was already decided: after it was given up,
 *     a duplicate, or one read after its measurement ended; not the answers beyond the end of a path,
 *     which every healthy trace gets ({@code answersBeyondPath}). (A trace
 *     probe given up and then answered within its probe timeout while the trace still ran, because the
 *     answer was read late or the adaptive wait gave the probe up early, is shown answered in the
 *     result, and counted here and as a timeout.)
 * @param unmatchedAnswers answers the transport delivered that no probe of the measurement could
 *     take: a sequence number never handed out, an answer stamped before its probe left (a forged or
 *     stray packet), and for traces also duplicates (the sum of the traces'
 *     {@link TraceResult#unmatchedReplies()} and of the other measurements' equivalents)
 * @param droppedAnswers what the tracer's transports read and did not deliver to any measurement, by
 *     reason, summed over the transports it opened (a transport that does not count adds nothing;
 *     reasons with no drops may be absent)
 * @param timeouts probes given up: no answer within their wait
 * @param abandoned probes given up without waiting: the measurement ended first (cancelled, deadline,
 *     or a ping stopped with probes outstanding) or the path ended before their TTL (a trace's
 *     probes beyond the destination). A ping probe released early because its session holds no more in
 *     flight is reported lost, and counted as a timeout
 * @param pending probes sent and not yet decided: {@code probesSent - answersMatched - timeouts - abandoned}
 * @param rateLimitWait how long probes waited, in all, for the tracer's packet-rate budget (time
 *     during which at least one probe was ready and the budget held it back)
 * @param rateLimitWaits how many times the budget held probes back
 * @param active measurements running now, by {@link MeasurementType} (every type present, 0 when none). Each counts
 *     under its own type, whatever it runs inside: a traceAll once as {@code traceAll}, a compare once as
 *     {@code compare}, a bufferbloat test as {@code bufferbloat} and its latency pings and traces as {@code ping} and
 *     {@code trace} too
 * @param transports the counters of each transport the tracer opened, by name (empty for a
 *     transport that does not count)
 * @param answersBeyondPath answers to probes abandoned because the path ended before their TTL: a
 *     trace probes every TTL at once, so the probes beyond the destination are answered too (by the
 *     destination), after the trace has no use for them. Normal, unlike {@code lateAnswers}.
 * @param enrichment what the tracer's enrichment caches (host names, AS numbers) did: hits, misses, loads,
 *     failures, evictions and DNS queries sent; {@link EnrichmentStatistics#NONE} for an offline tracer
 */
public record TracerStats(long probesSent, long sendFailures, long answersMatched, long lateAnswers,
        long unmatchedAnswers, Map<DropReason, Long> droppedAnswers, long timeouts, long abandoned, long pending,
        Duration rateLimitWait, long rateLimitWaits, Map<MeasurementType<?, ?>, Integer> active,
        Map<String, TransportCounters> transports, long answersBeyondPath, EnrichmentStatistics enrichment) {

    /** A tracer that did nothing (and an engine that does not count). */
    public static final TracerStats NONE = new TracerStats(0, 0, 0, 0, 0, Map.of(), 0, 0, 0, Duration.ZERO, 0,
            Map.of(), Map.of(), 0, EnrichmentStatistics.NONE);

    /**
     * Checks the components (see the record's description) and copies the maps; {@code active} gets a
     * count of 0 for every kind it lacks.
     *
     * @param probesSent probes handed to a transport (send failures excluded)
     * @param sendFailures probes the operating system refused (nothing was sent)
     * @param answersMatched answers that decided a probe still waiting for one: a reply, or an ICMP error
     *     (unreachable, time exceeded); one per probe at most
     * @param lateAnswers answers to a probe of ours that was already decided: after it was given up, a
     *     duplicate, or one read after its measurement ended; not the answers beyond the end of a path, which
     *     every healthy trace gets ({@code answersBeyondPath}). (A trace probe given up and then answered
     *     within its probe timeout while the trace still ran, because the answer was read late or the
     *     adaptive wait gave the probe up early, is shown answered in the result, and counted here and as a
     *     timeout.)
     * @param unmatchedAnswers answers the transport delivered that no probe of the measurement could take: a
     *     sequence number never handed out, an answer stamped before its probe left (a forged or stray
     *     packet), and for traces also duplicates (the sum of the traces'
     *     {@link TraceResult#unmatchedReplies()} and of the other measurements' equivalents)
     * @param droppedAnswers what the tracer's transports read and did not deliver to any measurement, by
     *     reason, summed over the transports it opened (a transport that does not count adds nothing; reasons
     *     with no drops may be absent)
     * @param timeouts probes given up: no answer within their wait
     * @param abandoned probes given up without waiting: the measurement ended first (cancelled, deadline, or
     *     a ping stopped with probes outstanding) or the path ended before their TTL (a trace's probes beyond
     *     the destination). A ping probe released early because its session holds no more in flight is
     *     reported lost, and counted as a timeout
     * @param pending probes sent and not yet decided:
     *     {@code probesSent - answersMatched - timeouts - abandoned}
     * @param rateLimitWait how long probes waited, in all, for the tracer's packet-rate budget (time during
     *     which at least one probe was ready and the budget held it back)
     * @param rateLimitWaits how many times the budget held probes back
     * @param active measurements running now, by kind (every kind present, 0 when none)
     * @param transports the counters of each transport the tracer opened, by name (empty for a transport that
     *     does not count)
     * @param answersBeyondPath answers to probes abandoned because the path ended before their TTL: a trace
     *     probes every TTL at once, so the probes beyond the destination are answered too (by the
     *     destination), after the trace has no use for them. Normal, unlike {@code lateAnswers}.
     * @param enrichment what the tracer's enrichment caches did; {@link EnrichmentStatistics#NONE} for an offline
     *     tracer
     * @throws NullPointerException if a map, {@code rateLimitWait} or {@code enrichment} is null, or a map holds
     *     null
     * @throws IllegalArgumentException if a counter or {@code rateLimitWait} is negative
     */
    public TracerStats {
        if (probesSent < 0 || sendFailures < 0 || answersMatched < 0 || lateAnswers < 0 || unmatchedAnswers < 0
                || timeouts < 0 || abandoned < 0 || pending < 0 || rateLimitWaits < 0 || answersBeyondPath < 0) {
            throw new IllegalArgumentException("counters must not be negative");
        }
        Objects.requireNonNull(droppedAnswers, "droppedAnswers");
        droppedAnswers = droppedAnswers.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(droppedAnswers));
        Objects.requireNonNull(rateLimitWait, "rateLimitWait");
        if (rateLimitWait.isNegative()) {
            throw new IllegalArgumentException("rateLimitWait must not be negative");
        }
        Map<MeasurementType<?, ?>, Integer> all = new java.util.LinkedHashMap<>();
        for (MeasurementType<?, ?> t : MeasurementType.all()) {
            all.put(t, Objects.requireNonNull(active, "active").getOrDefault(t, 0));
        }
        active = java.util.Collections.unmodifiableMap(all);
        transports = Map.copyOf(transports);
        Objects.requireNonNull(enrichment, "enrichment");
    }

    /** {@return the measurements running now, all kinds together} */
    public int activeMeasurements() {
        return active.values().stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * {@return the measurements of this kind running now}
     *
     * @param kind the kind of measurement
     */
    public int active(MeasurementType<?, ?> kind) {
        return active.getOrDefault(kind, 0);
    }

    /**
     * {@return the answers the transports delivered to measurements: matched, late, beyond the path and
     * unmatched together}
     */
    public long answersDelivered() {
        return answersMatched + lateAnswers + answersBeyondPath + unmatchedAnswers;
    }

    /** {@return all answers the transports dropped, whatever the reason} */
    public long droppedTotal() {
        return droppedAnswers.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * {@return the answers dropped for this reason}
     *
     * @param reason the reason for the drop
     */
    public long dropped(DropReason reason) {
        return droppedAnswers.getOrDefault(reason, 0L);
    }

    /**
     * {@code "probes 1200 sent (0 failed), answers 1190 matched, 2 late, 20 beyond the path, 1 unmatched, 3 dropped;
     * 8 timed out, 0 abandoned, 0 pending; rate-limit waits 4 (12.500 ms); active: 1 trace"}, then
     * each transport's counters.
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("probes ").append(probesSent).append(" sent (").append(sendFailures)
                .append(" failed), answers ").append(answersMatched).append(" matched, ").append(lateAnswers)
                .append(" late, ").append(answersBeyondPath).append(" beyond the path, ").append(unmatchedAnswers)
                .append(" unmatched, ").append(droppedTotal())
                .append(" dropped; ").append(timeouts).append(" timed out, ").append(abandoned).append(" abandoned, ")
                .append(pending).append(" pending; rate-limit waits ").append(rateLimitWaits).append(" (")
                .append(Text.duration(rateLimitWait)).append("); active: ");
        String running = active.entrySet().stream().filter(e -> e.getValue() > 0) // in MeasurementType.all()'s order
                .map(e -> e.getValue() + " " + e.getKey().name())
                .collect(java.util.stream.Collectors.joining(", "));
        b.append(running.isEmpty() ? "none" : running);
        transports.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> b.append("; ").append(e.getKey()).append(": ").append(e.getValue()));
        return b.toString();
    }
}
