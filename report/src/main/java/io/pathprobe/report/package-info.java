/**
 * The offline HTML report ({@link io.pathprobe.report.HtmlReport}): a result as one self-contained HTML file that
 * fetches nothing when opened and prints readably.
 */
@NullMarked
package io.pathprobe.report;

import org.jspecify.annotations.NullMarked;
