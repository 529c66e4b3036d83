package io.pathprobe.report;

import static io.pathprobe.testing.Samples.ip;
import static io.pathprobe.testing.Samples.ms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.evidence.Masking;
import io.pathprobe.json.MtuJson;
import io.pathprobe.mtu.MtuBlackHole;
import io.pathprobe.mtu.MtuHop;
import io.pathprobe.mtu.MtuResult;
import io.pathprobe.probe.MaskStatement;
import io.pathprobe.testing.Samples;
import io.pathprobe.trace.TraceStatus;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The path MTU document read back: written again it is the same bytes, and the report draws the same. */
class MtuDocumentTest {
    /** No black hole, the destination not reached, a silent last hop, nothing resolved. */
    private static MtuResult unreached() {
        return new MtuResult("mtu.lab.example", Optional.empty(), "linux-udp-recverr", TraceStatus.MAX_HOPS_EXCEEDED,
                OptionalInt.empty(), List.of(new MtuHop(1, Optional.of(ip("198.18.0.2")), Optional.of(ms(0.5)), 1500,
                        OptionalInt.empty(), Optional.empty(), false, false),
                        new MtuHop(2, Optional.empty(), Optional.empty(), 1500, OptionalInt.empty(), Optional.empty(),
                                false, false)), OptionalInt.empty(), Optional.empty(), 7, Samples.START, ms(12.3456),
                MaskStatement.NONE);
    }

    @Test
    void everyResultReadsBackToItsBytesAndItsReport() {
        MtuResult sample = Samples.mtu();
        MtuResult masked = Masking.firstHops(5).hiding(List.of(ip("198.19.0.1"))).apply(sample);
        assertThat(masked.masking().active()).isTrue();
        for (MtuResult r : List.of(sample, masked, Masking.firstHops(2).apply(sample), Masking.firstHops(6).apply(sample),
                afterAnAnswer(), Masking.firstHops(6).apply(afterAnAnswer()), unreached())) {
            String doc = MtuJson.write(r);
            MtuResult read = MtuDocument.read(doc);
            assertThat(MtuJson.write(read)).isEqualTo(doc);
            assertThat(read.hops()).isEqualTo(r.hops());
            assertThat(read.blackHole()).isEqualTo(r.blackHole());
            assertThat(HtmlReport.of(read, Masking.NONE)).isEqualTo(HtmlReport.of(r, Masking.NONE));
        }
    }

    /** The sample with hop 5 answering: its black hole names hop 5. */
    private static MtuResult afterAnAnswer() {
        MtuResult s = Samples.mtu();
        List<MtuHop> hops = new java.util.ArrayList<>(s.hops());
        hops.set(4, new MtuHop(5, Optional.of(ip("198.18.0.18")), Optional.of(ms(0.04)), 1280, OptionalInt.empty(),
                Optional.empty(), false, false));
        return new MtuResult(s.target(), s.destination(), s.transport(), s.status(), s.firstLinkMtu(), hops,
                s.pathMtu(), Optional.of(new MtuBlackHole(6, Optional.of(ip("198.18.0.18")), 1200, 1201, false)),
                s.probesSent(), s.startedAt(), s.elapsed(), s.masking());
    }

    @Test
    void aMaskedHopAndBlackHoleReadBackMasked() {
        MtuResult masked = Masking.firstHops(6).apply(afterAnAnswer());
        assertThat(masked.blackHole().orElseThrow().masked()).isTrue();
        MtuResult read = MtuDocument.read(MtuJson.write(masked));
        assertThat(read.hops()).allMatch(MtuHop::masked).isEqualTo(masked.hops());
        assertThat(read.blackHole()).isEqualTo(masked.blackHole());
        assertThat(read.masking()).isEqualTo(masked.masking());
        assertThat(HtmlReport.of(read, Masking.NONE)).contains("vanish after masked");
    }

    @Test
    void whatIsNoPathMtuDocumentIsRefusedSayingWhy() {
        assertThat(Documents.read("{\"target\":\"x\",\"hops\":[]}")).isEmpty();
        assertThat(Documents.read(MtuJson.write(Samples.mtu()))).contains(Samples.mtu());
        assertThat(Documents.read("{\"hops\":")).isEmpty();
        assertThatThrownBy(() -> MtuDocument.read("{\"hops\":")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not JSON");
        String noTtl = MtuJson.write(Samples.mtu()).replaceFirst("\"ttl\" ?: ?1,", "");
        assertThatThrownBy(() -> MtuDocument.read(noTtl)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a path MTU document: no ttl (a whole number)");
    }
}
