/**
 * Code the native transports share, written once: {@link io.pathprobe.nativecommon.InternetChecksum} (RFC 1071
 * arithmetic, the pseudo-header sum and the compensation word that steers a checksum) and
 * {@link io.pathprobe.nativecommon.ReceiveCounters} (what a receive path read, delivered and dropped) and
 * {@link io.pathprobe.nativecommon.IcmpEchoFormat} (the echo request every native transport sends, and the ICMP
 * types they read) and {@link io.pathprobe.nativecommon.SessionOpening} (the checks around opening a session) and
 * {@link io.pathprobe.nativecommon.BoundedWait} (the bounded wait of closing and barriers, which an interrupt does
 * not cut short).
 * Not an API: anything here may change without notice.
 */
@NullMarked
package io.pathprobe.nativecommon;

import org.jspecify.annotations.NullMarked;
