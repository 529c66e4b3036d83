package io.pathprobe.core.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.StackTrace;
import org.jspecify.annotations.Nullable;

/**
 * What the per-probe JFR events share: their category, no stack trace, off by default, and the probe's kind,
 * destination and TTL (JFR lists a subclass's own fields before these).
 */
@Category({"pathprobe", "Probes"})
@StackTrace(false)
@Enabled(false) // one per probe: recorded only when a recording asks for it by name
abstract class ProbeEvent extends jdk.jfr.Event {
    @Label("Kind")
    @Description("trace, ping, multipath, monitor or mtu")
    @Nullable String kind; // null until set (a JFR event's fields are set after it is made)

    @Label("Destination")
    @Nullable String destination;

    @Label("TTL")
    int ttl;

    /** Sets the shared fields and commits (the caller has set its own and asked {@code shouldCommit()}). */
    final void commit(String kind, String destination, int ttl) {
        this.kind = kind;
        this.destination = destination;
        this.ttl = ttl;
        commit();
    }
}
