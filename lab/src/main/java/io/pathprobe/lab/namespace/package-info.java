/** Network-namespace plumbing: running commands in a namespace, the namespaces themselves, processes tied to them. */
@NullMarked
package io.pathprobe.lab.namespace;

import org.jspecify.annotations.NullMarked;
