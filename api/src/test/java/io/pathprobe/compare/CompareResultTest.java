package io.pathprobe.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.enrich.PathContext;
import io.pathprobe.enrich.Responder;
import io.pathprobe.json.CompareJson;
import io.pathprobe.probe.Ecn;
import io.pathprobe.probe.HeaderChange;
import io.pathprobe.probe.HeaderField;
import io.pathprobe.probe.IcmpMessage;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.probe.TrafficClass;
import io.pathprobe.trace.FlowMode;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceAllStatus;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The comparison read from hand-made traces: parting, meeting, stopping, and silence that is neither. */
class CompareResultTest {
    private static final String DEST = "198.19.0.1";
    private static final CompareRequest REQUEST = CompareRequest.of(DEST);

    /**
     * A path: one entry per TTL, an address, "*" for a silent hop (its probe lost) or "*r" for one whose probe its
     * router refused (RATE_LIMITED); the last is the destination if DEST.
     */
    private static TraceResult trace(ProbeProtocol protocol, String... path) {
        List<Hop> hops = new ArrayList<>();
        boolean reached = false;
        for (int i = 0; i < path.length; i++) {
            int ttl = i + 1;
            if (path[i].equals("*r")) {
                ProbeResult refused = new ProbeResult(ttl, 0, ProbeStatus.RATE_LIMITED, Optional.empty(),
                        Optional.empty(), Optional.empty(), false, Optional.empty(), OptionalInt.empty(), List.of());
                hops.add(new Hop(ttl, List.of(refused), List.of(),
                        new HopStatistics(1, 0, 0, 0, 0, 0, Optional.empty(), 1, 0)));
                continue;
            }
            if (path[i].equals("*")) {
                ProbeResult lost = new ProbeResult(ttl, 0, ProbeStatus.TIMEOUT, Optional.empty(), Optional.empty(),
                        Optional.empty(), false, Optional.empty(), OptionalInt.empty(), List.of());
                hops.add(new Hop(ttl, List.of(lost), List.of(), new HopStatistics(1, 0, 1, 0, Optional.empty())));
                continue;
            }
            InetAddress a = ip(path[i]);
            boolean dest = path[i].equals(DEST);
            reached |= dest;
            ProbeResult p = new ProbeResult(ttl, 0, ProbeStatus.REPLY, Optional.of(a), Optional.of(Duration.ofMillis(1)),
                    Optional.of(new IcmpMessage(dest ? 0 : 11, 0, false)), dest, Optional.empty(), OptionalInt.empty(),
                    List.of());
            hops.add(new Hop(ttl, List.of(p), List.of(new Responder(a, 1)),
                    new HopStatistics(1, 1, 0, 0, Optional.empty())));
        }
        return new TraceResult(DEST, Optional.of(ip(DEST)), protocol, "test",
                reached ? TraceStatus.DESTINATION_REACHED : TraceStatus.MAX_HOPS_EXCEEDED, hops, Instant.EPOCH,
                Duration.ofSeconds(1), 0, Optional.empty(), FlowMode.PARIS, 1, PathContext.OFF,
                REQUEST.trace(protocol), Optional.empty());
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static CompareResult compare(TraceResult icmp, TraceResult udp, TraceResult tcp) {
        return CompareResult.of(REQUEST, List.of(icmp, udp, tcp), TraceAllStatus.COMPLETED, Instant.EPOCH,
                Duration.ofSeconds(1));
    }

    private static final String[] MAIN = {"198.18.0.2", "198.18.0.6", "198.18.0.10", "198.18.0.14", DEST};

    @Test
    void oneProtocolOnAnotherBranchPartsAfterTheLastCommonHopAndMeetsAgain() {
        CompareResult r = compare(trace(ProbeProtocol.ICMP, MAIN), trace(ProbeProtocol.UDP, MAIN),
                trace(ProbeProtocol.TCP, "198.18.0.2", "198.18.0.6", "198.18.200.2", "198.18.0.14", DEST));

        assertThat(r.divergences()).hasSize(1);
        Divergence d = r.divergences().get(0);
        assertThat(d.protocols()).containsExactly(ProbeProtocol.TCP);
        assertThat(d.from()).containsExactly(ProbeProtocol.ICMP, ProbeProtocol.UDP);
        assertThat(d.lastCommonTtl()).hasValue(2);
        assertThat(d.lastCommonAddress()).contains(ip("198.18.0.6"));
        assertThat(d.partTtl()).isEqualTo(3);
        assertThat(d.partAddress()).contains(ip("198.18.200.2"));
        assertThat(d.fromPartAddress()).contains(ip("198.18.0.10"));
        assertThat(d.meetTtl()).hasValue(4);
        assertThat(d.fromMeetTtl()).hasValue(4);
        assertThat(d.meetAddress()).contains(ip("198.18.0.14"));
        assertThat(r.stopsAfter(ProbeProtocol.TCP)).isEmpty();
        assertThat(r.samePath()).isFalse();
        assertThat(r.findings()).containsExactly("TCP/443 parts from ICMP, UDP after hop 2 (198.18.0.6) (hop 3: "
                + "198.18.200.2 against 198.18.0.10) and meets them again at hop 4 (198.18.0.14)");
        assertThat(r.toString()).contains("ttl  ICMP", "TCP/443").contains(" 3  198.18.0.10");
    }

    @Test
    void aLongerBranchMeetsAtDifferentTtlsAndTheWalkGoesOnAlignedThere() {
        CompareResult r = compare(trace(ProbeProtocol.ICMP, MAIN), trace(ProbeProtocol.UDP, MAIN),
                trace(ProbeProtocol.TCP, "198.18.0.2", "198.18.200.2", "198.18.200.6", "198.18.0.10", "198.18.0.14",
                        DEST));

        assertThat(r.divergences()).hasSize(1);
        Divergence d = r.divergences().get(0);
        assertThat(d.lastCommonTtl()).hasValue(1);
        assertThat(d.meetTtl()).hasValue(4);
        assertThat(d.fromMeetTtl()).hasValue(3);
        assertThat(r.findings().get(0)).endsWith("meets them again at hop 4 (198.18.0.10, their hop 3)");
    }

    @Test
    void aSilentHopInOneProtocolIsNoDivergence() {
        CompareResult r = compare(trace(ProbeProtocol.ICMP, MAIN),
                trace(ProbeProtocol.UDP, "198.18.0.2", "*", "198.18.0.10", "*", DEST),
                trace(ProbeProtocol.TCP, "*", "198.18.0.6", "*", "198.18.0.14", DEST));

        assertThat(r.divergences()).isEmpty();
        assertThat(r.samePath()).isTrue();
        // the same path is assumed, not seen, where one protocol was silent: the sentence says where
        assertThat(r.findings()).containsExactly("ICMP, UDP, TCP/443 take the same path to the destination wherever "
                + "they answered (silent: UDP at hops 2, 4; TCP/443 at hops 1, 3)");
    }

    @Test
    void aSilentHopWhoseProbesWereRefusedSaysSoAndALostOneDoesNot() {
        // compare's protocols spend the same routers' ICMP budgets at once: a TCP hop the others drained is refused,
        // not lost, and its cell must not read as a plain "*" (closing note 15)
        TraceResult refusedAt3 = trace(ProbeProtocol.TCP, "198.18.0.2", "198.18.0.6", "*r", "198.18.0.14", DEST);
        TraceResult lostAt2 = trace(ProbeProtocol.UDP, "198.18.0.2", "*", "198.18.0.10", "198.18.0.14", DEST);
        String text = compare(trace(ProbeProtocol.ICMP, MAIN), lostAt2, refusedAt3).toString();
        assertThat(text).containsPattern("(?m)^ +3 +198\\.18\\.0\\.10 +198\\.18\\.0\\.10 +\\* \\(rate-limited\\)$");
        assertThat(text).containsPattern("(?m)^ +2 +198\\.18\\.0\\.6 +\\* +198\\.18\\.0\\.6$"); // lost: a plain *
        assertThat(CompareRow.cell(refusedAt3.hop(3).orElseThrow())).isEqualTo("* (rate-limited)");
        assertThat(CompareRow.cell(lostAt2.hop(2).orElseThrow())).isEqualTo("*");
    }

    @Test
    void aProtocolWhoseAnswersEndWhileTheOthersReachTheDestinationStopsThere() {
        CompareResult r = compare(trace(ProbeProtocol.ICMP, MAIN), trace(ProbeProtocol.UDP, MAIN),
                trace(ProbeProtocol.TCP, "198.18.0.2", "198.18.0.6", "198.18.0.10", "198.18.0.14", "*", "*", "*"));

        assertThat(r.divergences()).isEmpty();
        assertThat(r.stopsAfter(ProbeProtocol.TCP)).hasValue(4);
        assertThat(r.stopsAfter(ProbeProtocol.ICMP)).isEmpty();
        assertThat(r.end(ProbeProtocol.TCP).reachedDestination()).isFalse();
        assertThat(r.end(ProbeProtocol.UDP).reachedDestination()).isTrue();
        assertThat(r.findings()).containsExactly(
                "TCP/443 stops after hop 4 (198.18.0.14); ICMP, UDP reach the destination");
        assertThat(r.rows()).hasSize(7);
        assertThat(r.rows().get(5).responders(ProbeProtocol.TCP)).isEmpty();
        assertThat(r.rows().get(5).hop(ProbeProtocol.ICMP)).isEmpty();
    }

    @Test
    void noProtocolStopsWhenNoneReachesTheDestination() {
        String[] cut = {"198.18.0.2", "198.18.0.6", "*", "*"};
        CompareResult r = compare(trace(ProbeProtocol.ICMP, cut), trace(ProbeProtocol.UDP, cut),
                trace(ProbeProtocol.TCP, "198.18.0.2", "*", "*", "*"));

        assertThat(r.ends()).noneMatch(ProtocolEnd::stops);
        assertThat(r.findings()).containsExactly("ICMP, UDP, TCP/443 take the same path wherever they answered "
                + "(silent: TCP/443 at hop 2); none reaches the destination");
    }

    @Test
    void threeWaysApartAreTwoDivergencesFromTheFirstProtocol() {
        CompareResult r = compare(trace(ProbeProtocol.ICMP, MAIN),
                trace(ProbeProtocol.UDP, "198.18.0.2", "198.18.0.6", "198.18.201.2", "198.18.0.14", DEST),
                trace(ProbeProtocol.TCP, "198.18.0.2", "198.18.0.6", "198.18.200.2", "198.18.0.14", DEST));

        assertThat(r.divergences()).hasSize(2);
        assertThat(r.divergences()).allSatisfy(d -> {
            assertThat(d.from()).containsExactly(ProbeProtocol.ICMP);
            assertThat(d.lastCommonTtl()).hasValue(2);
            assertThat(d.meetTtl()).hasValue(4);
        });
        assertThat(r.divergences().get(0).protocols()).containsExactly(ProbeProtocol.UDP);
        assertThat(r.divergences().get(1).protocols()).containsExactly(ProbeProtocol.TCP);
    }

    @Test
    void pathsThatNeverMeetAgainSaySo() {
        CompareResult r = compare(trace(ProbeProtocol.ICMP, MAIN), trace(ProbeProtocol.UDP, MAIN),
                trace(ProbeProtocol.TCP, "198.18.0.2", "198.18.200.2", "198.18.200.6", "*"));

        assertThat(r.divergences()).singleElement().satisfies(d -> assertThat(d.meets()).isFalse());
        assertThat(r.findings().get(0)).endsWith("and does not meet them again");
        assertThat(r.stopsAfter(ProbeProtocol.TCP)).hasValue(3);
    }

    @Test
    void theRequestChecksItsProtocols() {
        assertThatThrownBy(() -> CompareRequest.builder(DEST).protocols(ProbeProtocol.TCP))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least two");
        assertThatThrownBy(() -> CompareRequest.builder(DEST).protocols(ProbeProtocol.TCP, ProbeProtocol.TCP))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThat(REQUEST.trace(ProbeProtocol.TCP).destinationPort()).isEqualTo(443);
        assertThat(REQUEST.trace(ProbeProtocol.UDP).destinationPort()).isEqualTo(33434);
        assertThat(REQUEST.trace(ProbeProtocol.TCP).flowMode()).isEqualTo(FlowMode.PARIS);
        assertThat(CompareRequest.builder(DEST).options(io.pathprobe.options.ProbeOptions.builder().maxTtl(9)
                .destinationPort(8443).build()).build().tcpPort()).isEqualTo(8443);
    }
    @Test
    void theJsonDocumentCarriesTheFindingsAsData() throws Exception {
        CompareResult r = compare(trace(ProbeProtocol.ICMP, MAIN), trace(ProbeProtocol.UDP, MAIN),
                trace(ProbeProtocol.TCP, "198.18.0.2", "198.18.200.2", "198.18.0.10", "198.18.0.14", "*", "*"));
        com.fasterxml.jackson.databind.JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(io.pathprobe.json.CompareJson.write(r));

        assertThat(doc.get("schemaVersion").asInt()).isEqualTo(CompareJson.SCHEMA_VERSION);
        assertThat(doc.get("protocols").get(2).get("label").asText()).isEqualTo("TCP/443");
        assertThat(doc.get("divergences").get(0).get("partTtl").asInt()).isEqualTo(2);
        assertThat(doc.get("divergences").get(0).get("meetTtl").asInt()).isEqualTo(3);
        assertThat(doc.get("ends").get(2).get("stopsAfter").asInt()).isEqualTo(4);
        assertThat(doc.get("rows").get(4).get("tcp")).hasSize(0);
        assertThat(doc.get("rows").get(5).get("icmp").isNull()).isTrue();
        assertThat(doc.get("traces")).hasSize(3);
    }

    // ---- what the network did to each protocol's packets ---------------------------------------

    private static final TrafficClass EF_ECT0 = new TrafficClass(46, Ecn.ECT_0);
    private static final CompareRequest MARKED = CompareRequest.builder(DEST).trafficClass(EF_ECT0).build();

    /**
     * {@code t} with every router's quote read (a probe answered by Time Exceeded): the marking as sent, then from
     * each change's TTL on that change (a change is {@code ttl, field, sent, seen}).
     */
    private static TraceResult quoted(TraceResult t, Object[]... changes) {
        List<Hop> hops = new ArrayList<>();
        for (Hop h : t.hops()) {
            List<ProbeResult> probes = new ArrayList<>();
            for (ProbeResult p : h.probes()) {
                if (!p.answered() || p.fromDestination()) {
                    probes.add(p);
                    continue;
                }
                List<HeaderChange> cs = new ArrayList<>();
                int dscp = EF_ECT0.dscp();
                Ecn ecn = EF_ECT0.ecn();
                for (Object[] c : changes) {
                    if (h.ttl() >= (int) c[0]) {
                        HeaderField f = (HeaderField) c[1];
                        cs.add(new HeaderChange(f, (String) c[2], (String) c[3]));
                        dscp = f == HeaderField.DSCP ? Integer.parseInt((String) c[3]) : dscp;
                        ecn = f == HeaderField.ECN ? Ecn.NOT_ECT : ecn;
                    }
                }
                probes.add(new ProbeResult(p.ttl(), p.attempt(), p.status(), p.responder(), p.rtt(), p.icmp(),
                        p.fromDestination(), p.failure(), p.replyTtl(), p.mplsLabels(), p.flow(), p.natId(),
                        Optional.of(new TrafficClass(dscp, ecn)), cs, java.util.List.of(), java.util.Optional.empty()));
            }
            hops.add(new Hop(h.ttl(), probes, h.responders(), h.statistics()));
        }
        return new TraceResult(t.target(), t.destination(), t.protocol(), t.transport(), t.status(), hops,
                t.startedAt(), t.duration(), t.unmatchedReplies(), t.protocolNote(), t.flowMode(), t.flows(),
                t.context(), t.request(), t.tcpMode());
    }

    private static Object[] change(int ttl, HeaderField field, String sent, String seen) {
        return new Object[] {ttl, field, sent, seen};
    }

    private static CompareResult marked(TraceResult icmp, TraceResult udp, TraceResult tcp) {
        return CompareResult.of(MARKED, List.of(icmp, udp, tcp), TraceAllStatus.COMPLETED, Instant.EPOCH,
                Duration.ofSeconds(1));
    }

    @Test
    void aRemarkingOfTcp443AloneStandsOutAndTheOthersKeepTheMarking() {
        Object[] dscp = change(3, HeaderField.DSCP, "46", "0");
        CompareResult r = marked(quoted(trace(ProbeProtocol.ICMP, MAIN)), quoted(trace(ProbeProtocol.UDP, MAIN)),
                quoted(trace(ProbeProtocol.TCP, MAIN), dscp));

        assertThat(r.headerChanges(ProbeProtocol.TCP)).singleElement()
                .satisfies(c -> assertThat(c).hasToString("DSCP 46 -> 0 from hop 3 (198.18.0.10)"));
        assertThat(r.headerChanges(ProbeProtocol.ICMP)).isEmpty();
        assertThat(r.lastQuotedTtl(ProbeProtocol.UDP)).hasValue(4);
        assertThat(r.samePath()).isTrue();
        assertThat(r.headerFindings()).containsExactly(
                "TCP/443: DSCP 46 -> 0 from hop 3 (198.18.0.10); ICMP and UDP keep DSCP 46");
        assertThat(r.findings()).containsExactly("ICMP, UDP, TCP/443 take the same path to the destination",
                "TCP/443: DSCP 46 -> 0 from hop 3 (198.18.0.10); ICMP and UDP keep DSCP 46");
        assertThat(r.toString()).contains("compare 198.19.0.1 (198.19.0.1), marked DSCP 46 (EF) ECT(0)\n")
                .contains("\nTCP/443: DSCP 46 -> 0 from hop 3 (198.18.0.10); ICMP and UDP keep DSCP 46\n");
    }

    @Test
    void aChangeToEveryProtocolAtOneHopIsOneSentence() {
        Object[] ecn = change(5, HeaderField.ECN, "ECT(0)", "Not-ECT");
        String[] longer = {"198.18.0.2", "198.18.0.6", "198.18.0.10", "198.18.0.14", "198.18.0.18", DEST};
        CompareResult r = marked(quoted(trace(ProbeProtocol.ICMP, longer), ecn),
                quoted(trace(ProbeProtocol.UDP, longer), ecn), quoted(trace(ProbeProtocol.TCP, longer), ecn));

        assertThat(r.headerFindings()).containsExactly(
                "every protocol: ECN ECT(0) -> Not-ECT from hop 5 (198.18.0.18)");
    }

    @Test
    void aProtocolWhoseQuotesWereNotReadIsNotSeenNeverKept() {
        Object[] dscp = change(3, HeaderField.DSCP, "46", "0");
        // UDP's transport read no quote; TCP's trace read them only up to hop 2 (its hops 3 and 4 are silent)
        CompareResult r = marked(quoted(trace(ProbeProtocol.ICMP, MAIN), dscp), trace(ProbeProtocol.UDP, MAIN),
                quoted(trace(ProbeProtocol.TCP, "198.18.0.2", "198.18.0.6", "*", "*", DEST)));

        assertThat(r.lastQuotedTtl(ProbeProtocol.UDP)).isEmpty();
        assertThat(r.lastQuotedTtl(ProbeProtocol.TCP)).hasValue(2);
        assertThat(r.headerChanges(ProbeProtocol.UDP)).isEmpty();
        assertThat(r.headerFindings()).containsExactly("ICMP: DSCP 46 -> 0 from hop 3 (198.18.0.10); "
                + "UDP and TCP/443 not seen (no quote from hop 3 on shows it)");
    }

    @Test
    void aQuoteShowingAnotherMarkingWithoutAChangeIsNotKept() {
        Object[] dscp = change(3, HeaderField.DSCP, "46", "0");
        // UDP's transport read the quotes but knew no sent header: DSCP 0 quoted from hop 3, no change reported
        TraceResult udp = quoted(trace(ProbeProtocol.UDP, MAIN), dscp);
        List<Hop> hops = new ArrayList<>();
        for (Hop h : udp.hops()) {
            hops.add(new Hop(h.ttl(), h.probes().stream().map(p -> new ProbeResult(p.ttl(), p.attempt(), p.status(),
                    p.responder(), p.rtt(), p.icmp(), p.fromDestination(), p.failure(), p.replyTtl(), p.mplsLabels(),
                    p.flow(), p.natId(), p.quotedTrafficClass(), List.of(), java.util.List.of(), java.util.Optional.empty())).toList(), h.responders(), h.statistics()));
        }
        udp = new TraceResult(udp.target(), udp.destination(), udp.protocol(), udp.transport(), udp.status(), hops,
                udp.startedAt(), udp.duration(), udp.unmatchedReplies(), udp.protocolNote(), udp.flowMode(),
                udp.flows(), udp.context(), udp.request(), udp.tcpMode());
        CompareResult r = marked(quoted(trace(ProbeProtocol.ICMP, MAIN)), udp,
                quoted(trace(ProbeProtocol.TCP, MAIN), dscp));

        assertThat(r.headerChanges(ProbeProtocol.UDP)).isEmpty();
        assertThat(r.headerFindings()).containsExactly("TCP/443: DSCP 46 -> 0 from hop 3 (198.18.0.10); "
                + "ICMP keeps DSCP 46; UDP not seen (no quote from hop 3 on shows it)");
    }

    @Test
    void differentChangesAreEachNamedAndTcpOnlyFieldsNameTcpAlone() {
        CompareResult r = marked(quoted(trace(ProbeProtocol.ICMP, MAIN), change(2, HeaderField.DSCP, "46", "10")),
                quoted(trace(ProbeProtocol.UDP, MAIN)),
                quoted(trace(ProbeProtocol.TCP, MAIN), change(3, HeaderField.DSCP, "46", "0"),
                        change(4, HeaderField.TCP_MSS, "1460", "1200")));

        assertThat(r.headerFindings()).containsExactly(
                "ICMP: DSCP 46 -> 10 from hop 2 (198.18.0.6); TCP/443: DSCP 46 -> 0 from hop 3 (198.18.0.10); "
                        + "UDP keeps DSCP 46",
                "TCP/443: MSS 1460 -> 1200 from hop 4 (198.18.0.14)");
    }

    @Test
    void aFieldThatDiffersPerProbeIsSaidToChangeWhereSeveralProtocolsShareTheHop() {
        CompareResult r = marked(quoted(trace(ProbeProtocol.ICMP, MAIN),
                        change(4, HeaderField.TRANSPORT_CHECKSUM, "0x1111", "0x2222")),
                quoted(trace(ProbeProtocol.UDP, MAIN), change(4, HeaderField.TRANSPORT_CHECKSUM, "0x3333", "0x4444")),
                quoted(trace(ProbeProtocol.TCP, MAIN)));

        assertThat(r.headerFindings()).containsExactly(
                "ICMP and UDP: checksum changed from hop 4 (198.18.0.14); TCP/443 keeps its checksum");
    }

    @Test
    void noChangeNoHeaderFinding() {
        CompareResult r = marked(quoted(trace(ProbeProtocol.ICMP, MAIN)), quoted(trace(ProbeProtocol.UDP, MAIN)),
                trace(ProbeProtocol.TCP, MAIN));

        assertThat(r.headerFindings()).isEmpty();
        assertThat(r.findings()).containsExactly("ICMP, UDP, TCP/443 take the same path to the destination");
        assertThat(compare(trace(ProbeProtocol.ICMP, MAIN), trace(ProbeProtocol.UDP, MAIN),
                trace(ProbeProtocol.TCP, MAIN)).toString()).doesNotContain("marked");
    }

    @Test
    void theJsonDocumentCarriesEachProtocolsHeaderChanges() throws Exception {
        CompareResult r = marked(quoted(trace(ProbeProtocol.ICMP, MAIN)), trace(ProbeProtocol.UDP, MAIN),
                quoted(trace(ProbeProtocol.TCP, MAIN), change(3, HeaderField.DSCP, "46", "0")));
        com.fasterxml.jackson.databind.JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(io.pathprobe.json.CompareJson.write(r));

        assertThat(doc.get("dscp").asInt()).isEqualTo(46);
        assertThat(doc.get("ecn").asText()).isEqualTo("ECT(0)");
        com.fasterxml.jackson.databind.JsonNode tcp = doc.get("protocols").get(2);
        assertThat(tcp.get("lastQuotedTtl").asInt()).isEqualTo(4);
        assertThat(tcp.get("headerChanges")).hasSize(1);
        assertThat(tcp.get("headerChanges").get(0).get("field").asText()).isEqualTo("DSCP");
        assertThat(tcp.get("headerChanges").get(0).get("seen").asText()).isEqualTo("0");
        assertThat(tcp.get("headerChanges").get(0).get("ttl").asInt()).isEqualTo(3);
        assertThat(tcp.get("headerChanges").get(0).get("address").asText()).isEqualTo("198.18.0.10");
        assertThat(doc.get("protocols").get(1).get("lastQuotedTtl").isNull()).isTrue();
        assertThat(doc.get("findings").get(1).asText()).isEqualTo(
                "TCP/443: DSCP 46 -> 0 from hop 3 (198.18.0.10); ICMP keeps DSCP 46; UDP not seen (no quote from "
                        + "hop 3 on shows it)");
    }
}
