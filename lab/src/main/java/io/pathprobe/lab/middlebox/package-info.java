/**
 * Middleboxes on the lab's path: routers that forge or mangle answers (chaos, the hostile router), a
 * quote-preserving NAT, per-protocol firewall policies and new-connection limits.
 */
@NullMarked
package io.pathprobe.lab.middlebox;

import org.jspecify.annotations.NullMarked;
