/**
 * The Windows probe transport, {@link io.pathprobe.windows.WindowsIcmpEchoProvider}: ICMP echo
 * through iphlpapi.dll's ICMP API, no administrator rights. Inert on other operating systems.
 */
@NullMarked
package io.pathprobe.windows;

import org.jspecify.annotations.NullMarked;
