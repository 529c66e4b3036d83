/**
 * Not API: the Linux transports and their sessions (ICMP datagram, raw ICMP, UDP with IP_RECVERR, raw UDP and TCP,
 * TCP connect, in-connection TCP), the raw sockets they share, and what says which of them this host can open.
 */
@NullMarked
package io.pathprobe.linux.internal.transport;

import org.jspecify.annotations.NullMarked;
