package io.pathprobe.core.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import org.jspecify.annotations.Nullable;

@Name("io.pathprobe.MeasurementEnded")
@Label("Lifecycle Ended")
@Category({"pathprobe", "Measurements"})
@Description("A trace, a ping of one target or a multipath discovery ended")
@StackTrace(false)
final class MeasurementEndedEvent extends jdk.jfr.Event {
    @Label("Kind")
    @Description("trace, ping, multipath, monitor or mtu")
    @Nullable String kind; // null until set (a JFR event's fields are set after it is made)

    @Label("Target")
    @Description("The destination address probed")
    @Nullable String target;

    @Label("Transport")
    @Nullable String transport;

    @Label("Status")
    @Description("How it ended: the result's status (e.g. DESTINATION_REACHED, COMPLETED, CANCELLED), or FAILED")
    @Nullable String status;

    @Label("Probes")
    @Description("Probes it sent")
    long probes;
}
