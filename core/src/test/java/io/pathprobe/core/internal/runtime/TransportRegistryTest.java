package io.pathprobe.core.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.NoTransportAvailableException;
import io.pathprobe.NoTransportAvailableException.Reason;
import io.pathprobe.TransportInfo;
import io.pathprobe.core.internal.sim.FakeProvider;
import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.core.internal.sim.ScenarioTransport;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.Availability;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.TransportCapability;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(5)
class TransportRegistryTest {
    private final FakeScheduler clock = new FakeScheduler();

    private FakeProvider provider(String name, int priority, Availability a, TransportCapability... caps) {
        EnumSet<TransportCapability> set = EnumSet.of(TransportCapability.IPV4);
        set.addAll(List.of(caps));
        return new FakeProvider(name, priority, set, a,
                () -> new ScenarioTransport(Scenario.named(name, 3), clock, clock, set));
    }

    private final FakeProvider dgram = provider("icmp-dgram", 30,
            Availability.unavailable("net.ipv4.ping_group_range is '1 0'"), TransportCapability.ICMP);
    private final FakeProvider raw = provider("raw-icmp", 20, Availability.unavailable("needs CAP_NET_RAW"),
            TransportCapability.ICMP);
    private final FakeProvider udp = provider("udp-recverr", 10, Availability.available(), TransportCapability.UDP,
            TransportCapability.FLOW_PER_PROBE);

    @Test
    void automaticProtocolFallsBackAndSaysWhy() {
        TransportRegistry r = TransportRegistry.of(List.of(udp, raw, dgram));
        TransportRegistry.Choice c = r.choose(List.of(ProbeProtocol.ICMP, ProbeProtocol.UDP), true, false,
                TransportRegistry.Mode.OPEN);
        assertThat(c.protocol()).isEqualTo(ProbeProtocol.UDP);
        assertThat(c.name()).isEqualTo("udp-recverr");
        assertThat(c.flowPolicy()).isEqualTo(FlowPolicy.PER_PROBE);
        assertThat(c.note()).hasValue("ICMP not usable: icmp-dgram: net.ipv4.ping_group_range is '1 0'; "
                + "raw-icmp: needs CAP_NET_RAW; UDP probes use classic flows, no usable transport holds a Paris flow: "
                + "udp-recverr: cannot hold Paris (fixed) flows");
        assertThat(udp.opened.get()).isEqualTo(1);
        assertThat(r.choose(List.of(ProbeProtocol.UDP), false, false, TransportRegistry.Mode.CACHED))
                .as("known and opened: no blocking needed").isNotNull();
    }

    @Test
    void aStrictProtocolFailsInOrderWithAHint() {
        TransportRegistry r = TransportRegistry.of(List.of(udp, raw, dgram));
        assertThatThrownBy(() -> r.choose(List.of(ProbeProtocol.ICMP), false, false, TransportRegistry.Mode.OPEN))
                .isInstanceOfSatisfying(NoTransportAvailableException.class, e -> {
                    assertThat(e.rejections()).extracting(NoTransportAvailableException.Rejection::transport)
                            .containsExactly("icmp-dgram", "raw-icmp", "udp-recverr");
                    assertThat(e.rejections()).extracting(NoTransportAvailableException.Rejection::reason)
                            .containsExactly(Reason.UNAVAILABLE, Reason.UNAVAILABLE, Reason.MISSING_CAPABILITY);
                    assertThat(e.hint()).hasValue("UDP probes are usable here: TraceRequest.Builder.protocol("
                            + "ProbeProtocol.UDP), or leave the protocol to the tracer (the default)");
                    assertThat(e.getMessage()).startsWith("no usable transport for ICMP probes to IPv4 destinations");
                    assertThat(e.usableProtocol()).contains(ProbeProtocol.UDP);
                    assertThat(e.withoutHint()).startsWith("no usable transport for ICMP probes").doesNotContain("usable here");
                });
    }

