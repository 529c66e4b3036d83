package io.pathprobe.cli;

import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.json.PathProbeJson;

/** The JSON form of a multipath result: {@link PathProbeJson#multipath(MultipathResult)}, the library's one schema. */
final class MultipathJson {
    private MultipathJson() {}

    static String toJson(MultipathResult r) {
        return PathProbeJson.multipath(r);
    }
}
