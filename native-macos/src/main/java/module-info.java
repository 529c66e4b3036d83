/** pathprobe's macOS probe transport (a placeholder today), found through {@link java.util.ServiceLoader}. */
module io.pathprobe.macos {
    requires io.pathprobe.api;
    requires static org.jspecify;

    provides io.pathprobe.spi.ProbeTransportProvider with io.pathprobe.macos.MacosIcmpDatagramProvider;
}
