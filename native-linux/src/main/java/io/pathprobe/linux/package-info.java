/**
 * Linux probe transports: {@link io.pathprobe.linux.IcmpDatagramTransportProvider} (unprivileged ping
 * sockets), {@link io.pathprobe.linux.RawIcmpTransportProvider} (raw ICMP, CAP_NET_RAW) and
 * {@link io.pathprobe.linux.UdpRecverrTransportProvider} (UDP with IP_RECVERR, unprivileged),
 * {@link io.pathprobe.linux.RawUdpTransportProvider} and {@link io.pathprobe.linux.RawTcpTransportProvider}
 * (UDP and TCP SYN probes written whole through raw sockets, CAP_NET_RAW, Paris flows),
 * {@link io.pathprobe.linux.TcpConnectTransportProvider} (TCP SYN by non-blocking connect(), unprivileged), found
 * through {@link java.util.ServiceLoader}. Sockets are made by calling libc through jffi, jnr-ffi's lower layer
 * (per-packet TTL, error queues and kernel timestamps are beyond the JDK and Netty), and served by one epoll
 * thread of the module's own per open transport.
 *
 * <p>Linux on x86_64 or aarch64 (64-bit).
 * On JDK 22 and later, jffi and Netty load native code: run with
 * {@code --enable-native-access=ALL-UNNAMED} on the class path, or
 * {@code --enable-native-access=io.netty.common,org.jnrproject.jffi} on the module path, to silence the JDK's
 * restricted-method warning (it will become an error in a future JDK).
 */
@NullMarked
package io.pathprobe.linux;

import org.jspecify.annotations.NullMarked;
