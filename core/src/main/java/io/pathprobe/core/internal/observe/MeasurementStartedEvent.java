package io.pathprobe.core.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

@Name("io.pathprobe.MeasurementStarted")
@Label("Lifecycle Started")
@Category({"pathprobe", "Measurements"})
@Description("A trace, a ping of one target or a multipath discovery started probing")
@StackTrace(false)
final class MeasurementStartedEvent extends jdk.jfr.Event {
    @Label("Kind")
    @Description("trace, ping or multipath")
    String kind;

    @Label("Target")
    @Description("The destination address probed")
    String target;

    @Label("Transport")
    String transport;
}
