package io.pathprobe.windows.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.spi.ResponseKind;
import org.junit.jupiter.api.Test;

class IcmpStatusTest {

    private static void answer(int status, boolean v6, ResponseKind kind, int type, int code) {
        IcmpStatus.Outcome o = IcmpStatus.outcome(status, v6);
        assertThat(o.meaning()).as(IcmpStatus.describe(status)).isEqualTo(IcmpStatus.Meaning.ANSWER);
        assertThat(o.kind()).as(IcmpStatus.describe(status)).isEqualTo(kind);
        assertThat(o.icmpType()).as(IcmpStatus.describe(status)).isEqualTo(type);
        assertThat(o.icmpCode()).as(IcmpStatus.describe(status)).isEqualTo(code);
    }

    @Test
    void ipv4StatusesMapToTheMessagesTheyComeFrom() {
        answer(0, false, ResponseKind.ECHO_REPLY, 0, 0);
        answer(11013, false, ResponseKind.TIME_EXCEEDED, 11, 0);
        answer(11014, false, ResponseKind.TIME_EXCEEDED, 11, 1);
        answer(11002, false, ResponseKind.DESTINATION_UNREACHABLE, 3, 0);
        answer(11003, false, ResponseKind.DESTINATION_UNREACHABLE, 3, 1);
        answer(11004, false, ResponseKind.DESTINATION_UNREACHABLE, 3, 2);
        answer(11005, false, ResponseKind.DESTINATION_UNREACHABLE, 3, 3);
        answer(11009, false, ResponseKind.DESTINATION_UNREACHABLE, 3, 4);
    }

    @Test
    void ipv6StatusesMapToIcmpv6Numbers() {
        answer(0, true, ResponseKind.ECHO_REPLY, 129, 0);
        answer(11013, true, ResponseKind.TIME_EXCEEDED, 3, 0);
        answer(11041, true, ResponseKind.TIME_EXCEEDED, 3, -1);
        answer(11002, true, ResponseKind.DESTINATION_UNREACHABLE, 1, 0);
        answer(11004, true, ResponseKind.DESTINATION_UNREACHABLE, 1, 1);
        answer(11045, true, ResponseKind.DESTINATION_UNREACHABLE, 1, 2);
        answer(11003, true, ResponseKind.DESTINATION_UNREACHABLE, 1, 3);
        answer(11005, true, ResponseKind.DESTINATION_UNREACHABLE, 1, 4);
        answer(11040, true, ResponseKind.DESTINATION_UNREACHABLE, 1, -1);
    }

    @Test
    void aTimeoutIsNoAnswerAndTheRestStaysData() {
        assertThat(IcmpStatus.outcome(11010, false).meaning()).isEqualTo(IcmpStatus.Meaning.NO_ANSWER);
        assertThat(IcmpStatus.outcome(11010, true).meaning()).isEqualTo(IcmpStatus.Meaning.NO_ANSWER);
        for (int status : new int[] {11001, 11006, 11007, 11008, 11011, 11012, 11015, 11016, 11017, 11018, 11050, 42}) {
            for (boolean v6 : new boolean[] {false, true}) {
                IcmpStatus.Outcome o = IcmpStatus.outcome(status, v6);
                assertThat(o.meaning()).as("%d", status).isEqualTo(IcmpStatus.Meaning.OTHER);
                assertThat(o.kind()).isNull();
            }
        }
        assertThat(IcmpStatus.outcome(11009, true).meaning()).as("ICMPv6 Packet Too Big has no kind")
                .isEqualTo(IcmpStatus.Meaning.OTHER);
    }

    @Test
    void sendTimeStatusesSayWhetherThereIsNoRoute() {
        assertThat(IcmpStatus.noRoute(11002)).isTrue();
        assertThat(IcmpStatus.noRoute(11003)).isTrue();
        assertThat(IcmpStatus.noRoute(1231)).isTrue();
        assertThat(IcmpStatus.noRoute(11006)).isFalse();
        assertThat(IcmpStatus.describe(11013)).isEqualTo("IP_TTL_EXPIRED_TRANSIT (11013)");
    }

    @Test
    void win32ErrorsSeenUnderWineAreNamed() {
        // Wine's Icmp6CreateFile is a stub that sets ERROR_CALL_NOT_IMPLEMENTED
        assertThat(IcmpStatus.describe(120)).isEqualTo("ERROR_CALL_NOT_IMPLEMENTED (120)");
        assertThat(IcmpStatus.describe(6)).isEqualTo("ERROR_INVALID_HANDLE (6)");
        assertThat(IcmpStatus.describe(50)).isEqualTo("ERROR_NOT_SUPPORTED (50)");
        assertThat(IcmpStatus.describe(4242)).isEqualTo("error (4242)");
    }
}
