package io.pathprobe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.compare.CompareRequest;
import io.pathprobe.evidence.Masking;
import io.pathprobe.json.TraceJson;
import io.pathprobe.testing.Samples;
import io.pathprobe.trace.TraceAllRequest;
import io.pathprobe.trace.TraceAllResult;
import io.pathprobe.trace.TraceAllStatus;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one place a measurement kind is named: lookups by name and by request, and the documents. */
class MeasurementTypeTest {
    @Test
    void eachTypeIsFoundByItsNameAndByItsRequestAndNoOtherIs() {
        for (MeasurementType<?, ?> t : MeasurementType.all()) {
            assertThat(MeasurementType.named(t.name())).containsSame(t);
        }
        assertThat(MeasurementType.of(TraceRequest.builder("198.18.0.9").build())).containsSame(MeasurementType.TRACE);
        assertThat(MeasurementType.of(TraceAllRequest.builder(List.of("198.18.0.9")).build()))
                .containsSame(MeasurementType.TRACE_ALL);
        assertThat(MeasurementType.of(CompareRequest.builder("198.18.0.9").build())).containsSame(MeasurementType.COMPARE);
        assertThat(MeasurementType.of("trace")).as("not a request").isEmpty();
        assertThat(MeasurementType.named("Trace")).as("names are exact").isEmpty();
        assertThat(MeasurementType.all()).filteredOn(t -> !t.recordable())
                .containsExactly(MeasurementType.BUFFERBLOAT, MeasurementType.COMPARE);
        assertThat(MeasurementType.all()).extracting(t -> (Object) t.requestType()).doesNotHaveDuplicates()
                .as("every sealed request type has its MeasurementType")
                .containsExactlyInAnyOrderElementsOf(requestClasses(io.pathprobe.options.MeasurementRequest.class));
    }

    /** The concrete request classes below a sealed type, through sealed sub-interfaces such as PathRequest. */
    private static List<Object> requestClasses(Class<?> sealed) {
        List<Object> out = new java.util.ArrayList<>();
        for (Class<?> c : sealed.getPermittedSubclasses()) {
            if (c.isSealed()) {
                out.addAll(requestClasses(c));
            } else {
                out.add(c);
            }
        }
        return out;
    }

    @Test
    void aTypeThatARecordingCannotHoldHasNoMaskedForm() {
        assertThatThrownBy(() -> MeasurementType.BUFFERBLOAT.maskedOf(Samples.bufferbloat().request(),
                Samples.bufferbloat(), Masking.NONE, true)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("a bufferbloat has no masked form: a recording cannot hold one");
        assertThat(MeasurementType.TRACE.treeOf(Samples.trace())).isEqualTo(
                io.pathprobe.json.TraceJson.tree(Samples.trace()));
    }

    @Test
    void theDocumentsAreTheWritersOwnAndAResultOfAnotherTypeIsRefused() {
        TraceResult trace = Samples.trace();
        assertThat(MeasurementType.TRACE.jsonOf(trace.request(), trace)).isEqualTo(TraceJson.write(trace));
        assertThat(MeasurementType.TRACE.maskedOf(trace.request(), trace, Masking.NONE, false))
                .isEqualTo(trace.toString());
        TraceAllRequest all = TraceAllRequest.builder(List.of("198.18.0.9")).build();
        TraceAllResult traced = new TraceAllResult(List.of(trace), TraceAllStatus.COMPLETED, Instant.EPOCH,
                Duration.ofMillis(3), 3, 0, all);
        assertThat(MeasurementType.TRACE_ALL.json(all, traced)).startsWith("[").contains("\"hops\"");
        assertThatThrownBy(() -> MeasurementType.MULTIPATH.jsonOf(trace.request(), trace))
                .isInstanceOf(ClassCastException.class);
    }
}
