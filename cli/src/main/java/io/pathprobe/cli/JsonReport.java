package io.pathprobe.cli;

import io.pathprobe.trace.TraceResult;
import io.pathprobe.json.PathProbeJson;

/** The JSON form of a trace result: {@link PathProbeJson#trace(TraceResult)}, the library's one schema. */
final class JsonReport {
    private JsonReport() {}

    static String toJson(TraceResult r) {
        return PathProbeJson.trace(r);
    }
}
