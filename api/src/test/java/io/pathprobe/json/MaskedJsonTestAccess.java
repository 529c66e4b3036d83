package io.pathprobe.json;

import io.pathprobe.compare.CompareResult;
import java.util.List;

/** The masked-output assertions and samples of this package's tests, for io.pathprobe.evidence's tests. */
public final class MaskedJsonTestAccess {
    private MaskedJsonTestAccess() {}

    public static void assertHides(String out, List<String> hidden) {
        MaskedJsonTest.assertHides(out, hidden);
    }

    public static void assertShows(String out, List<String> shown) {
        MaskedJsonTest.assertShows(out, shown);
    }

    public static CompareResult twoProtocols() {
        return CompareJsonSchemaTest.twoProtocols();
    }

    public static CompareResult remarked() {
        return CompareJsonSchemaTest.remarked();
    }
}
