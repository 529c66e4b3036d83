package io.pathprobe.macos.internal;

import io.pathprobe.nativecommon.InternetChecksum;
import java.net.InetAddress;

/**
 * The UDP probes the macOS transport sends from an ordinary unprivileged UDP socket (the kernel writes
 * the UDP header and its checksum; this writes the payload):
 *
 * <pre>
 * UDP header (kernel): source port (the socket's, fixed per session), destination port
 *   (destinationPort + flow: FIXED, EXPLICIT; destinationPort + sequence: PER_PROBE), length,
 *   checksum = sequence + 1 (steered by the compensation word)
 * payload  0..1   compensation: makes the kernel's checksum (pseudo-header, header and payload)
 *                 come out as sequence + 1
 *          2..9   cookie: 8 random bytes per session
 *         10..    filler 'a' + (i - 10) % 26, to the payload's length (16 bytes by default)
 * </pre>
 *
 * The probe number is in the checksum, which is within the 8 bytes every router quotes, so even an
 * RFC 792 minimal quote names the probe (unlike Linux's error queue, which hides the UDP header).
 * Steering needs the exact pseudo-header: the socket is bound to the source address the route
 * lookup names. IPv6 has no IP ID: the checksum alone carries the number there too.
 */
public final class UdpCodec {
    public static final int HEADER = 8;
    public static final int DEFAULT_PAYLOAD = 16;
    /** The fewest payload bytes: the compensation word and the cookie. */
    public static final int MIN_PAYLOAD = 10;
    public static final int MAX_PAYLOAD = 65507;
    static final int OFF_COMPENSATION = 0;
    static final int OFF_COOKIE = 2;
    static final int OFF_FILL = 10;

    private UdpCodec() {}

    /**
     * The payload length for a session's payload size (-1: the default), or IllegalArgumentException naming the limits.
     */
    public static int payloadLength(int payloadSize, String transport) {
        if (payloadSize < 0) {
            return DEFAULT_PAYLOAD;
        }
        if (payloadSize < MIN_PAYLOAD || payloadSize > MAX_PAYLOAD) {
            throw new IllegalArgumentException(transport + ": payload size " + payloadSize + " is out of range: UDP"
                    + " probes carry at least " + MIN_PAYLOAD + " bytes (the 2-byte checksum compensation and an"
                    + " 8-byte cookie) and at most " + MAX_PAYLOAD);
        }
        return payloadSize;
    }

    /** A payload of {@code length} bytes with the cookie, compensation 0. */
    public static byte[] payload(int length, long cookie) {
        byte[] p = new byte[length];
        for (int i = 0; i < 8; i++) {
            p[OFF_COOKIE + i] = (byte) (cookie >>> (56 - 8 * i));
        }
        for (int i = OFF_FILL; i < length; i++) {
            p[i] = (byte) ('a' + (i - OFF_FILL) % 26);
        }
        return p;
    }

    /**
     * The ones' complement sum of everything the UDP checksum covers but the destination port and the
     * compensation word: the pseudo-header (RFC 768 / RFC 8200 8.1), the source port, the length
     * (twice: pseudo-header and header) and the payload.
     */
    public static int baseSum(byte[] payload, InetAddress source, InetAddress destination, int sourcePort) {
        int length = HEADER + payload.length;
        int sum = InternetChecksum.pseudoHeaderSum(source.getAddress(), destination.getAddress(), Darwin.IPPROTO_UDP,
                length);
        sum = InternetChecksum.onesAdd(sum, sourcePort);
        sum = InternetChecksum.onesAdd(sum, length & 0xffff);
        return InternetChecksum.onesSum(payload, OFF_COOKIE, payload.length - OFF_COOKIE, sum);
    }

    /** The checksum probe {@code sequence} is sent with: sequence + 1 (never 0, "no checksum"). */
    public static int checksum(int sequence) {
        return sequence + 1;
    }

    /**
     * Sets the compensation so that the kernel's checksum of the datagram to {@code destinationPort} is {@link
     * #checksum}.
     */
    public static void setProbe(byte[] payload, int baseSum, int destinationPort, int sequence) {
        int sum = InternetChecksum.onesAdd(baseSum, destinationPort);
        IcmpCodec.putShort(payload, OFF_COMPENSATION, InternetChecksum.compensation(sum, checksum(sequence)));
    }
}
