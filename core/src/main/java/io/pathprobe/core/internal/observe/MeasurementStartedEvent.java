package io.pathprobe.core.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import org.jspecify.annotations.Nullable;

@Name("io.pathprobe.MeasurementStarted")
@Label("Lifecycle Started")
@Category({"pathprobe", "Measurements"})
@Description("A trace, a ping of one target or a multipath discovery started probing")
@StackTrace(false)
final class MeasurementStartedEvent extends jdk.jfr.Event {
    @Label("Kind")
    @Description("trace, ping, multipath, monitor or mtu")
    @Nullable String kind; // null until set (a JFR event's fields are set after it is made)

    @Label("Target")
    @Description("The destination address probed")
    @Nullable String target;

    @Label("Transport")
    @Nullable String transport;
}
