package io.pathprobe.core.internal.enrich;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Type;

/**
 * Host names by PTR: {@code d.c.b.a.in-addr.arpa} for IPv4, the 32 reversed nibbles under
 * {@code ip6.arpa} for IPv6. The name is given without the trailing dot; with several PTR records, the
 * first in the answer. A PTR may be reached through a CNAME (RFC 2317 classless delegation): the
 * server's answer section carries both, and the TTL is the smaller.
 */
public final class ReverseDns {
    private final DnsClient dns;

    ReverseDns(DnsClient dns) {
        this.dns = dns;
    }

    /** The reverse name of {@code address}, e.g. {@code 1.2.0.192.in-addr.arpa.}. */
    public static Name reverseName(InetAddress address) {
        return ReverseMap.fromAddress(address);
    }

    /** Looks up the host name of {@code address}; fails with a {@link DnsException}. */
    public CompletableFuture<Timed<String>> lookup(InetAddress address) {
        return dns.query(reverseName(address), Type.PTR).thenApply(r -> {
            for (Record rec : r.records()) {
                if (rec instanceof PTRRecord ptr) {
                    return Timed.found(ptr.getTarget().toString(true), r.ttl());
                }
            }
            return Timed.<String>notFound(r.ttl());
        });
    }
}