    /**
     * Issue 67: the note and the error's one line name what alone would make each transport usable (its remedy) and
     * leave out the transports of other platforms; the error's message keeps every transport considered.
     */
    @Test
    void theOneLineFormsNameTheRemedyAndLeaveOtherPlatformsOut() {
        FakeProvider ping = provider("icmp-dgram", 30, Availability.unavailable("net.ipv4.ping_group_range is "
                + "'1 0': excludes gid 65534", "gid 65534 in net.ipv4.ping_group_range (now '1 0')", null),
                TransportCapability.ICMP);
        FakeProvider rawIcmp = provider("raw-icmp", 20, Availability.unavailable("needs CAP_NET_RAW (socket(...): "
                + "EPERM)", "CAP_NET_RAW", null), TransportCapability.ICMP);
        FakeProvider mac = provider("macos-icmp", 40, Availability.otherPlatform("not macOS (os.name=Linux)"),
                TransportCapability.ICMP);
        TransportRegistry r = TransportRegistry.of(List.of(udp, rawIcmp, ping, mac));
        TransportRegistry.Choice c = r.choose(List.of(ProbeProtocol.ICMP, ProbeProtocol.UDP), true, false,
                TransportRegistry.Mode.OPEN);
        assertThat(c.note().orElseThrow()).startsWith("ICMP not usable: icmp-dgram needs gid 65534 in "
                + "net.ipv4.ping_group_range (now '1 0'); raw-icmp needs CAP_NET_RAW; ").doesNotContain("macos");
        assertThatThrownBy(() -> r.choose(List.of(ProbeProtocol.ICMP), false, false, TransportRegistry.Mode.OPEN))
                .isInstanceOfSatisfying(NoTransportAvailableException.class, e -> {
                    assertThat(e.summary()).isEqualTo("no usable transport for ICMP probes to IPv4 destinations: "
                            + "icmp-dgram needs gid 65534 in net.ipv4.ping_group_range (now '1 0'); raw-icmp needs "
                            + "CAP_NET_RAW");
                    assertThat(e.getMessage()).contains("macos-icmp: not macOS").contains("udp-recverr: does not "
                            + "send ICMP probes").contains("raw-icmp: needs CAP_NET_RAW (socket(...): EPERM)");
                });
        assertThatThrownBy(() -> TransportRegistry.withPreferred("nope", List.of(udp, rawIcmp), List.of()))
                .isInstanceOfSatisfying(NoTransportAvailableException.class, e -> assertThat(e.summary())
                        .isEqualTo("unknown transport 'nope'; usable here: udp-recverr"));
    }

    @Test
    void prepareOpensWhatADefaultTraceChoosesAndNothingElse() {
        FakeProvider icmp = provider("icmp-ok", 25, Availability.available(), TransportCapability.ICMP,
                TransportCapability.FLOW_FIXED);
        TransportRegistry r = TransportRegistry.of(List.of(udp, icmp, raw, dgram));
        r.prepare();
        assertThat(icmp.opened.get()).as("the default trace's transport (ICMP, Paris)").isEqualTo(1);
        assertThat(udp.opened.get()).as("not the fallback").isZero();
        TransportRegistry.Choice c = r.choose(List.of(ProbeProtocol.ICMP, ProbeProtocol.UDP), true, false,
                TransportRegistry.Mode.CACHED);
        assertThat(c).as("a first trace finds it open, without blocking").isNotNull();
        assertThat(c.name()).isEqualTo("icmp-ok");
        r.prepare();
        assertThat(icmp.opened.get()).as("opened once").isEqualTo(1);
    }

    @Test
    void prepareWithNothingUsableThrowsNothingAndTheTraceStillSaysWhy() {
        TransportRegistry r = TransportRegistry.of(List.of(raw, dgram));
        r.prepare();
        assertThatThrownBy(() -> r.choose(List.of(ProbeProtocol.ICMP, ProbeProtocol.UDP), true, false,
                TransportRegistry.Mode.OPEN))
                .isInstanceOfSatisfying(NoTransportAvailableException.class, e -> assertThat(e.rejections())
                        .extracting(NoTransportAvailableException.Rejection::reason)
                        .contains(Reason.UNAVAILABLE));
    }

    @Test
    void prepareOnAClosedRegistryOpensNothing() {
        TransportRegistry r = TransportRegistry.of(List.of(udp));
        r.close();
        r.prepare();
        assertThat(udp.opened.get()).isZero();
    }

    @Test
    void cachedModeNeverChecksNorOpens() {
        TransportRegistry r = TransportRegistry.of(List.of(udp));
        assertThat(r.choose(List.of(ProbeProtocol.UDP), false, false, TransportRegistry.Mode.CACHED)).isNull();
        assertThat(udp.opened.get()).isZero();
    }

    @Test
    void anUnknownPreferredTransportListsTheKnownOnes() {
        assertThatThrownBy(() -> TransportRegistry.withPreferred("nope", List.of(udp, raw), List.of()))
                .isInstanceOfSatisfying(NoTransportAvailableException.class, e -> {
                    assertThat(e.rejections().get(0).reason()).isEqualTo(Reason.NOT_FOUND);
                    assertThat(e.rejections().subList(1, e.rejections().size())).extracting(NoTransportAvailableException.Rejection::reason)
                            .containsOnly(Reason.NOT_PREFERRED);
                    assertThat(e.hint()).hasValue("known transports: raw-icmp, udp-recverr");
                });
    }

