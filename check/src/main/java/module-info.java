/**
 * pathprobe's assertions ({@code io.pathprobe.check}): a measurement's result checked against a list of
 * {@link io.pathprobe.check.Assertion}s, each held, failed or not applicable with the evidence in one line, as
 * {@code pathprobe check} prints them. Reads the results of {@code io.pathprobe.api} only.
 */
module io.pathprobe.check {
    requires transitive io.pathprobe.api;
    requires static org.jspecify;

    exports io.pathprobe.check;
}
