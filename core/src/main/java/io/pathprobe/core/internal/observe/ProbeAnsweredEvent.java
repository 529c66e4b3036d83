package io.pathprobe.core.internal.observe;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;
import org.jspecify.annotations.Nullable;

@Name("io.pathprobe.ProbeAnswered")
@Label("Probe Answered")
@Description("An answer decided a probe that was waiting for one")
final class ProbeAnsweredEvent extends ProbeEvent {
    @Label("RTT")
    @Timespan(Timespan.NANOSECONDS)
    long rtt;

    @Label("Responder")
    @Description("The address that answered")
    @Nullable String responder; // null until set (a JFR event's fields are set after it is made)

    @Label("Response")
    @Description("ECHO_REPLY, TIME_EXCEEDED, DESTINATION_UNREACHABLE, PACKET_TOO_BIG, "
            + "TCP_SYN_ACK, TCP_RESET or TCP_ACK")
    @Nullable String response;
}
