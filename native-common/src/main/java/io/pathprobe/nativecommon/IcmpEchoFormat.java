package io.pathprobe.nativecommon;

import static io.pathprobe.nativecommon.InternetChecksum.onesAdd;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The ICMP echo request the native transports send, one layout on every OS so that captures compare, and the ICMP
 * types they read back:
 * <pre>
 *  0      type (8, or 128 for ICMPv6), code 0
 *  2      checksum
 *  4      identifier
 *  6      sequence
 *  8..15  cookie: 8 random bytes per session, never all 0 (0 reads as RFC 4884 padding)
 * 16..17  compensation: makes the checksum the one chosen for the probe's flow whatever the sequence
 * 18..    filler 'A' + (i - 18) % 26 to the message's length (40 bytes by default)
 * </pre>
 * Each transport writes and reads it in its own memory (native memory on Linux, byte arrays on macOS).
 */
public final class IcmpEchoFormat {
    /** The default message length: 8 header and 32 data bytes. */
    public static final int LENGTH = 40;
    public static final int HEADER = 8;
    /** The fewest data bytes a request carries: the cookie and the compensation word. */
    public static final int MIN_DATA = 10;
    /** The most data bytes: an IPv4 packet of 65535 bytes. */
    public static final int MAX_DATA = 65507;
    public static final int ECHO_REQUEST = 8;
    public static final int ECHO_REPLY = 0;
    public static final int ECHO_REQUEST_V6 = 128;
    public static final int ECHO_REPLY_V6 = 129;
    public static final int TIME_EXCEEDED = 11;
    public static final int DEST_UNREACH = 3;
    public static final int TIME_EXCEEDED_V6 = 3;
    public static final int DEST_UNREACH_V6 = 1;
    /** Flows with distinct checksums: 0..{@value}. */
    public static final int MAX_FLOW = 0xfffe;

    public static final int OFF_ID = 4;
    public static final int OFF_SEQ = 6;
    public static final int OFF_COOKIE = 8;
    public static final int OFF_COMPENSATION = 16;
    public static final int OFF_FILL = 18;

    private IcmpEchoFormat() {}

    /**
     * The message length for a session's payload size ({@code -1}: {@link #LENGTH}), or IllegalArgumentException
     * naming the limits of {@code transport}.
     */
    public static int length(int payloadSize, String transport) {
        if (payloadSize < 0) {
            return LENGTH;
        }
        if (payloadSize < MIN_DATA || payloadSize > MAX_DATA) {
            throw new IllegalArgumentException(transport + ": payload size " + payloadSize
                    + " is out of range: ICMP echo"
                    + " data must be at least " + MIN_DATA + " bytes (an 8-byte cookie and the 2-byte checksum"
                    + " compensation) and at most " + MAX_DATA);
        }
        return HEADER + payloadSize;
    }

    /** The filler byte at offset {@code i} (at least {@link #OFF_FILL}) of a request. */
    public static byte fill(int i) {
        return (byte) ('A' + (i - OFF_FILL) % 26);
    }

    /** The checksum of a flow's probes: {@code flow % 0xffff}. */
    public static int flowChecksum(int flow) {
        return flow % 0xffff;
    }

    /**
     * The compensation word that makes a request whose fixed words sum to {@code baseSum}, with {@code sequence},
     * have the checksum {@code checksum} (not 0xffff).
     */
    public static int compensation(int baseSum, int sequence, int checksum) {
        return InternetChecksum.compensation(onesAdd(baseSum, sequence), checksum);
    }

    /** A random cookie, never 0 (0 reads as padding). */
    public static long newCookie() {
        long c;
        do {
            c = ThreadLocalRandom.current().nextLong();
        } while (c == 0);
        return c;
    }
}
