package io.pathprobe.core.internal.enrich;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The STUN wire format (RFC 8489) for a Binding transaction: the request, and the reading of
 * responses. Small and hand-written: a 20-byte header (type, length, magic cookie 0x2112A442, 96-bit
 * transaction id) and 4-byte aligned TLV attributes.
 */
final class StunMessages {
    static final int MAGIC_COOKIE = 0x2112A442;
    static final int BINDING_REQUEST = 0x0001;
    static final int BINDING_SUCCESS = 0x0101;
    static final int BINDING_ERROR = 0x0111;
    static final int ATTR_MAPPED_ADDRESS = 0x0001;
    static final int ATTR_ERROR_CODE = 0x0009;
    static final int ATTR_XOR_MAPPED_ADDRESS = 0x0020;
    static final int ATTR_FINGERPRINT = 0x8028;
    static final int FINGERPRINT_XOR = 0x5354554e;
    static final int HEADER = 20;

    private StunMessages() {}

    /** A Binding request with no attributes: 20 bytes. */
    static byte[] bindingRequest(byte[] transactionId) {
        if (transactionId.length != 12) {
            throw new IllegalArgumentException("a transaction id is 12 bytes");
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER);
        b.putShort((short) BINDING_REQUEST).putShort((short) 0).putInt(MAGIC_COOKIE).put(transactionId);
        return b.array();
    }

    /** What a datagram was. */
    sealed interface Response {}

    /** A success response's mapped address ({@code xor}: from XOR-MAPPED-ADDRESS, else MAPPED-ADDRESS). */
    record Mapped(InetSocketAddress address, boolean xor) implements Response {}

    /** An error response. */
    record Error(int code, String reason) implements Response {}

    /** Not a STUN message, or a STUN message not answering our transaction: to be ignored. */
    record Ignored(String why, boolean malformed) implements Response {}

