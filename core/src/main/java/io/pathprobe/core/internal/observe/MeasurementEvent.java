package io.pathprobe.core.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.StackTrace;
import org.jspecify.annotations.Nullable;

/**
 * What the measurement JFR events share: their category, no stack trace, on by default, and the measurement's
 * kind, target and transport (JFR lists a subclass's own fields before these).
 */
@Category({"pathprobe", "Measurements"})
@StackTrace(false)
abstract class MeasurementEvent extends jdk.jfr.Event {
    @Label("Kind")
    @Description("trace, ping, multipath, monitor or mtu")
    @Nullable String kind; // null until set (a JFR event's fields are set after it is made)

    @Label("Target")
    @Description("The destination address probed")
    @Nullable String target;

    @Label("Transport")
    @Nullable String transport;

    /** Sets the shared fields and commits (the caller has set its own and asked {@code shouldCommit()}). */
    final void commit(String kind, String target, String transport) {
        this.kind = kind;
        this.target = target;
        this.transport = transport;
        commit();
    }
}
