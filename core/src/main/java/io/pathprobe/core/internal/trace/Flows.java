package io.pathprobe.core.internal.trace;

/**
 * The flows of a trace ({@link TraceStrategy}, a monitor's rounds, traceAll).
 *
 * @param count flows the attempts cycle over (1 for one flow)
 * @param explicit whether each probe names its flow ({@link io.pathprobe.spi.FlowPolicy#EXPLICIT})
 * @param known whether the flow of a probe is known (false for classic: the transport varies it)
 */
public record Flows(int count, boolean explicit, boolean known) {
    public static final Flows PARIS = new Flows(1, false, true);
    public static final Flows CLASSIC = new Flows(1, false, false);

    public static Flows explicit(int count) {
        return new Flows(count, true, true);
    }

    int of(int attempt) {
        return known ? attempt % count : -1;
    }
}
