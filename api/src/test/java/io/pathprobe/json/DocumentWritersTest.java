package io.pathprobe.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.monitor.MonitorPath;
import io.pathprobe.monitor.MonitorRound;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.testing.Samples;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each document's writer and {@link PathProbeJson}, which hands over to it: the same versions, the same text. */
class DocumentWritersTest {
    @Test
    void theFacadesVersionsAreTheWritersOwn() {
        assertThat(PathProbeJson.TRACE_SCHEMA_VERSION).isEqualTo(TraceJson.SCHEMA_VERSION);
        assertThat(PathProbeJson.PING_SCHEMA_VERSION).isEqualTo(PingJson.SCHEMA_VERSION);
        assertThat(PathProbeJson.MULTIPATH_SCHEMA_VERSION).isEqualTo(MultipathJson.SCHEMA_VERSION);
        assertThat(PathProbeJson.BUFFERBLOAT_SCHEMA_VERSION).isEqualTo(BufferbloatJson.SCHEMA_VERSION);
        assertThat(PathProbeJson.MONITOR_SCHEMA_VERSION).isEqualTo(MonitorJson.SCHEMA_VERSION);
        assertThat(PathProbeJson.MONITOR_ROUND_SCHEMA_VERSION).isEqualTo(MonitorJson.ROUND_SCHEMA_VERSION);
        assertThat(PathProbeJson.MTU_SCHEMA_VERSION).isEqualTo(MtuJson.SCHEMA_VERSION);
        assertThat(PathProbeJson.ERROR_SCHEMA_VERSION).isEqualTo(ErrorJson.SCHEMA_VERSION);
    }

    @Test
    void theFacadeWritesWhatEachWriterWrites() throws Exception {
        assertThat(PathProbeJson.trace(Samples.trace())).isEqualTo(TraceJson.write(Samples.trace()));
        assertThat(PathProbeJson.ping(Samples.ping())).isEqualTo(PingJson.write(Samples.ping()));
        PingRequest request = PingRequest.builder().targets("198.18.0.10").payloadSize(100).build();
        assertThat(PathProbeJson.ping(Samples.ping(), request)).isEqualTo(PingJson.write(Samples.ping(), request));
        assertThat(PathProbeJson.multipath(Samples.multipath())).isEqualTo(MultipathJson.write(Samples.multipath()));
        assertThat(PathProbeJson.bufferbloat(Samples.bufferbloat()))
                .isEqualTo(BufferbloatJson.write(Samples.bufferbloat()));
        assertThat(PathProbeJson.monitor(Samples.monitor())).isEqualTo(MonitorJson.write(Samples.monitor()));
        assertThat(PathProbeJson.line(MonitorJson.tree(Samples.monitor())))
                .isEqualTo(MonitorJson.line(Samples.monitor()))
                .doesNotContain("\n");
        MonitorRound round = new MonitorRound(3, Samples.trace(), MonitorPath.NONE, List.of());
        assertThat(PathProbeJson.monitorRound(round)).isEqualTo(MonitorJson.line(round));
        assertThat(PathProbeJson.mtu(Samples.mtu())).isEqualTo(MtuJson.write(Samples.mtu()));
        assertThat(PathProbeJson.error("usage", "bad")).isEqualTo(ErrorJson.write("usage", "bad"));
        assertThat(PathProbeJson.write(ErrorJson.tree("usage", "bad"))).isEqualTo(ErrorJson.write("usage", "bad"));

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
