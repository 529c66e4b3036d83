/**
 * Where protocols part ways: {@link io.pathprobe.compare.CompareRequest} traces one target with ICMP, UDP and
 * TCP Paris flows together and {@link io.pathprobe.compare.CompareResult} says, hop by hop, where their paths
 * part and meet again and after which hop a protocol stops.
 */
@NullMarked
package io.pathprobe.compare;

import org.jspecify.annotations.NullMarked;
