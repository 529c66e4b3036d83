/** Servers the lab runs in its namespaces: DNS, STUN, HTTP, responsiveness, Prometheus, a TCP listener. */
@NullMarked
package io.pathprobe.lab.server;

import org.jspecify.annotations.NullMarked;
