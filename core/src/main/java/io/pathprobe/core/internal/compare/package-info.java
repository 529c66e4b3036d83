/** Where protocols part ways: the comparison's handle, three Paris traces in one measurement. */
@NullMarked
package io.pathprobe.core.internal.compare;

import org.jspecify.annotations.NullMarked;
