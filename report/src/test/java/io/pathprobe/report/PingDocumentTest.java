package io.pathprobe.report;

import static io.pathprobe.testing.Samples.ip;
import static io.pathprobe.testing.Samples.ms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Exchange;
import io.pathprobe.enrich.GeoLocation;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.evidence.Masking;
import io.pathprobe.json.PingJson;
import io.pathprobe.ping.PingKind;
import io.pathprobe.ping.PingProbe;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingStatistics;
import io.pathprobe.ping.PingStatus;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.testing.Samples;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The ping document read back: written again it is the same bytes, and the report draws the same. */
class PingDocumentTest {
    /** A dead target (every probe lost), and one with every lookup found and a payload size. */
    private static PingResult deadAndFound() {
        PingProbe lost = new PingProbe(0, ms(0), ProbeStatus.TIMEOUT, Optional.empty(), Optional.empty(),
                Optional.empty(), OptionalInt.empty());
        PingTargetResult dead = new PingTargetResult(0, "198.18.9.9", Optional.of(ip("198.18.9.9")), PingKind.ICMP,
                "linux-icmp-dgram", Optional.empty(), Optional.empty(), new PingStatistics(3, 0, 3, 0, 0, 0, 0, 0,
                        1.0, Optional.empty(), Optional.empty(), 0), List.of(lost, lost, lost),
                Lookup.notFound(), Lookup.failed("failed"), Lookup.pending(), Lookup.off());
        PingProbe echo = Samples.echo(0, 4.25, 60);
        PingTargetResult found = new PingTargetResult(1, "198.18.0.10", Optional.of(ip("198.18.0.10")), PingKind.TCP,
                "tcp-connect", Optional.empty(), Optional.empty(), new PingStatistics(1, 1, 0, 0, 0, 0, 0, 0, 0.0,
                        Optional.of(new RttStatistics(ms(4.25), ms(4.25), ms(4.25), ms(4.25), ms(0))),
                        Optional.empty(), 0), List.of(echo), Lookup.found("dst.lab.example"),
                Lookup.found(new AsnInfo(64501, Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty())),
                Lookup.found(new GeoLocation(Optional.of("ZZ"), Optional.of("Lab"), Optional.of("Lab City"),
                        OptionalDouble.of(1.5), OptionalDouble.of(-2.25), OptionalInt.of(50), "lab.mmdb")),
                Lookup.found(new Exchange("LAB-IX", 42, Optional.of("Lab City"), Optional.empty(), "198.18.0.0/24",
                        OptionalLong.of(64501), Optional.empty())));
        return new PingResult(List.of(dead, found), PingStatus.COMPLETED, Samples.START, ms(3000.123456),
                PingRequest.builder("198.18.9.9", "198.18.0.10").payloadSize(100).build());
    }

    /** {@code r} with what the document does not carry as the reader defaults it ({@link PingDocument}). */
    private static PingResult asCarried(PingResult r) {
        return new PingResult(r.targets().stream().map(t -> {
            PingStatistics s = t.statistics();
            Optional<RttStatistics> rtt = s.rtt().map(x -> new RttStatistics(t.recent().stream()
                    .flatMap(p -> p.rtt().stream()).reduce((a, b) -> b).orElse(x.max()), x.min(), x.avg(), x.max(),
                    x.stdDev(), x.percentiles()));
            return new PingTargetResult(t.index(), t.target(), t.address(), t.kind(), t.transport(), t.kindNote(),
                    t.error(), new PingStatistics(s.sent(), s.received(), s.lost(), s.pending(), s.duplicates(),
                            s.late(), s.outOfOrder(), 0, s.loss(), rtt, s.jitter(), s.rateLimited(),
                            s.mayBeRefused()), t.recent(), t.hostname(), t.asn().value().map(a -> Lookup.found(
                                    new AsnInfo(a.number(), a.prefix(), a.name(), Optional.empty(), Optional.empty())))
                            .orElse(t.asn()), t.location(), t.exchange());
        }).toList(), r.status(), r.startedAt(), r.duration(), r.request(), r.masking());
    }

    @Test
    void everyResultReadsBackToItsBytesAndItsReport() {
        List<PingResult> all = List.of(Samples.ping(), Samples.udpPing(), deadAndFound(),
                Masking.firstHops(1).hiding(List.of(ip("198.18.0.1"))).apply(Samples.ping()));
        assertThat(all.get(3).masking().active()).isTrue();
        for (PingResult r : all) {
            String doc = PingJson.write(r);
            PingResult read = PingDocument.read(doc);
            assertThat(PingJson.write(read)).isEqualTo(doc);
            assertThat(read.targets()).hasSameSizeAs(r.targets());
            assertThat(read.masking()).isEqualTo(r.masking());
            assertThat(read.request().payloadSize()).isEqualTo(r.request().payloadSize());
            assertThat(HtmlReport.of(read, Masking.NONE)).isEqualTo(HtmlReport.of(asCarried(r), Masking.NONE));
        }
    }

    @Test
    void theReportDrawsTheLookupsRateLimitedAndLossRead() {
        String html = HtmlReport.of(PingDocument.read(PingJson.write(deadAndFound())), Masking.NONE);
        assertThat(html).contains("dst.lab.example", "AS64501", "LAB-IX", "Lab City", "3 (100.0%)");
        PingStatistics udp = PingDocument.read(PingJson.write(Samples.udpPing())).targets().get(0).statistics();
        assertThat(udp).isEqualTo(Samples.udpPing().targets().get(0).statistics());
    }

    @Test
    void whatIsNoPingDocumentIsRefusedSayingWhy() {
        assertThat(Documents.read(PingJson.write(Samples.ping()))).get().isInstanceOf(PingResult.class);
        String noSent = PingJson.write(Samples.ping()).replaceFirst("\"sent\" ?: ?5,", "");
        assertThatThrownBy(() -> PingDocument.read(noSent)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a ping document: no sent (a whole number)");
        String badKind = PingJson.write(Samples.ping()).replaceFirst("\"icmp\"", "\"smoke\"");
        assertThatThrownBy(() -> PingDocument.read(badKind)).hasMessage("a ping document: 'smoke' is not a PingKind");
    }
}
