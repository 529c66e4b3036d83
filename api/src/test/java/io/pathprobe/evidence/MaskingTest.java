package io.pathprobe.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.testing.Samples;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MaskingTest {
    @Test
    void firstHopsHidesThoseTtlsAndTheSource() {
        Masking m = Masking.firstHops(2);
        assertThat(m.hops()).isEqualTo(2);
        assertThat(m.source()).isTrue();
        assertThat(m.active()).isTrue();
        assertThat(m.hides(0)).isFalse();
        assertThat(m.hides(1)).isTrue();
        assertThat(m.hides(2)).isTrue();
        assertThat(m.hides(3)).isFalse();
        assertThat(Masking.firstHops(0).hides(1)).isFalse();
        assertThat(Masking.firstHops(0).active()).as("--mask 0 hides the source").isTrue();
        assertThat(Masking.NONE.active()).isFalse();
        assertThat(Masking.firstHops(255).hides(255)).isTrue();
    }

    @Test
    void itSaysWhatItHides() {
        assertThat(Masking.firstHops(2)).hasToString("hops 1-2 and the source address masked");
        assertThat(Masking.firstHops(1)).hasToString("hop 1 and the source address masked");
        assertThat(Masking.firstHops(0)).hasToString("the source address masked");
        assertThat(new Masking(3, false, Set.of())).hasToString("hops 1-3 masked");
        assertThat(Masking.NONE).hasToString("nothing masked");
        assertThat(Masking.firstHops(2).hiding(List.of(Samples.ip("198.18.0.1"))).toString())
                .as("the statement never lists the addresses").doesNotContain("198.18.0.1");
    }

    @Test
    void badInputIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> Masking.firstHops(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the hops to mask must be 0 to 255 (the first N TTLs), was -1");
        assertThatThrownBy(() -> Masking.firstHops(256)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was 256");
    }

    @Test
    void redactReplacesWholeAddressesOnly() {
        Masking m = Masking.firstHops(1).hiding(List.of(Samples.ip("198.18.0.1"), Samples.ip("2001:db8::1")));
        assertThat(m.hides(Samples.ip("198.18.0.1"))).isTrue();
        assertThat(m.hides(Samples.ip("198.18.0.10"))).isFalse();
        assertThat(m.redact("198.18.0.1 and 198.18.0.10 and 198.18.0.1.")).isEqualTo("masked and 198.18.0.10 and masked.");
        assertThat(m.redact("from /198.18.0.1:4444")).isEqualTo("from /masked:4444");
        assertThat(m.redact("[2001:db8::1]:3478 2001:db8::10 2001:db8::1")).isEqualTo("[masked]:3478 2001:db8::10 masked");
        assertThat(m.text(Samples.ip("198.18.0.1"))).isEqualTo("masked");
        assertThat(m.text(Samples.ip("198.18.0.2"))).isEqualTo("198.18.0.2");
        assertThat(m.hiding(List.of(Samples.ip("198.18.0.1")))).isSameAs(m);
    }

    @Test
    void learningATraceHidesItsFirstHopsAndThisHostButNotTheDestination() {
        Masking m = MaskedResults.learn(Masking.firstHops(2), Samples.trace());
        assertThat(m.addresses()).containsExactlyInAnyOrder(Samples.ip("192.168.1.1"), Samples.ip("198.18.1.1"),
                Samples.ip("198.18.0.2"), Samples.ip("192.168.1.10"));
        Masking deep = MaskedResults.learn(Masking.firstHops(9), Samples.trace());
        assertThat(deep.hides(Samples.ip("198.51.100.10"))).as("the destination the user named").isFalse();
        assertThat(MaskedResults.learn(Masking.NONE, Samples.trace())).isEqualTo(Masking.NONE);
        Masking shownSource = MaskedResults.learn(new Masking(1, false, Set.of()), Samples.trace());
        assertThat(shownSource.addresses()).containsExactly(Samples.ip("192.168.1.1"));
    }
}
