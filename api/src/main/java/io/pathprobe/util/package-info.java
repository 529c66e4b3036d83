/**
 * Helpers of the API's own classes (argument checks, text). Not exported: not API.
 */
@NullMarked
package io.pathprobe.util;

import org.jspecify.annotations.NullMarked;
