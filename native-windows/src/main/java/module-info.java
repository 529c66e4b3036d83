/** pathprobe's Windows probe transport (a placeholder today), found through {@link java.util.ServiceLoader}. */
module io.pathprobe.windows {
    requires io.pathprobe.api;
    requires static org.jspecify;

    provides io.pathprobe.spi.ProbeTransportProvider with io.pathprobe.windows.WindowsIcmpEchoProvider;
}
