package io.pathprobe.core.internal.probe;

import io.pathprobe.probe.IcmpMessage;
import io.pathprobe.probe.TrafficClass;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * Shared instances of the small values every probe result carries, so that a finished trace holds one
 * {@code OptionalInt} per distinct reply TTL, flow and NAT ID and one {@code Optional} per distinct ICMP
 * message and quoted marking, not one of each per probe: a batch of a thousand 29-hop traces kept in a 64 MB heap
 * holds about 40 % less (measured in {@code bench/README.md}). They are immutable value-based types, so
 * sharing them changes nothing a caller can see but identity. Any thread: the tables are filled racily, and
 * an instance another thread has not seen yet is simply made again (their fields are final).
 */
final class ResultValues {
    /** Reply TTLs, flow numbers and NAT IDs below this are shared. */
    private static final int INTS = 256;
    /** ICMP codes below this are shared (every type). */
    private static final int CODES = 16;
    private static final OptionalInt[] OPTIONAL_INTS = new OptionalInt[INTS];
    @SuppressWarnings("unchecked")
    private static final Optional<IcmpMessage>[] ICMP = new Optional[2 * 256 * CODES];

    /** The marking of each ToS byte / traffic class value, and its {@code Optional}: made once, at class load. */
    private static final TrafficClass[] MARKINGS = new TrafficClass[256];
    @SuppressWarnings("unchecked")
    private static final Optional<TrafficClass>[] OPTIONAL_MARKINGS = new Optional[256];

    static {
        for (int i = 0; i < MARKINGS.length; i++) {
            MARKINGS[i] = TrafficClass.of(i);
            OPTIONAL_MARKINGS[i] = Optional.of(MARKINGS[i]);
        }
    }

    private ResultValues() {}

    /** The marking a ToS byte or traffic class value carries, one instance per value; null outside 0..255. */
    static @Nullable TrafficClass markingOf(int value) {
        return value < 0 || value > 255 ? null : MARKINGS[value];
    }

    /**
     * {@code Optional.ofNullable(marking)}, shared per marking: a marking is its byte ({@link TrafficClass#value()}),
     * so the shared one holds an equal marking.
     */
    static Optional<TrafficClass> marking(@Nullable TrafficClass marking) {
        return marking == null ? Optional.empty() : OPTIONAL_MARKINGS[marking.value()];
    }

    /** {@code OptionalInt.of(value)}, shared when small. */
    static OptionalInt optionalInt(int value) {
        if (value < 0 || value >= INTS) {
            return OptionalInt.of(value);
        }
        OptionalInt o = OPTIONAL_INTS[value];
        if (o == null) {
            o = OptionalInt.of(value);
            OPTIONAL_INTS[value] = o;
        }
        return o;
    }

    /** {@code Optional.of(new IcmpMessage(type, code, ipv6))}, shared for the usual codes. */
    static Optional<IcmpMessage> icmp(int type, int code, boolean ipv6) {
        if (type < 0 || type > 255 || code < 0 || code >= CODES) {
            return Optional.of(new IcmpMessage(type, code, ipv6));
        }
        int i = ((ipv6 ? 256 : 0) + type) * CODES + code;
        Optional<IcmpMessage> o = ICMP[i];
        if (o == null) {
            o = Optional.of(new IcmpMessage(type, code, ipv6));
            ICMP[i] = o;
        }
        return o;
    }
}
