package io.pathprobe.core.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import org.jspecify.annotations.Nullable;

@Name("io.pathprobe.ProbeTimedOut")
@Label("Probe Timed Out")
@Category({"pathprobe", "Probes"})
@Description("A probe was given up: no answer within its wait")
@StackTrace(false)
@Enabled(false) // one per probe: recorded only when a recording asks for it by name
final class ProbeTimedOutEvent extends jdk.jfr.Event {
    @Label("Kind")
    @Description("trace, ping, multipath, monitor or mtu")
    @Nullable String kind; // null until set (a JFR event's fields are set after it is made)

    @Label("Destination")
    @Nullable String destination;

    @Label("TTL")
    int ttl;

    @Label("Waited")
    @Description("The wait that applied (adaptive waits may be shorter than the probe timeout)")
    @Timespan(Timespan.NANOSECONDS)
    long waited;
}
