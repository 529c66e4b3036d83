/**
 * Linux probe transports: {@link io.pathprobe.linux.IcmpDatagramTransportProvider} (unprivileged ping
 * sockets), {@link io.pathprobe.linux.RawIcmpTransportProvider} (raw ICMP, CAP_NET_RAW) and
 * {@link io.pathprobe.linux.UdpRecverrTransportProvider} (UDP with IP_RECVERR, unprivileged), found
 * through {@link java.util.ServiceLoader}. Sockets are made with jnr-ffi (per-packet TTL, error
 * queues and kernel timestamps are beyond the JDK and Netty) and served by one Netty epoll thread
 * per open transport.
 */
@NullMarked
package io.pathprobe.linux;

import org.jspecify.annotations.NullMarked;
