package io.pathprobe.windows.internal;

import io.pathprobe.spi.ResponseKind;
import org.jspecify.annotations.Nullable;

/**
 * The {@code IP_STATUS} codes of {@code ipexport.h} (the {@code Status} member of ICMP_ECHO_REPLY
 * and ICMPV6_ECHO_REPLY, and what {@code GetLastError()} returns after a failed IcmpSendEcho2Ex,
 * Icmp6SendEcho2 or IcmpParseReplies), and what each one means for a probe: an answer of one of the
 * SPI's {@link ResponseKind}s with the ICMP type and code it stands for, no answer, or something
 * else, which stays data (counted and dropped, never an exception).
 *
 * <p>Windows reports the ICMP message it received only as a status: the type and code below are
 * the message each status is produced from (RFC 792 / RFC 4443 numbering). Where one status
 * covers several codes (IPv6 {@code IP_DEST_UNREACHABLE}, {@code IP_TIME_EXCEEDED}) the code is
 * {@link io.pathprobe.spi.ProbeResponse#UNKNOWN}.
 */
public final class IcmpStatus {
    /** IP_SUCCESS: an echo reply. */
    public static final int IP_SUCCESS = 0;
    public static final int IP_BUF_TOO_SMALL = 11001;
    /** IPv6: IP_DEST_NO_ROUTE. */
    public static final int IP_DEST_NET_UNREACHABLE = 11002;
    /** IPv6: IP_DEST_ADDR_UNREACHABLE. */
    public static final int IP_DEST_HOST_UNREACHABLE = 11003;
    /** IPv6: IP_DEST_PROHIBITED. */
    public static final int IP_DEST_PROT_UNREACHABLE = 11004;
    public static final int IP_DEST_PORT_UNREACHABLE = 11005;
    public static final int IP_NO_RESOURCES = 11006;
    public static final int IP_BAD_OPTION = 11007;
    public static final int IP_HW_ERROR = 11008;
    public static final int IP_PACKET_TOO_BIG = 11009;
    /** No answer within the request's Timeout. */
    public static final int IP_REQ_TIMED_OUT = 11010;
    public static final int IP_BAD_REQ = 11011;
    public static final int IP_BAD_ROUTE = 11012;
    /** A router's Time Exceeded (IPv6: IP_HOP_LIMIT_EXCEEDED); the reply's Address is the router. */
    public static final int IP_TTL_EXPIRED_TRANSIT = 11013;
    /** IPv6: IP_REASSEMBLY_TIME_EXCEEDED. */
    public static final int IP_TTL_EXPIRED_REASSEM = 11014;
    public static final int IP_PARAM_PROBLEM = 11015;
    public static final int IP_SOURCE_QUENCH = 11016;
    public static final int IP_OPTION_TOO_BIG = 11017;
    public static final int IP_BAD_DESTINATION = 11018;
    /** IPv6 only: a Destination Unreachable of a code without its own status. */
    public static final int IP_DEST_UNREACHABLE = 11040;
    /** IPv6 only: a Time Exceeded of a code without its own status. */
    public static final int IP_TIME_EXCEEDED = 11041;
    public static final int IP_BAD_HEADER = 11042;
    public static final int IP_UNRECOGNIZED_NEXT_HEADER = 11043;
    public static final int IP_ICMP_ERROR = 11044;
    /** IPv6: Destination Unreachable, beyond the scope of the source address (code 2). */
    public static final int IP_DEST_SCOPE_MISMATCH = 11045;
    public static final int IP_GENERAL_FAILURE = 11050;

    private IcmpStatus() {}

    /** What a status means for the probe. */
    public enum Meaning {
        /** An ICMP message answered the probe: {@link Outcome#kind()} says which. */
        ANSWER,
        /** Nothing answered within the request's Timeout (IP_REQ_TIMED_OUT). */
        NO_ANSWER,
        /** Any other status: kept as data (counted, dropped), never thrown. */
        OTHER
    }

