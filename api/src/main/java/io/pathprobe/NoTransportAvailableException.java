package io.pathprobe;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * No probe transport can do what was asked. The message lists every transport that was considered
 * and why it cannot be used; {@link #reasons()} gives the same as data.
 */
public final class NoTransportAvailableException extends PathProbeException {
    private static final long serialVersionUID = 1L;
    private final Map<String, String> reasons;

    public NoTransportAvailableException(String what, Map<String, String> reasons) {
        super(format(what, reasons));
        this.reasons = Map.copyOf(reasons);
    }

    private static String format(String what, Map<String, String> reasons) {
        if (reasons.isEmpty()) {
            return what + ": no probe transport was found (is pathprobe-core with its native modules on the class path?)";
        }
        return what + ":" + reasons.entrySet().stream()
                .map(e -> "\n  - " + e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining());
    }

    /** Transport name to the reason it could not be used. */
    public Map<String, String> reasons() {
        return reasons;
    }

    /** The names of the transports that were considered. */
    public List<String> transports() {
        return List.copyOf(reasons.keySet());
    }
}
