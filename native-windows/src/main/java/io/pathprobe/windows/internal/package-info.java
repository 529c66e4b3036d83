/**
 * Implementation of the Windows transport; not an API: anything here may change without notice.
 * Three layers: pure-Java codecs ({@link io.pathprobe.windows.internal.EchoLayouts},
 * {@link io.pathprobe.windows.internal.IcmpStatus}, {@link io.pathprobe.windows.internal.EchoPayload}),
 * the operating-system seam ({@link io.pathprobe.windows.internal.IcmpApi}, whose real implementation
 * {@link io.pathprobe.windows.internal.JnrIcmpApi} is loaded only on Windows), and the transport
 * written against the seam ({@link io.pathprobe.windows.internal.WindowsTransport}).
 */
@NullMarked
package io.pathprobe.windows.internal;

import org.jspecify.annotations.NullMarked;
