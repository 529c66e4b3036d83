/**
 * Not API: the Linux transports' sockets and the libc glue under them: file descriptors, the epoll loop
 * ({@code IoLoop}) and its registrations, send and receive buffers in native memory, errno, socket addresses and
 * options, port reservations and the engine thread's setup.
 */
@NullMarked
package io.pathprobe.linux.internal.socket;

import org.jspecify.annotations.NullMarked;
