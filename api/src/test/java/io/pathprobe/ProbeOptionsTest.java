package io.pathprobe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.enrich.EnrichMode;
import io.pathprobe.mtu.MtuRequest;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.options.ProbeOptions;
import io.pathprobe.ping.PingKind;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.probe.IpVersion;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.TraceRequest;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The options every probing request shares: one value, one name per option, checked once. */
class ProbeOptionsTest {
    private static final ProbeOptions ALL = ProbeOptions.builder().ipVersion(IpVersion.IPV4)
            .protocol(ProbeProtocol.TCP).destinationPort(443).firstTtl(2).maxTtl(20).probesPerTtl(4)
            .probeTimeout(Duration.ofMillis(700)).deadline(Duration.ofSeconds(20)).packetsPerSecond(50)
            .enrich(EnrichMode.BACKGROUND).trafficClass(io.pathprobe.probe.TrafficClass.of(0xba)).tcpConfirmation(true)
            .build();

    @Test
    void everySharedOptionIsASetterOfTheSameNameOnTheTraceAndMultipathBuilders() {
        Set<String> shared = setters(ProbeOptions.Builder.class);
        assertThat(shared.remove("options")).as("options(ProbeOptions), as every request builder has").isTrue();
        assertThat(shared).containsExactlyInAnyOrder("ipVersion", "protocol", "destinationPort", "firstTtl",
                "maxTtl", "probesPerTtl", "probeTimeout", "deadline", "packetsPerSecond", "enrich", "trafficClass",
                "tcpConfirmation");
        assertThat(setters(TraceRequest.Builder.class)).containsAll(shared).contains("options");
        assertThat(setters(MultipathRequest.Builder.class)).containsAll(shared).contains("options");
        for (Class<?> builder : List.of(MtuRequest.Builder.class, PingRequest.Builder.class)) {
            assertThat(setters(builder)).as(builder.getName()).contains("options", "packetsPerSecond", "trafficClass");
        }
    }

    private static Set<String> setters(Class<?> builder) {
        // a setter inherited from the self-typed ProbeOptions.Common returns its erased type, a supertype
        return Arrays.stream(builder.getMethods())
                .filter(m -> m.getReturnType() != Object.class && m.getReturnType().isAssignableFrom(builder))
                .filter(m -> !Modifier.isStatic(m.getModifiers())).map(Method::getName).collect(Collectors.toSet());
    }

    @Test
    void aTraceTakesEveryOptionAndHandsThemBack() {
        TraceRequest trace = TraceRequest.builder("198.18.0.1").options(ALL).build();
        assertThat(trace.options()).isEqualTo(ALL);
        assertThat(trace.protocol()).isEqualTo(ProbeProtocol.TCP);
        assertThat(trace.destinationPort(ProbeProtocol.TCP)).isEqualTo(443);
        assertThat(trace.packetsPerSecond()).isEqualTo(50);
        assertThat(trace.trafficClass()).hasToString("DSCP 46 (EF) ECT(0)");
        assertThat(trace.tcpConfirmation()).isTrue();
        assertThat(TraceRequest.builder("198.18.0.1").build().tcpConfirmation()).as("UDP only unless asked").isFalse();
        assertThat(MultipathRequest.builder("198.18.0.1").options(ALL).build().options()).isEqualTo(ALL);
    }

    @Test
    void tcpConfirmationIsOffUnlessSetAndALaterValueWins() {
        ProbeOptions on = ProbeOptions.builder().tcpConfirmation(true).build();
        assertThat(ProbeOptions.NONE.tcpConfirmation()).isEmpty();
        assertThat(on.tcpConfirmation()).contains(true);
        assertThat(on.with(ProbeOptions.builder().tcpConfirmation(false).build()).tcpConfirmation()).contains(false);
        assertThat(on.with(ProbeOptions.NONE).tcpConfirmation()).contains(true);
        assertThat(on).hasToString("ProbeOptions[TCP confirmation]");
        assertThat(MultipathRequest.of("198.18.0.1").tcpConfirmation()).isFalse();
        MultipathRequest confirmed = MultipathRequest.builder("198.18.0.1").options(on).build();
        assertThat(confirmed.tcpConfirmation()).isTrue();
        assertThat(confirmed.options().tcpConfirmation()).contains(true);
        assertThat(confirmed.toBuilder().build().tcpConfirmation()).isTrue();
        assertThat(confirmed.toString()).contains("TCP confirmation");
    }

    @Test
    void anMtuDiscoveryAndAPingTakeWhatTheyHave() {
        MtuRequest mtu = MtuRequest.builder("198.18.0.1").options(ALL).build();
        assertThat(mtu.destinationPort()).isEqualTo(443);
        assertThat(mtu.firstTtl()).isEqualTo(2);
        assertThat(mtu.options().protocol()).isEmpty(); // it probes with UDP
        assertThat(mtu.options().enrich()).isEmpty();

        PingRequest ping = PingRequest.builder("198.18.0.1").options(ALL).build();
        assertThat(ping.ttl()).isEqualTo(20);
        assertThat(ping.kind()).isEqualTo(PingKind.TCP);
        assertThat(ping.automaticKind()).isFalse();
        assertThat(ping.destinationPort()).isEqualTo(443);
        assertThat(ping.deadline()).contains(Duration.ofSeconds(20));
        assertThat(ping.options().maxTtl()).hasValue(20);
        assertThat(ping.options().firstTtl()).isEmpty();
    }

