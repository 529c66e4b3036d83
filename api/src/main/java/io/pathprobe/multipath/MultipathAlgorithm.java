package io.pathprobe.multipath;


import io.pathprobe.PathTracer;
/** How {@link PathTracer#measure PathTracer.measure(MultipathRequest)} decides how many flows to send where. */
public enum MultipathAlgorithm {
    /**
     * The Multipath Detection Algorithm (Augustin, Veitch et al.): every node's successors are probed
     * with flows that reach that node (node control) until the stopping rule rules out one more
     * successor at the requested confidence.
     */
    MDA,
    /**
     * MDA-Lite (Vermeulen et al., IMC 2018): each TTL is topped up to the stopping point of the
     * number of nodes seen there, without node control, as long as a meshing test finds the diamond
     * unmeshed and uniform; where it is meshed or uneven, that part falls back to {@link #MDA}. Fewer
     * probes for the same failure bound on the diamonds real networks mostly have. The default.
     */
    MDA_LITE
}
