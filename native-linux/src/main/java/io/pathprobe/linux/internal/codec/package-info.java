/**
 * Not API: the Linux transports' packet codecs: ICMP echo, UDP and TCP probes written whole for raw sockets, the
 * quoted headers of ICMP errors and the keys that match an answer to the probe it quotes.
 */
@NullMarked
package io.pathprobe.linux.internal.codec;

import org.jspecify.annotations.NullMarked;
