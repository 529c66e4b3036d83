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
 * categories, and the per-probe events off by default.
 */
class JfrEventTypesTest {
    private static List<String> fields(Class<? extends jdk.jfr.Event> c) {
        return EventType.getEventType(c).getFields().stream().map(ValueDescriptor::getName)
                .filter(n -> !List.of("startTime", "duration", "eventThread", "stackTrace").contains(n)).toList();
    }

    @Test
    void eachEventCarriesItsFieldsAndSettings() {
        assertThat(fields(ProbeSentEvent.class)).containsExactly("kind", "destination", "ttl", "sequence", "flow");
        assertThat(fields(ProbeAnsweredEvent.class))
                .containsExactly("kind", "destination", "ttl", "rtt", "responder", "response");
        assertThat(fields(ProbeTimedOutEvent.class)).containsExactly("kind", "destination", "ttl", "waited");
        assertThat(fields(MeasurementStartedEvent.class)).containsExactly("kind", "target", "transport");
        assertThat(fields(MeasurementEndedEvent.class))
                .containsExactly("kind", "target", "transport", "status", "probes");
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
