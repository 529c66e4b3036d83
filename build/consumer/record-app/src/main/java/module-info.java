/**
 * An application that records and replays: on the module path it requires Jackson's module, which pathprobe-core
 * requires only statically (docs/installation.md, JPMS).
 */
module org.example.recordapp {
    requires io.pathprobe.api;
    requires com.fasterxml.jackson.databind;
}
