/**
 * pathprobe's Linux probe transports, found through {@link java.util.ServiceLoader}: this module provides
 * {@code io.pathprobe.spi.ProbeTransportProvider} and exports no transport API: only the libc binding, which jnr-ffi
 * implements when asked to, and {@code io.pathprobe.linux.privilege}, the switch to a named user once the sockets are
 * open that pathprobe's command line and agent make.
 */
@SuppressWarnings("requires-automatic") // jnr-ffi is an automatic module (named by its manifest)
module io.pathprobe.linux {
    requires io.pathprobe.api;
    requires io.pathprobe.nativecommon;
    requires static org.jspecify;

    // only for -Dpathprobe.linux.binding=jnr (libc.JnrBinding): a first trace loads no jnr-ffi class
    requires org.jnrproject.ffi;
    // libc is called through jffi, jnr-ffi's own lower layer, directly (libc.DirectLibC: no generated stub)
    requires org.jnrproject.jffi;
    // jnr-ffi is an automatic module, so it cannot require the ASM module it generates its bindings with: require
    // it here so that the module path needs no --add-modules. asm-util, -commons, -tree and -analysis are left out
    // of the dependency: jnr-ffi references none of them but asm-util, which it loads by name only when its debug
    // dump is switched on
    requires org.objectweb.asm;

    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.transport.unix.common;
    requires io.netty.transport.classes.epoll;
    // the epoll native libraries (resources only): a module nobody requires is not resolved
    requires io.netty.transport.epoll.linux.x86_64;
    requires io.netty.transport.epoll.linux.aarch_64;

    // Not API. jnr-ffi implements the JnrLibC interface with a class it defines in the unnamed module of its own
    // class loader: a qualified export cannot name that module, so the one-interface package is exported to all.
    exports io.pathprobe.linux.internal.libc;
    // Privileges: --user and the agent's user:, after the transports are open
    exports io.pathprobe.linux.privilege;

    provides io.pathprobe.spi.ProbeTransportProvider with
            io.pathprobe.linux.IcmpDatagramTransportProvider,
            io.pathprobe.linux.RawIcmpTransportProvider,
            io.pathprobe.linux.UdpRecverrTransportProvider,
            io.pathprobe.linux.RawUdpTransportProvider,
            io.pathprobe.linux.RawTcpTransportProvider,
            io.pathprobe.linux.TcpConnectTransportProvider,
            io.pathprobe.linux.TcpInConnectionTransportProvider;
}