    @Test
    void anOptionARequestCannotHoldIsRefusedByItsOwnCheck() {
        assertThatThrownBy(() -> MtuRequest.builder("198.18.0.1").options(ALL.toBuilder().probesPerTtl(6).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("probesPerTtl must be 1..5, was 6");
        ProbeOptions longWait = ProbeOptions.builder().probeTimeout(Duration.ofHours(2)).build();
        assertThatThrownBy(() -> PingRequest.builder("198.18.0.1").options(longWait))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("probeTimeout");
        ProbeOptions icmpToPort = ProbeOptions.builder().protocol(ProbeProtocol.ICMP).destinationPort(80).build();
        assertThatThrownBy(() -> TraceRequest.builder("198.18.0.1").options(icmpToPort).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachValueIsCheckedWhereItIsSet() {
        assertThatThrownBy(() -> ProbeOptions.builder().maxTtl(256)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxTtl must be 1..255, was 256");
        assertThatThrownBy(() -> ProbeOptions.builder().destinationPort(0))
                .hasMessage("destinationPort must be 1..65535, was 0");
        assertThatThrownBy(() -> ProbeOptions.builder().packetsPerSecond(-1))
                .hasMessage("packetsPerSecond must be 0..1000000, was -1");
        assertThatThrownBy(() -> ProbeOptions.builder().probeTimeout(Duration.ZERO))
                .hasMessageContaining("probeTimeout must be positive");
        assertThatThrownBy(() -> ProbeOptions.builder().firstTtl(9).maxTtl(3).build())
                .hasMessage("firstTtl 9 is beyond maxTtl 3");
        assertThatThrownBy(() -> ProbeOptions.builder().protocol(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aLaterValueWinsOnlyWhereItSetsSomething() {
        ProbeOptions fleet = ProbeOptions.builder().maxTtl(30).probeTimeout(Duration.ofSeconds(1)).build();
        ProbeOptions site = ProbeOptions.builder().maxTtl(12).ipVersion(IpVersion.IPV6).build();
        ProbeOptions both = fleet.with(site);
        assertThat(both.maxTtl()).hasValue(12);
        assertThat(both.probeTimeout()).contains(Duration.ofSeconds(1));
        assertThat(both.ipVersion()).contains(IpVersion.IPV6);
        assertThat(ProbeOptions.NONE.isEmpty()).isTrue();
        assertThat(both.isEmpty()).isFalse();
        assertThat(ProbeOptions.NONE.with(both)).isEqualTo(both).hasSameHashCodeAs(both);
        assertThat(TraceRequest.builder("198.18.0.1").options(ProbeOptions.NONE).build())
                .isEqualTo(TraceRequest.of("198.18.0.1"));
    }

    @Test
    void itPrintsWhatWasSet() {
        assertThat(ALL).hasToString("ProbeOptions[IPV4, TCP, port 443, TTL 2-20, 4/TTL, wait 700 ms, deadline 20 s, "
                + "50 pps, enrich BACKGROUND, DSCP 46 (EF) ECT(0), TCP confirmation]");
        assertThat(ProbeOptions.NONE).hasToString("ProbeOptions[]");
        assertThat(ProbeOptions.builder().maxTtl(20).build()).hasToString("ProbeOptions[max TTL 20]");
        assertThat(ProbeOptions.builder().firstTtl(3).build()).hasToString("ProbeOptions[first TTL 3]");
    }

    /**
     * The table a recording and the agent's schedule iterate names each option as its getter does, gives its value
     * as the getter does, and sets it as the setter does: every option but {@code tcpConfirmation}.
     */
    @Test
    void theOptionTableReadsAndSetsEveryOptionAsItsGetterAndSetter() throws Exception {
        ProbeOptions.Builder b = ProbeOptions.builder();
        for (io.pathprobe.options.ProbeOption<?> o : ProbeOptions.OPTIONS) {
            Object got = ProbeOptions.class.getMethod(o.name()).invoke(ALL);
            Object value = got instanceof java.util.OptionalInt i ? i.getAsInt() : ((java.util.Optional<?>) got).get();
            assertThat(o.in(ALL).map(Object.class::cast)).as(o.name()).contains(o.type().cast(value));
            assertThat(o.in(ProbeOptions.NONE)).as(o.name()).isEmpty();
            o.set(b, value);
        }
        assertThat(b.tcpConfirmation(true).build()).isEqualTo(ALL);
        assertThat(ProbeOptions.OPTIONS.stream().map(io.pathprobe.options.ProbeOption::name).toList())
                .doesNotContain("tcpConfirmation").doesNotHaveDuplicates().hasSize(11);
    }
}
