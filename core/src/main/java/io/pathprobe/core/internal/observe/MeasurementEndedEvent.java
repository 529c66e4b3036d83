package io.pathprobe.core.internal.observe;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import org.jspecify.annotations.Nullable;

@Name("io.pathprobe.MeasurementEnded")
@Label("Lifecycle Ended")
@Description("A trace, a ping of one target or a multipath discovery ended")
final class MeasurementEndedEvent extends MeasurementEvent {
    @Label("Status")
    @Description("How it ended: the result's status (e.g. DESTINATION_REACHED, COMPLETED, CANCELLED), or FAILED")
    @Nullable String status; // null until set (a JFR event's fields are set after it is made)

    @Label("Probes")
    @Description("Probes it sent")
    long probes;
}
