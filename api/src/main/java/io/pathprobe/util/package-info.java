/**
 * Helpers of the API's own classes (argument checks, text, the JSON reader). Exported to the report alone: not API.
 */
@NullMarked
package io.pathprobe.util;

import org.jspecify.annotations.NullMarked;
