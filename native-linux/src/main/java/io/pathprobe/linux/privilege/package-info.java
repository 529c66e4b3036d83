/**
 * Running as a named user once the sockets are open ({@link io.pathprobe.linux.privilege.Privileges}): what
 * {@code pathprobe --user} and the agent's {@code user:} do on Linux. The one package of this module that is API for
 * pathprobe's own command line and agent; applications may call it too.
 */
@NullMarked
package io.pathprobe.linux.privilege;

import org.jspecify.annotations.NullMarked;
