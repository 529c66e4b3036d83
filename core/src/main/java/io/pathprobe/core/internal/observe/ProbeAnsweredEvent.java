package io.pathprobe.core.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import org.jspecify.annotations.Nullable;

@Name("io.pathprobe.ProbeAnswered")
@Label("Probe Answered")
@Category({"pathprobe", "Probes"})
@Description("An answer decided a probe that was waiting for one")
@StackTrace(false)
@Enabled(false) // one per probe: recorded only when a recording asks for it by name
final class ProbeAnsweredEvent extends jdk.jfr.Event {
    @Label("Kind")
    @Description("trace, ping, multipath, monitor or mtu")
    @Nullable String kind; // null until set (a JFR event's fields are set after it is made)

    @Label("Destination")
    @Nullable String destination;

    @Label("TTL")
    int ttl;

    @Label("RTT")
    @Timespan(Timespan.NANOSECONDS)
    long rtt;

    @Label("Responder")
    @Description("The address that answered")
    @Nullable String responder;

    @Label("Response")
    @Description("ECHO_REPLY, TIME_EXCEEDED, DESTINATION_UNREACHABLE, PACKET_TOO_BIG, "
            + "TCP_SYN_ACK, TCP_RESET or TCP_ACK")
    @Nullable String response;
}
