/**
 * An application that records and replays: it requires the API only. pathprobe-core finds the recorder and the
 * replayer through {@link java.util.ServiceLoader}, so on the module path service binding resolves io.pathprobe.evidence
 * (artifact pathprobe-evidence) and, with it, Jackson's module (docs/installation.md, JPMS).
 */
module org.example.recordapp {
    requires io.pathprobe.api;
}
