package io.pathprobe.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.monitor.MonitorPath;
import io.pathprobe.monitor.MonitorRound;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.testing.Samples;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each document's writer writes one text three ways: as a {@code String}, to an {@code Appendable}, and as its tree
 * through {@link PathProbeJson#write(Object)} ({@link PathProbeJson#line(Object)} for a line).
 */
class DocumentWritersTest {
    @Test
    void eachDocumentsTreeWritesAsItsWriterWritesIt() {
        assertThat(PathProbeJson.write(TraceJson.tree(Samples.trace()))).isEqualTo(TraceJson.write(Samples.trace()));
        assertThat(PathProbeJson.write(MonitorJson.tree(Samples.monitor())))
                .isEqualTo(MonitorJson.write(Samples.monitor()));
        assertThat(PathProbeJson.line(MonitorJson.tree(Samples.monitor())))
                .isEqualTo(MonitorJson.line(Samples.monitor()))
                .doesNotContain("\n");
        MonitorRound round = new MonitorRound(3, Samples.trace(), MonitorPath.NONE, List.of());
        assertThat(MonitorJson.line(round)).doesNotContain("\n").startsWith("{\"schemaVersion\":");
        assertThat(PathProbeJson.write(ErrorJson.tree("usage", "bad"))).isEqualTo(ErrorJson.write("usage", "bad"));
    }

    @Test
    void eachWriterWritesToAnAppendableWhatItReturns() throws Exception {
        PingRequest request = PingRequest.builder().targets("198.18.0.10").payloadSize(100).build();
        StringWriter a = new StringWriter();
        TraceJson.write(Samples.trace(), a);
        assertThat(a).hasToString(TraceJson.write(Samples.trace()));
        StringWriter b = new StringWriter();
        PingJson.write(Samples.ping(), request, b);
        assertThat(b).hasToString(PingJson.write(Samples.ping(), request));
        StringWriter c = new StringWriter();
        MultipathJson.write(Samples.multipath(), c);
        assertThat(c).hasToString(MultipathJson.write(Samples.multipath()));
        StringWriter d = new StringWriter();
        BufferbloatJson.write(Samples.bufferbloat(), d);
        assertThat(d).hasToString(BufferbloatJson.write(Samples.bufferbloat()));
    }
}
