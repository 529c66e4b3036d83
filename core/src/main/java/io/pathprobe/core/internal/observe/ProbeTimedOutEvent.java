package io.pathprobe.core.internal.observe;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

@Name("io.pathprobe.ProbeTimedOut")
@Label("Probe Timed Out")
@Description("A probe was given up: no answer within its wait")
final class ProbeTimedOutEvent extends ProbeEvent {
    @Label("Waited")
    @Description("The wait that applied (adaptive waits may be shorter than the probe timeout)")
    @Timespan(Timespan.NANOSECONDS)
    long waited;
}
