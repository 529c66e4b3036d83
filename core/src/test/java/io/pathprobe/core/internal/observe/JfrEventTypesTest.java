package io.pathprobe.core.internal.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import jdk.jfr.Enabled;
import jdk.jfr.EventType;
import jdk.jfr.StackTrace;
import jdk.jfr.ValueDescriptor;
import org.junit.jupiter.api.Test;

/**
 * The JFR events as a recording sees them (docs/observability.md lists them): the fields each carries in order, their
 * categories, and the per-probe events off by default. The order is JFR's: an event's own fields, then those of its
 * base ({@link ProbeEvent}, {@link MeasurementEvent}); a consumer reads a field by name, the order is no contract.
 */
class JfrEventTypesTest {
    private static List<String> fields(Class<? extends jdk.jfr.Event> c) {
        return EventType.getEventType(c).getFields().stream().map(ValueDescriptor::getName)
                .filter(n -> !List.of("startTime", "duration", "eventThread", "stackTrace").contains(n)).toList();
    }

    @Test
    void eachEventCarriesItsFieldsAndSettings() {
        assertThat(fields(ProbeSentEvent.class)).containsExactly("sequence", "flow", "kind", "destination", "ttl");
        assertThat(fields(ProbeAnsweredEvent.class))
                .containsExactly("rtt", "responder", "response", "kind", "destination", "ttl");
        assertThat(fields(ProbeTimedOutEvent.class)).containsExactly("waited", "kind", "destination", "ttl");
        assertThat(fields(MeasurementStartedEvent.class)).containsExactly("kind", "target", "transport");
        assertThat(fields(MeasurementEndedEvent.class))
                .containsExactly("status", "probes", "kind", "target", "transport");
        for (Class<? extends jdk.jfr.Event> c : List.of(ProbeSentEvent.class, ProbeAnsweredEvent.class,
                ProbeTimedOutEvent.class)) {
            EventType t = EventType.getEventType(c);
            assertThat(c.getAnnotation(Enabled.class)).as(t.getName()).extracting(Enabled::value).isEqualTo(false);
            assertThat(t.getCategoryNames()).containsExactly("pathprobe", "Probes");
            assertThat(t.getName()).startsWith("io.pathprobe.Probe");
        }
        for (Class<? extends jdk.jfr.Event> c : List.of(MeasurementStartedEvent.class, MeasurementEndedEvent.class)) {
            EventType t = EventType.getEventType(c);
            assertThat(c.getAnnotation(Enabled.class)).as(t.getName() + " is on by default").extracting(Enabled::value)
                    .isEqualTo(true);
            assertThat(t.getCategoryNames()).containsExactly("pathprobe", "Measurements");
            assertThat(c.getAnnotation(StackTrace.class)).as("no stack trace").extracting(StackTrace::value).isEqualTo(false);
        }
    }
}
