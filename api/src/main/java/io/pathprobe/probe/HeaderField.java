package io.pathprobe.probe;

/**
 * A header field a router or middlebox may change on the way ({@link HeaderChange}). Prints as the
 * report names it ({@code DSCP}, {@code ECN}, {@code TTL}, {@code MSS}, ...).
 */
public enum HeaderField {
    /** The DSCP was rewritten or bleached (QoS re-marking). */
    DSCP("DSCP"),
    /** The ECN codepoint was changed: cleared (ECN bleaching) or set to CE (congestion). */
    ECN("ECN"),
    /** The TTL or hop limit arrived higher than it left: a transparent proxy or a TTL-rewriting box. */
    TTL("TTL"),
    /** The IPv4 identification was rewritten (a NAT or a proxy that writes its own). */
    IP_ID("IP ID"),
    /** The IPv6 flow label was rewritten. */
    FLOW_LABEL("flow label"),
    /** The IP packet's length changed (options or padding added or stripped). */
    LENGTH("length"),
    /** The source address was translated (NAT, seen where the quote is not restored). */
    SOURCE_ADDRESS("source"),
    /** The destination address was translated (DNAT, a load balancer). */
    DESTINATION_ADDRESS("destination"),
    /** The source port was translated (NAPT). */
    SOURCE_PORT("source port"),
    /** The destination port was translated (port forwarding, a transparent proxy). */
    DESTINATION_PORT("destination port"),
    /**
     * The transport checksum differs: the packet was rewritten somewhere in its addresses, ports or
     * options, even where the NAT put the quote's addresses back (Dublin traceroute's NAT evidence).
     */
    TRANSPORT_CHECKSUM("checksum"),
    /** The TCP MSS option was rewritten (MSS clamping). */
    TCP_MSS("MSS"),
    /** TCP options were stripped, added or reordered. */
    TCP_OPTIONS("TCP options");

    private final String text;

    HeaderField(String text) {
        this.text = text;
    }

    /** {@return the field's name in reports: {@code DSCP}, {@code ECN}, {@code TTL}, {@code MSS}, ...} */
    @Override
    public String toString() {
        return text;
    }
}
