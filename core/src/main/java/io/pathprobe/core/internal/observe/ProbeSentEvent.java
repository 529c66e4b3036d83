package io.pathprobe.core.internal.observe;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

@Name("io.pathprobe.ProbeSent")
@Label("Probe Sent")
@Description("A probe was handed to the transport")
final class ProbeSentEvent extends ProbeEvent {
    @Label("Sequence")
    @Description("The probe's sequence number on its session")
    int sequence;

    @Label("Flow")
    @Description("The flow identifier for explicit flows, -1 otherwise")
    int flow;
}
