package io.pathprobe.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MarkingTest {
    @Test
    void aToSByteIsItsDscpAndEcn() {
        TrafficClass ef = TrafficClass.of(0xba);
        assertThat(ef.dscp()).isEqualTo(46);
        assertThat(ef.ecn()).isEqualTo(Ecn.ECT_0);
        assertThat(ef.value()).isEqualTo(0xba);
        assertThat(ef).hasToString("DSCP 46 (EF) ECT(0)");
        assertThat(TrafficClass.DEFAULT).hasToString("DSCP 0 (BE) Not-ECT");
        assertThat(TrafficClass.of(3).ecn()).isEqualTo(Ecn.CE);
        for (int v = 0; v < 256; v++) {
            assertThat(TrafficClass.of(v).value()).isEqualTo(v);
        }
    }

    @Test
    void markingsAreEqualExactlyWhenTheirBytesAre() {
        for (int a = 0; a < 256; a++) {
            TrafficClass x = TrafficClass.of(a);
            assertThat(x.hashCode()).isEqualTo(a);
            assertThat(x).isEqualTo(new TrafficClass(a >>> 2, Ecn.of(a & 3))).isNotEqualTo(null).isNotEqualTo(a);
            for (int b = 0; b < 256; b++) {
                assertThat(x.equals(TrafficClass.of(b))).as("%d vs %d", a, b).isEqualTo(a == b);
            }
        }
        assertThat(TrafficClass.dscp(0)).isEqualTo(TrafficClass.DEFAULT);
    }

    @Test
    void dscpNamesAreTheRfcs() {
        assertThat(TrafficClass.parse("EF").dscp()).isEqualTo(46);
        assertThat(TrafficClass.parse("af41").dscp()).isEqualTo(34);
        assertThat(TrafficClass.parse("AF11").dscp()).isEqualTo(10);
        assertThat(TrafficClass.parse("cs1").dscp()).isEqualTo(8);
        assertThat(TrafficClass.parse("CS7").dscp()).isEqualTo(56);
        assertThat(TrafficClass.parse("LE").dscp()).isEqualTo(1);
        assertThat(TrafficClass.parse("46/ect0")).isEqualTo(new TrafficClass(46, Ecn.ECT_0));
        assertThat(TrafficClass.parse("EF,ce").ecn()).isEqualTo(Ecn.CE);
        assertThat(TrafficClass.dscp(34).dscpName()).isEqualTo("AF41");
        assertThat(TrafficClass.dscp(8).dscpName()).isEqualTo("CS1");
        assertThat(TrafficClass.dscp(13).dscpName()).isEqualTo("13");
        assertThat(TrafficClass.dscp(13)).hasToString("DSCP 13 Not-ECT");
        assertThat(Ecn.parse("ECT(1)")).isEqualTo(Ecn.ECT_1);
        assertThat(Ecn.parse("not-ect")).isEqualTo(Ecn.NOT_ECT);
    }

    @Test
    void badMarkingsAreRefusedWithTheirValue() {
        assertThatThrownBy(() -> TrafficClass.of(256)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("256");
        assertThatThrownBy(() -> new TrafficClass(64, Ecn.NOT_ECT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64");
        assertThatThrownBy(() -> TrafficClass.parse("AF51")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AF51");
        assertThatThrownBy(() -> TrafficClass.parse("EF/ect2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ect2");
        assertThatThrownBy(() -> Ecn.of(4)).isInstanceOf(IllegalArgumentException.class);
    }
}
