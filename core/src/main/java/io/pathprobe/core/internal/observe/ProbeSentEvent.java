package io.pathprobe.core.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import org.jspecify.annotations.Nullable;

@Name("io.pathprobe.ProbeSent")
@Label("Probe Sent")
@Category({"pathprobe", "Probes"})
@Description("A probe was handed to the transport")
@StackTrace(false)
@Enabled(false) // one per probe: recorded only when a recording asks for it by name
final class ProbeSentEvent extends jdk.jfr.Event {
    @Label("Kind")
    @Description("trace, ping, multipath, monitor or mtu")
    @Nullable String kind; // null until set (a JFR event's fields are set after it is made)

    @Label("Destination")
    @Nullable String destination;

    @Label("TTL")
    int ttl;

    @Label("Sequence")
    @Description("The probe's sequence number on its session")
    int sequence;

    @Label("Flow")
    @Description("The flow identifier for explicit flows, -1 otherwise")
    int flow;
}
