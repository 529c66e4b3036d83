/**
 * pathprobe's test kit for applications: {@link io.pathprobe.testing.FakeTime} and
 * {@link io.pathprobe.testing.ScriptedTransport}, used in test scope with pathprobe-core (see docs/testing.md).
 */
module io.pathprobe.testing {
    requires transitive io.pathprobe.api;
    // FakeTime is the engine's one loop on fake time (core's VirtualLoop)
    requires io.pathprobe.core;
    requires static org.jspecify;

    exports io.pathprobe.testing;
}
