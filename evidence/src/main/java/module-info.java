/**
 * pathprobe's recorder and replayer: a tracer's measurements written to a versioned NDJSON file with everything the
 * engine took from outside, and replayed from it with no probe and no lookup to the same result
 * ({@code PathTracerBuilder.record}, {@code PathTracer.replay}; their API is {@code io.pathprobe.evidence}, in
 * {@code io.pathprobe.api}). Found by {@code io.pathprobe.core} through {@link java.util.ServiceLoader}: an application
 * adds the artifact (pathprobe-evidence) and needs no {@code requires} (service binding resolves this module and
 * jackson-databind, which recordings are written and read with). Without it, recording and replay throw
 * {@code io.pathprobe.RecordingException} naming the artifact. Exports {@code io.pathprobe.jackson}
 * ({@code PathProbeJacksonModule}: results in an application's own Jackson {@code ObjectMapper}).
 */
module io.pathprobe.evidence {
    requires io.pathprobe.core;
    requires static org.jspecify;
    requires transitive com.fasterxml.jackson.databind;

    exports io.pathprobe.jackson;

    provides io.pathprobe.core.internal.record.spi.Evidence with io.pathprobe.evidence.internal.JacksonEvidence;
}
