/**
 * What pathprobe's native transports share: the Internet checksum, the receive counters, the ICMP echo format and
 * the checks around opening a session.
 * Internal: its one package is exported to the transport modules only, and nothing in it is API.
 */
module io.pathprobe.nativecommon {
    requires transitive io.pathprobe.api;
    requires static org.jspecify;

    exports io.pathprobe.nativecommon to io.pathprobe.linux, io.pathprobe.macos, io.pathprobe.windows;
}
