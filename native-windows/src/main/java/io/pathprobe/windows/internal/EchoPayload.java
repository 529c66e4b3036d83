package io.pathprobe.windows.internal;

/**
 * The echo request's data: the probe's sequence number (2 bytes, big-endian), the session's cookie
 * (4 bytes), then the deterministic pattern {@code i & 0xff} at index {@code i}; shorter payloads
 * carry a prefix of that. Windows chooses the ICMP identifier and sequence number itself and ties
 * each answer to its request, so the transport knows which probe an answer belongs to from the
 * request; the data only lets it check that an echo reply brought back what was sent.
 */
public final class EchoPayload {
    /** The default payload: 32 data bytes (Windows ping's default, and the Linux transports'). */
    public static final int DEFAULT_SIZE = 32;

    private EchoPayload() {}

    public static byte[] build(int size, int sequence, int cookie) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) i;
        }
        byte[] head = {(byte) (sequence >>> 8), (byte) sequence, (byte) (cookie >>> 24), (byte) (cookie >>> 16),
                (byte) (cookie >>> 8), (byte) cookie};
        System.arraycopy(head, 0, b, 0, Math.min(size, head.length));
        return b;
    }

    /**
     * Whether {@code length} bytes of {@code reply} at {@code offset} are the first {@code length}
     * bytes of what was sent (false when they reach beyond either array).
     */
    public static boolean echoes(byte[] sent, byte[] reply, int offset, int length) {
        if (offset < 0 || length < 0 || length > sent.length || offset + length > reply.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (reply[offset + i] != sent[i]) {
                return false;
            }
        }
        return true;
    }
}
