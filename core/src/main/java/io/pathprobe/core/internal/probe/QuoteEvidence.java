package io.pathprobe.core.internal.probe;

import io.pathprobe.probe.HeaderChange;
import io.pathprobe.probe.HeaderField;
import io.pathprobe.probe.PacketHeader;
import io.pathprobe.spi.ProbeResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * What an answer's quote says about the probe on its way: the header changes ({@link HeaderChange#between}) and
 * the NAT ID. An MSS clamp changes the TCP checksum too; that part of the change is the clamp's, not a
 * translation's: it is taken out of the NAT ID (RFC 1624's incremental update, undone) and the checksum change is
 * listed only when something else is left in it.
 *
 * @param changes the changes, in header order
 * @param natId the quoted checksum minus the sent one, less what an MSS rewrite explains; -1 when unknown
 */
record QuoteEvidence(List<HeaderChange> changes, int natId) {
    /** The evidence of {@code r}, a probe sent with TTL {@code ttl}. */
    static QuoteEvidence of(ProbeResponse r, int ttl) {
        PacketHeader quoted = r.quotedHeader();
        if (quoted == null) {
            return new QuoteEvidence(List.of(), r.checksumDelta());
        }
        PacketHeader sent = r.sentHeader();
        if (sent != null && unchanged(sent, ttl, quoted)) {
            // nothing to list, and no MSS for a checksum to be rewritten by: what between and the rest would say
            return new QuoteEvidence(List.of(), r.checksumDelta());
        }
        sent = (sent != null ? sent : PacketHeader.of(quoted.ipVersion(), quoted.protocol())).withTtl(ttl);
        List<HeaderChange> changes = HeaderChange.between(sent, quoted);
        int natId = r.checksumDelta();
        if (natId > 0 && sent.tcpMss() >= 0 && quoted.tcpMss() >= 0 && sent.tcpMss() != quoted.tcpMss()) {
            int undone = rewrite(r.quotedChecksum(), quoted.tcpMss(), sent.tcpMss());
            natId = (undone - r.sentChecksum()) & 0xffff;
            if (natId == 0 || undone == r.sentChecksum()) {
                natId = 0;
                changes = without(changes, HeaderField.TRANSPORT_CHECKSUM);
            }
        }
        return new QuoteEvidence(changes, natId);
    }

    /**
     * Whether {@link HeaderChange#between} finds no change from {@code sent} with TTL {@code ttl} to {@code quoted}
     * (every answer through an unchanging path: asked first, so that one allocates nothing), and no MSS differs.
     */
    static boolean unchanged(PacketHeader sent, int ttl, PacketHeader quoted) {
        return same(sent.trafficClass(), quoted.trafficClass())
                && (quoted.ttl() == PacketHeader.UNKNOWN || quoted.ttl() <= ttl)
                && same(sent.ipId(), quoted.ipId()) && same(sent.flowLabel(), quoted.flowLabel())
                && same(sent.totalLength(), quoted.totalLength())
                && (sent.source().isEmpty() || quoted.source().isEmpty()
                        || sent.source().get().equals(quoted.source().get()))
                && (sent.destination().isEmpty() || quoted.destination().isEmpty()
                        || sent.destination().get().equals(quoted.destination().get()))
                && same(sent.sourcePort(), quoted.sourcePort())
                && same(sent.destinationPort(), quoted.destinationPort())
                && same(sent.transportChecksum(), quoted.transportChecksum()) && same(sent.tcpMss(), quoted.tcpMss())
                && (sent.tcpHeaderLength() == PacketHeader.UNKNOWN || quoted.tcpHeaderLength() == PacketHeader.UNKNOWN
                        || sent.tcpOptions().equals(quoted.tcpOptions()));
    }

    /** Unknown on either side, or equal. */
    private static boolean same(int sent, int quoted) {
        return sent == PacketHeader.UNKNOWN || quoted == PacketHeader.UNKNOWN || sent == quoted;
    }

    /** The checksum {@code checksum} after one 16-bit word of the data changed from {@code from} to {@code to}. */
    static int rewrite(int checksum, int from, int to) {
        int sum = (~checksum & 0xffff) + (~from & 0xffff) + (to & 0xffff);
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        return ~sum & 0xffff;
    }

    private static List<HeaderChange> without(List<HeaderChange> changes, HeaderField field) {
        List<HeaderChange> kept = new ArrayList<>(changes.size());
        for (HeaderChange c : changes) {
            if (c.field() != field) {
                kept.add(c);
            }
        }
        return kept;
    }
}
