/**
 * Runners and output parsers of the peer tools the lab compares pathprobe with: traceroute, tracepath, scamper, ping
 * and iperf3.
 */
@NullMarked
package io.pathprobe.lab.runner;

import org.jspecify.annotations.NullMarked;
