/**
 * Enrichment: what turns a list of addresses into an answer. Host names (PTR), AS numbers (Team
 * Cymru's DNS interface behind {@link io.pathprobe.spi.AsnResolver}), this host's public address
 * (STUN, RFC 8489) and the segment of every hop (LAN, ISP, TRANSIT, DESTINATION). Not API.
 *
 * <p>Layout: {@link io.pathprobe.core.internal.enrich.UdpExchanges} does the I/O of an
 * {@link io.pathprobe.core.internal.enrich.Enricher} (DNS queries and STUN transactions, each on its
 * own connected datagram channel) on the tracer's Netty I/O group; {@link io.pathprobe.core.internal.enrich.DnsClient}
 * builds queries and reads answers with dnsjava's message classes (not its resolvers);
 * {@link io.pathprobe.core.internal.enrich.EnrichmentCache} is a Caffeine cache per kind of lookup on
 * the tracer's ticker and executor; {@link io.pathprobe.core.internal.enrich.SegmentClassifier} is a
 * pure function.
 *
 * <p>Threading: no thread of its own: the tracer's one Netty I/O thread, whatever the load; every future it returns is
 * completed on the executor the enricher was given (the tracer's), never on the I/O thread, so user code never
 * runs there.
 */
@NullMarked
package io.pathprobe.core.internal.enrich;

import org.jspecify.annotations.NullMarked;