    /**
     * Reads {@code datagram} as an answer to the transaction {@code transactionId}.
     *
     * @throws StunException ({@link StunException.Kind#MALFORMED}) when it is a response to our
     *     transaction that cannot be read
     */
    static Response read(ByteBuffer datagram, byte[] transactionId) throws StunException {
        ByteBuffer b = datagram.slice();
        int total = b.remaining();
        if (total < HEADER) {
            return new Ignored("shorter than a STUN header (" + total + " bytes)", true);
        }
        int type = b.getShort(0) & 0xffff;
        int length = b.getShort(2) & 0xffff;
        if ((type & 0xc000) != 0 || b.getInt(4) != MAGIC_COOKIE) {
            return new Ignored("not a STUN message", true);
        }
        if (length != total - HEADER || (length & 3) != 0) {
            return new Ignored("message length " + length + " does not match the datagram (" + total + " bytes)", true);
        }
        for (int i = 0; i < 12; i++) {
            if (b.get(8 + i) != transactionId[i]) {
                return new Ignored("another transaction", false);
            }
        }
        if (type != BINDING_SUCCESS && type != BINDING_ERROR) {
            return new Ignored(String.format("message type 0x%04x", type), false);
        }
        InetSocketAddress xorMapped = null;
        InetSocketAddress mapped = null;
        int errorCode = -1;
        String reason = "";
        int pos = HEADER;
        while (pos < total) {
            if (total - pos < 4) {
                throw malformed("attribute header cut at byte " + pos);
            }
            int at = b.getShort(pos) & 0xffff;
            int alen = b.getShort(pos + 2) & 0xffff;
            int vpos = pos + 4;
            if (vpos + alen > total) {
                throw malformed(String.format("attribute 0x%04x of %d bytes runs past the message", at, alen));
            }
            switch (at) {
                case ATTR_XOR_MAPPED_ADDRESS -> xorMapped = address(b, vpos, alen, true, transactionId);
                case ATTR_MAPPED_ADDRESS -> mapped = address(b, vpos, alen, false, transactionId);
                case ATTR_ERROR_CODE -> {
                    if (alen < 4) {
                        throw malformed("ERROR-CODE shorter than 4 bytes");
                    }
                    int errorClass = b.get(vpos + 2) & 0x07;
                    int number = b.get(vpos + 3) & 0xff;
                    if (errorClass < 3 || errorClass > 6 || number > 99) { // RFC 8489 14.8: 300..699
                        throw malformed("ERROR-CODE class " + errorClass + " number " + number);
                    }
                    errorCode = errorClass * 100 + number;
                    byte[] r = new byte[alen - 4];
                    b.get(vpos + 4, r);
                    reason = new String(r, StandardCharsets.UTF_8);
                }
                case ATTR_FINGERPRINT -> {
                    if (alen != 4 || vpos + 4 != total) {
                        throw malformed("FINGERPRINT not 4 bytes or not last");
                    }
                    CRC32 crc = new CRC32();
                    ByteBuffer upTo = b.duplicate();
                    upTo.position(0).limit(pos);
                    crc.update(upTo);
                    if (((int) crc.getValue() ^ FINGERPRINT_XOR) != b.getInt(vpos)) {
                        return new Ignored("FINGERPRINT does not match", true);
                    }
                }
                default -> {
                    // others (SOFTWARE, RESPONSE-ORIGIN, OTHER-ADDRESS, MESSAGE-INTEGRITY, RFC 3489's
                    // SOURCE-ADDRESS/CHANGED-ADDRESS, ...) are not needed; unknown comprehension-required
                    // ones are ignored too (RFC 8489 would fail the transaction: be liberal here)
                }
            }
            pos = vpos + ((alen + 3) & ~3);
        }
        if (type == BINDING_ERROR) {
            if (errorCode < 0) {
                throw malformed("error response without ERROR-CODE");
            }
            return new Error(errorCode, reason);
        }
        if (xorMapped != null) {
            return new Mapped(xorMapped, true);
        }
        if (mapped != null) {
            return new Mapped(mapped, false);
        }
        throw malformed("success response without XOR-MAPPED-ADDRESS or MAPPED-ADDRESS");
    }

    private static InetSocketAddress address(ByteBuffer b, int pos, int len, boolean xor, byte[] tid)
            throws StunException {
        if (len < 4) {
            throw malformed("address attribute shorter than 4 bytes");
        }
        int family = b.get(pos + 1) & 0xff;
        int alen = family == 0x01 ? 4 : family == 0x02 ? 16 : -1;
        if (alen < 0) {
            throw malformed("address family " + family);
        }
        if (len != 4 + alen) {
            throw malformed("address attribute of " + len + " bytes for family " + family);
        }
        int port = b.getShort(pos + 2) & 0xffff;
        byte[] addr = new byte[alen];
        b.get(pos + 4, addr);
        if (xor) {
            port ^= MAGIC_COOKIE >>> 16;
            byte[] key = new byte[16];
            ByteBuffer.wrap(key).putInt(MAGIC_COOKIE).put(tid);
            for (int i = 0; i < alen; i++) {
                addr[i] ^= key[i];
            }
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(addr), port);
        } catch (UnknownHostException e) {
            throw malformed("address of " + alen + " bytes");
        }
    }

    private static StunException malformed(String why) {
        return new StunException(StunException.Kind.MALFORMED, "malformed STUN response: " + why);
    }

    /** For tests and the lab: appends a FINGERPRINT to {@code msg} (header length updated). */
    static byte[] withFingerprint(byte[] msg) {
        ByteBuffer b = ByteBuffer.allocate(msg.length + 8).put(msg);
        b.putShort(2, (short) (msg.length - HEADER + 8));
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, msg.length);
        b.putShort((short) ATTR_FINGERPRINT).putShort((short) 4).putInt((int) crc.getValue() ^ FINGERPRINT_XOR);
        return b.array();
    }
}
