package io.pathprobe.macos.internal;

import java.util.function.Function;

/**
 * What the transport needs of the operating system: its system calls and a way to start an I/O
 * thread. {@link #darwin()} is the real macOS one; tests build one on a fake kernel.
 *
 * @param sockets the system calls
 * @param loops starts an I/O thread of the given name
 */
public record MacPlatform(MacSockets sockets, Function<String, EventLoop> loops) {

    /**
     * The real platform: libc through jnr-ffi and a Netty kqueue loop. Loads libc (and, once a
     * transport starts its thread, Netty's kqueue library): call it on macOS only.
     *
     * @throws LinkageError or RuntimeException when the native parts cannot be loaded
     */
    public static MacPlatform darwin() {
        return new MacPlatform(new JnrMacSockets(), KqueueEventLoop::new);
    }
}
