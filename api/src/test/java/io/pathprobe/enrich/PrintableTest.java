package io.pathprobe.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** No control character from enrichment data survives into the records every output prints from. */
class PrintableTest {
    private static final String EVIL = "a\u001b[31mred\u001b]0;title\u0007\r\nb\u007f\u009bc\tü";

    private static void printable(String s) {
        assertThat(s.chars().filter(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f))).isEmpty();
    }

    @Test
    void everyEnrichmentStringIsEscapedAsAPtrNameIs() {
        assertThat(Printable.of(EVIL)).isEqualTo("a\\027[31mred\\027]0;title\\007\\013\\010b\\127\\155c\\009ü");
        Exchange x = new Exchange(EVIL, 1, Optional.of(EVIL), Optional.of(EVIL), "198.18.0.0/24", OptionalLong.of(1),
                Optional.of(EVIL));
        GeoLocation g = new GeoLocation(Optional.of(EVIL), Optional.of(EVIL), Optional.of(EVIL), OptionalDouble.empty(),
                OptionalDouble.empty(), OptionalInt.empty(), "test");
        AsnInfo a = new AsnInfo(64500, Optional.empty(), Optional.of(EVIL), Optional.of(EVIL), Optional.of(EVIL));
        for (String s : new String[] {x.name(), x.city().orElseThrow(), x.country().orElseThrow(),
                x.memberName().orElseThrow(), g.countryCode().orElseThrow(), g.country().orElseThrow(),
                g.city().orElseThrow(), a.name().orElseThrow(), a.country().orElseThrow(), x.toString(), g.toString(),
                a.toString()}) {
            printable(s);
        }
        assertThat(Printable.of("DE-CIX Frankfurt")).isSameAs("DE-CIX Frankfurt".intern());
    }
}