    /**
     * A status read as an outcome.
     *
     * @param status the IP_STATUS code
     * @param meaning answer, no answer, or other
     * @param kind the answer's kind, null unless {@link Meaning#ANSWER}
     * @param icmpType the ICMP (ICMPv6) type the answer stands for, or -1
     * @param icmpCode its code, or -1 when the status does not say
     */
    public record Outcome(int status, Meaning meaning, @Nullable ResponseKind kind, int icmpType, int icmpCode) {
        static Outcome answer(int status, ResponseKind kind, int type, int code) {
            return new Outcome(status, Meaning.ANSWER, kind, type, code);
        }

        static Outcome of(int status, Meaning meaning) {
            return new Outcome(status, meaning, null, -1, -1);
        }
    }

    /** Maps a reply's status to its outcome, for an IPv4 (IcmpSendEcho2Ex) or IPv6 (Icmp6SendEcho2) request. */
    public static Outcome outcome(int status, boolean ipv6) {
        if (ipv6) {
            return switch (status) {
                case IP_SUCCESS -> Outcome.answer(status, ResponseKind.ECHO_REPLY, 129, 0);
                case IP_TTL_EXPIRED_TRANSIT -> Outcome.answer(status, ResponseKind.TIME_EXCEEDED, 3, 0);
                case IP_TTL_EXPIRED_REASSEM -> Outcome.answer(status, ResponseKind.TIME_EXCEEDED, 3, 1);
                case IP_TIME_EXCEEDED -> Outcome.answer(status, ResponseKind.TIME_EXCEEDED, 3, -1);
                case IP_DEST_NET_UNREACHABLE -> Outcome.answer(status, ResponseKind.DESTINATION_UNREACHABLE, 1, 0);
                case IP_DEST_PROT_UNREACHABLE -> Outcome.answer(status, ResponseKind.DESTINATION_UNREACHABLE, 1, 1);
                case IP_DEST_SCOPE_MISMATCH -> Outcome.answer(status, ResponseKind.DESTINATION_UNREACHABLE, 1, 2);
                case IP_DEST_HOST_UNREACHABLE -> Outcome.answer(status, ResponseKind.DESTINATION_UNREACHABLE, 1, 3);
                case IP_DEST_PORT_UNREACHABLE -> Outcome.answer(status, ResponseKind.DESTINATION_UNREACHABLE, 1, 4);
                case IP_DEST_UNREACHABLE -> Outcome.answer(status, ResponseKind.DESTINATION_UNREACHABLE, 1, -1);
                case IP_REQ_TIMED_OUT -> Outcome.of(status, Meaning.NO_ANSWER);
                default -> Outcome.of(status, Meaning.OTHER); // packet too big (type 2), parameter problem, ...
            };
        }
        return switch (status) {
            case IP_SUCCESS -> Outcome.answer(status, ResponseKind.ECHO_REPLY, 0, 0);
            case IP_TTL_EXPIRED_TRANSIT -> Outcome.answer(status, ResponseKind.TIME_EXCEEDED, 11, 0);
            case IP_TTL_EXPIRED_REASSEM -> Outcome.answer(status, ResponseKind.TIME_EXCEEDED, 11, 1);
            case IP_DEST_NET_UNREACHABLE -> Outcome.answer(status, ResponseKind.DESTINATION_UNREACHABLE, 3, 0);
            case IP_DEST_HOST_UNREACHABLE -> Outcome.answer(status, ResponseKind.DESTINATION_UNREACHABLE, 3, 1);
            case IP_DEST_PROT_UNREACHABLE -> Outcome.answer(status, ResponseKind.DESTINATION_UNREACHABLE, 3, 2);
            case IP_DEST_PORT_UNREACHABLE -> Outcome.answer(status, ResponseKind.DESTINATION_UNREACHABLE, 3, 3);
            // Fragmentation needed and DF set: a Destination Unreachable (code 4) in IPv4.
            case IP_PACKET_TOO_BIG -> Outcome.answer(status, ResponseKind.DESTINATION_UNREACHABLE, 3, 4);
            case IP_REQ_TIMED_OUT -> Outcome.of(status, Meaning.NO_ANSWER);
            default -> Outcome.of(status, Meaning.OTHER); // parameter problem, source quench, local failures, ...
        };
    }

