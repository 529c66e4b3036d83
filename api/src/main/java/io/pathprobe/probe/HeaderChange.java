package io.pathprobe.probe;

import io.pathprobe.util.Checks;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One field of a probe that a router received changed from what was sent: what tracebox reports per hop.
 * The values are as reports print them: DSCP as its number, ECN as RFC 3168 writes it
 * ({@code ECT(0)}), addresses as {@link AddressText}, checksums as {@code 0x1a2b}, TCP options as the
 * list of their kinds, everything else as a decimal number.
 *
 * @param field the field
 * @param sent its value as the probe left
 * @param seen its value as the router quoted it
 */
public record HeaderChange(HeaderField field, String sent, String seen) {
    /**
     * Checks the components.
     *
     * @param field the field
     * @param sent its value as the probe left
     * @param seen its value as the router quoted it
     * @throws NullPointerException if any is null
     */
    public HeaderChange {
        Checks.nonNull("field", field, "sent", sent, "seen", seen);
    }

    /**
     * {@return the changes between a probe as it was sent and as a router quoted it, in header order; empty
     * when every field known on both sides is as expected} A field unknown on either side is not compared.
     * The TTL is a change only when it was quoted higher than it was sent (every router lowers it by one;
     * a higher one was reset on the way, which a destination's quote shows); the IP header checksum is never
     * compared (it changes with the TTL at every hop).
     *
     * @param sent the probe as it left, as far as known
     * @param quoted the probe as the router received it
     */
    public static List<HeaderChange> between(PacketHeader sent, PacketHeader quoted) {
        List<HeaderChange> changes = new ArrayList<>(2);
        int u = PacketHeader.UNKNOWN;
        if (sent.trafficClass() != u && quoted.trafficClass() != u) {
            TrafficClass a = TrafficClass.of(sent.trafficClass());
            TrafficClass b = TrafficClass.of(quoted.trafficClass());
            if (a.dscp() != b.dscp()) {
                changes.add(new HeaderChange(HeaderField.DSCP, Integer.toString(a.dscp()), Integer.toString(b.dscp())));
            }
            if (a.ecn() != b.ecn()) {
                changes.add(new HeaderChange(HeaderField.ECN, a.ecn().toString(), b.ecn().toString()));
            }
        }
        if (sent.ttl() != u && quoted.ttl() != u && quoted.ttl() > sent.ttl()) {
            changes.add(number(HeaderField.TTL, sent.ttl(), quoted.ttl()));
        }
        compare(changes, HeaderField.IP_ID, sent.ipId(), quoted.ipId());
        compare(changes, HeaderField.FLOW_LABEL, sent.flowLabel(), quoted.flowLabel());
        compare(changes, HeaderField.LENGTH, sent.totalLength(), quoted.totalLength());
        compare(changes, HeaderField.SOURCE_ADDRESS, sent.source(), quoted.source());
        compare(changes, HeaderField.DESTINATION_ADDRESS, sent.destination(), quoted.destination());
        compare(changes, HeaderField.SOURCE_PORT, sent.sourcePort(), quoted.sourcePort());
        compare(changes, HeaderField.DESTINATION_PORT, sent.destinationPort(), quoted.destinationPort());
        if (sent.transportChecksum() != u && quoted.transportChecksum() != u
                && sent.transportChecksum() != quoted.transportChecksum()) {
            changes.add(new HeaderChange(HeaderField.TRANSPORT_CHECKSUM, hex(sent.transportChecksum()),
                    hex(quoted.transportChecksum())));
        }
        compare(changes, HeaderField.TCP_MSS, sent.tcpMss(), quoted.tcpMss());
        if (sent.tcpHeaderLength() != u && quoted.tcpHeaderLength() != u
                && !sent.tcpOptions().equals(quoted.tcpOptions())) {
            changes.add(new HeaderChange(HeaderField.TCP_OPTIONS, sent.tcpOptions().toString(),
                    quoted.tcpOptions().toString()));
        }
        return changes;
    }

    private static void compare(List<HeaderChange> changes, HeaderField field, int sent, int seen) {
        if (sent != PacketHeader.UNKNOWN && seen != PacketHeader.UNKNOWN && sent != seen) {
            changes.add(number(field, sent, seen));
        }
    }

    private static void compare(List<HeaderChange> changes, HeaderField field, Optional<InetAddress> sent,
            Optional<InetAddress> seen) {
        if (sent.isPresent() && seen.isPresent() && !sent.get().equals(seen.get())) {
            changes.add(new HeaderChange(field, AddressText.of(sent.get()), AddressText.of(seen.get())));
        }
    }

    private static HeaderChange number(HeaderField field, int sent, int seen) {
        return new HeaderChange(field, Integer.toString(sent), Integer.toString(seen));
    }

    private static String hex(int value) {
        return String.format("0x%04x", value);
    }

    /** {@return {@code DSCP 46 -> 0}, {@code ECN ECT(0) -> Not-ECT}, {@code MSS 1460 -> 1200}} */
    @Override
    public String toString() {
        return field + " " + sent + " -> " + seen;
    }
}
