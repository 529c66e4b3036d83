/**
 * macOS probe transports: {@link io.pathprobe.macos.MacosIcmpDatagramProvider} (unprivileged ICMP
 * datagram sockets on a Netty kqueue loop). Inert on other operating systems: the provider reports
 * itself unavailable with the reason and loads nothing native.
 */
@NullMarked
package io.pathprobe.macos;

import org.jspecify.annotations.NullMarked;