    /** Whether a status returned at send time means this host has no route there. */
    public static boolean noRoute(int status) {
        return status == IP_DEST_NET_UNREACHABLE || status == IP_DEST_HOST_UNREACHABLE || status == IP_BAD_ROUTE
                || status == IP_BAD_DESTINATION || status == Win32.ERROR_NETWORK_UNREACHABLE
                || status == Win32.ERROR_HOST_UNREACHABLE;
    }

    /** The status's name, e.g. "IP_TTL_EXPIRED_TRANSIT (11013)"; Win32 errors by number. */
    public static String describe(int status) {
        String name = switch (status) {
            case IP_SUCCESS -> "IP_SUCCESS";
            case IP_BUF_TOO_SMALL -> "IP_BUF_TOO_SMALL";
            case IP_DEST_NET_UNREACHABLE -> "IP_DEST_NET_UNREACHABLE";
            case IP_DEST_HOST_UNREACHABLE -> "IP_DEST_HOST_UNREACHABLE";
            case IP_DEST_PROT_UNREACHABLE -> "IP_DEST_PROT_UNREACHABLE";
            case IP_DEST_PORT_UNREACHABLE -> "IP_DEST_PORT_UNREACHABLE";
            case IP_NO_RESOURCES -> "IP_NO_RESOURCES";
            case IP_BAD_OPTION -> "IP_BAD_OPTION";
            case IP_HW_ERROR -> "IP_HW_ERROR";
            case IP_PACKET_TOO_BIG -> "IP_PACKET_TOO_BIG";
            case IP_REQ_TIMED_OUT -> "IP_REQ_TIMED_OUT";
            case IP_BAD_REQ -> "IP_BAD_REQ";
            case IP_BAD_ROUTE -> "IP_BAD_ROUTE";
            case IP_TTL_EXPIRED_TRANSIT -> "IP_TTL_EXPIRED_TRANSIT";
            case IP_TTL_EXPIRED_REASSEM -> "IP_TTL_EXPIRED_REASSEM";
            case IP_PARAM_PROBLEM -> "IP_PARAM_PROBLEM";
            case IP_SOURCE_QUENCH -> "IP_SOURCE_QUENCH";
            case IP_OPTION_TOO_BIG -> "IP_OPTION_TOO_BIG";
            case IP_BAD_DESTINATION -> "IP_BAD_DESTINATION";
            case IP_DEST_UNREACHABLE -> "IP_DEST_UNREACHABLE";
            case IP_TIME_EXCEEDED -> "IP_TIME_EXCEEDED";
            case IP_BAD_HEADER -> "IP_BAD_HEADER";
            case IP_UNRECOGNIZED_NEXT_HEADER -> "IP_UNRECOGNIZED_NEXT_HEADER";
            case IP_ICMP_ERROR -> "IP_ICMP_ERROR";
            case IP_DEST_SCOPE_MISMATCH -> "IP_DEST_SCOPE_MISMATCH";
            case IP_GENERAL_FAILURE -> "IP_GENERAL_FAILURE";
            case Win32.ERROR_IO_PENDING -> "ERROR_IO_PENDING";
            case Win32.ERROR_OPERATION_ABORTED -> "ERROR_OPERATION_ABORTED";
            case Win32.ERROR_INVALID_PARAMETER -> "ERROR_INVALID_PARAMETER";
            case Win32.ERROR_NOT_ENOUGH_MEMORY -> "ERROR_NOT_ENOUGH_MEMORY";
            case Win32.ERROR_NETWORK_UNREACHABLE -> "ERROR_NETWORK_UNREACHABLE";
            case Win32.ERROR_HOST_UNREACHABLE -> "ERROR_HOST_UNREACHABLE";
            case Win32.ERROR_CALL_NOT_IMPLEMENTED -> "ERROR_CALL_NOT_IMPLEMENTED";
            case Win32.ERROR_INVALID_HANDLE -> "ERROR_INVALID_HANDLE";
            case Win32.ERROR_ACCESS_DENIED -> "ERROR_ACCESS_DENIED";
            case Win32.ERROR_INSUFFICIENT_BUFFER -> "ERROR_INSUFFICIENT_BUFFER";
            case Win32.ERROR_NOT_SUPPORTED -> "ERROR_NOT_SUPPORTED";
            default -> "error";
        };
        return name + " (" + status + ")";
    }
}
