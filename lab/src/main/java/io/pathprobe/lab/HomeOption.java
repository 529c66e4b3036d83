package io.pathprobe.lab;

/** Options of the home lab ({@link Lab#home(HomeOption...)}). */
public enum HomeOption {
    /**
     * A silent router inside the ISP ({@code agg1.isp.lab.example}, AS 64500) between the CGNAT and
     * the ISP core: both its neighbours are ISP hops, so the "sandwich" rule makes it ISP.
     */
    SILENT_ISP_HOP,
    /**
     * A silent router inside transit ({@code tr2.transit.lab.example}, AS 64501) right before the
     * destination: its neighbours are TRANSIT and DESTINATION, so its segment is UNKNOWN.
     */
    SILENT_TRANSIT_HOP
}
