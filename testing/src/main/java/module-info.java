/**
 * pathprobe's test kit for applications: {@link io.pathprobe.testing.FakeTime} and
 * {@link io.pathprobe.testing.ScriptedTransport}, used in test scope with pathprobe-core (see docs/testing.md).
 */
module io.pathprobe.testing {
    requires transitive io.pathprobe.api;
    requires static org.jspecify;

    exports io.pathprobe.testing;
}
