/**
 * pathprobe's Windows probe transport (ICMP echo through iphlpapi.dll's ICMP API, no administrator
 * rights), found through {@link java.util.ServiceLoader}: this module provides
 * {@code io.pathprobe.spi.ProbeTransportProvider} and exports no API (only the iphlpapi/kernel32 binding
 * jnr-ffi implements). Inert on other operating systems: nothing native is loaded there.
 */
@SuppressWarnings("requires-automatic") // jnr-ffi is an automatic module (named by its manifest)
module io.pathprobe.windows {
    requires io.pathprobe.api;
    requires io.pathprobe.nativecommon;
    requires static org.jspecify;

    requires org.jnrproject.ffi;
    // jnr-ffi is an automatic module, so it cannot require the ASM module it generates its bindings with.
    // asm-util, -commons, -tree and -analysis are left out of the dependency: jnr-ffi references none of them but
    // asm-util, which it loads by name only when its debug dump is switched on
    requires org.objectweb.asm;

    // Not API. jnr-ffi implements the Iphlpapi and Kernel32 interfaces with classes it defines in the unnamed
    // module of its own class loader: a qualified export cannot name that module, so the package is exported.
    exports io.pathprobe.windows.internal.win32;

    provides io.pathprobe.spi.ProbeTransportProvider with io.pathprobe.windows.WindowsIcmpEchoProvider;
}
