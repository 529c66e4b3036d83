/**
 * pathprobe's drawings of a result: the path as a graph ({@code io.pathprobe.graph}: Graphviz {@code dot} and SVG)
 * and the offline HTML report ({@code io.pathprobe.report}: one self-contained file, inline SVG and CSS, no request
 * to any server when opened). Reads {@code io.pathprobe.api} alone: it draws results and measures nothing.
 */
module io.pathprobe.report {
    requires transitive io.pathprobe.api;
    requires static org.jspecify;

    exports io.pathprobe.graph;
    exports io.pathprobe.report;
}
