package io.pathprobe.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.pathprobe.MeasurementType;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingStatus;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * docs/observability.md's OTLP push: AgentMetrics over a composite of a Prometheus and an OTLP registry, the OTLP
 * one pushing to a receiver on loopback; what arrives has the same meters, with Micrometer's names and units.
 */
class OtlpPushTest {
    @Test
    void theSameMetersArePushedOverOtlpWithMicrometersNames() throws Exception {
        List<byte[]> bodies = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/v1/metrics", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                bodies.add(in.readAllBytes());
                exchange.sendResponseHeaders(200, -1);
            }
        });
        receiver.start();
        try {
            Map<String, String> otlp = Map.of("otlp.url", "http://127.0.0.1:" + receiver.getAddress().getPort()
                    + "/v1/metrics", "otlp.step", "1h");
            OtlpMeterRegistry pushed = new OtlpMeterRegistry(otlp::get, Clock.SYSTEM);
            PrometheusMeterRegistry scraped = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            AgentMetrics metrics = new AgentMetrics(new CompositeMeterRegistry(Clock.SYSTEM, List.of(scraped,
                    pushed)));
            metrics.record(Results.record("core", MeasurementType.TRACE, AgentMetricsTest.DST,
                    AgentMetricsTest.fourHops("198.18.1.1")));
            metrics.record(Results.record("ping", MeasurementType.PING, AgentMetricsTest.DST, new PingResult(
                    List.of(AgentMetricsTest.pinged(0, AgentMetricsTest.DST, 10, 9, 1, 1.5)), PingStatus.COMPLETED,
                    Results.TIME, Duration.ofSeconds(1))));
            assertThat(new Scrape(scraped.scrape()).value("ping_loss_ratio", "target", AgentMetricsTest.DST))
                    .hasValue(0.1);
            pushed.close(); // publishes once more, then stops
        } finally {
            receiver.stop(0);
        }
        Map<String, Metric> metrics = new HashMap<>();
        for (byte[] body : bodies) {
            ExportMetricsServiceRequest r = ExportMetricsServiceRequest.parseFrom(body);
            r.getResourceMetricsList().forEach(rm -> rm.getScopeMetricsList().forEach(sm -> sm.getMetricsList()
                    .forEach(m -> metrics.put(m.getName(), m))));
        }
        assertThat(metrics).containsKeys("ping.rtt.avg", "ping.loss.ratio", "pathprobe.hop.rtt.avg",
                "pathprobe.hop.loss.ratio", "pathprobe.path.id", "pathprobe.path.changes");
        Metric avg = metrics.get("ping.rtt.avg");
        System.out.println("ping.rtt.avg over OTLP: unit " + avg.getUnit() + ", " + avg.getGauge());
        assertThat(avg.getUnit()).isEqualTo("seconds");
        NumberDataPoint p = avg.getGauge().getDataPoints(0);
        assertThat(p.getAsDouble()).isEqualTo(AgentMetricsTest.seconds(1.5));
        assertThat(p.getAttributesList()).extracting(KeyValue::getKey).contains("pathprobe_job", "target");
        assertThat(metrics.get("pathprobe.path.changes").hasSum()).as("a counter is a sum").isTrue();
    }
}