    @Test
    void aProviderThatFailsToOpenIsSkipped() {
        FakeProvider broken = new FakeProvider("broken", 50, EnumSet.of(TransportCapability.UDP, TransportCapability.IPV4),
                Availability.available(), () -> {
                    throw new IllegalStateException("jnr-ffi could not bind libc");
                });
        TransportRegistry r = TransportRegistry.of(List.of(broken, udp));
        assertThat(r.choose(List.of(ProbeProtocol.UDP), false, false, TransportRegistry.Mode.OPEN).name())
                .isEqualTo("udp-recverr");
        List<TransportInfo> infos = r.transports();
        assertThat(infos).extracting(TransportInfo::name).containsExactly("broken", "udp-recverr");
        assertThat(infos.get(0).available()).isFalse();
        assertThat(infos.get(0).reason()).contains("jnr-ffi");
        assertThat(infos.get(1).counters()).as("opened: counted").isPresent();
    }

    /**
     * Issue 69: before a switch to another user, every usable transport is opened once, so that no measurement has to
     * open one after it (a raw socket could not be); not the unusable ones, a failing one, or TCP in-connection's.
     */
    @Test
    void openUsableOpensEveryUsableTransportOnceButInConnections() {
        FakeProvider tcp = provider("raw-tcp", 15, Availability.available(), TransportCapability.TCP);
        FakeProvider inConnection = provider("in-connection", 15, Availability.available(), TransportCapability.TCP,
                TransportCapability.TCP_IN_CONNECTION);
        FakeProvider broken = new FakeProvider("broken", 50, EnumSet.of(TransportCapability.UDP,
                TransportCapability.IPV4), Availability.available(), () -> {
                    throw new IllegalStateException("no raw socket");
                });
        TransportRegistry r = TransportRegistry.of(List.of(udp, raw, dgram, tcp, inConnection, broken));
        assertThat(r.openUsable()).containsExactlyInAnyOrder("udp-recverr", "raw-tcp");
        assertThat(r.openUsable()).as("again: nothing opened twice").containsExactlyInAnyOrder("udp-recverr",
                "raw-tcp");
        assertThat(udp.opened.get()).isEqualTo(1);
        assertThat(tcp.opened.get()).isEqualTo(1);
        assertThat(inConnection.opened.get()).isZero();
        assertThat(raw.opened.get()).isZero();
        assertThat(r.choose(List.of(ProbeProtocol.TCP), false, false, TransportRegistry.Mode.CACHED))
                .as("opened: no measurement needs to open it").isNotNull();
        assertThat(r.transports()).filteredOn(t -> t.name().equals("broken")).singleElement()
                .satisfies(t -> assertThat(t.reason()).contains("no raw socket"));
    }

    @Test
    void transportsListsAllBestFirst() {
        TransportRegistry r = TransportRegistry.of(List.of(udp, raw, dgram));
        List<TransportInfo> infos = r.transports();
        assertThat(infos).extracting(TransportInfo::name).containsExactly("icmp-dgram", "raw-icmp", "udp-recverr");
        assertThat(infos).extracting(TransportInfo::available).containsExactly(false, false, true);
        assertThat(infos.get(1).reason()).isEqualTo("needs CAP_NET_RAW");
        assertThat(infos.get(2).counters()).as("not opened").isEmpty();
        assertThat(infos.get(2).sends(ProbeProtocol.UDP)).isTrue();
    }

    @Test
    void aParisFlowIsPreferredOverPriorityAndRequiredWhenAskedFor() {
        FakeProvider classic = provider("classic-udp", 40, Availability.available(), TransportCapability.UDP,
                TransportCapability.FLOW_PER_PROBE);
        FakeProvider paris = provider("paris-udp", 5, Availability.available(), TransportCapability.UDP,
                TransportCapability.FLOW_FIXED, TransportCapability.FLOW_EXPLICIT);
        TransportRegistry both = TransportRegistry.of(List.of(classic, paris));
        TransportRegistry.Choice c = both.choose(List.of(ProbeProtocol.UDP), false, false, FlowPolicy.FIXED, false,
                TransportRegistry.Mode.OPEN);
        assertThat(c.name()).as("the flow matters more than the priority").isEqualTo("paris-udp");
        assertThat(c.note()).isEmpty();
        assertThat(both.choose(List.of(ProbeProtocol.UDP), false, false, FlowPolicy.PER_PROBE, true,
                TransportRegistry.Mode.OPEN).name()).isEqualTo("classic-udp");

        TransportRegistry onlyClassic = TransportRegistry.of(List.of(classic));
        assertThatThrownBy(() -> onlyClassic.choose(List.of(ProbeProtocol.UDP), false, false, FlowPolicy.FIXED, true,
                TransportRegistry.Mode.OPEN))
                .isInstanceOfSatisfying(NoTransportAvailableException.class, e -> assertThat(e.rejections())
                        .extracting(NoTransportAvailableException.Rejection::detail)
                        .containsExactly("cannot hold Paris (fixed) flows"));
        assertThatThrownBy(() -> onlyClassic.choose(List.of(ProbeProtocol.UDP), false, false, FlowPolicy.EXPLICIT,
                true, TransportRegistry.Mode.OPEN)).isInstanceOf(NoTransportAvailableException.class);
    }
}
