package io.pathprobe.server;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;

/**
 * A self-signed X.509 v3 certificate for a server, made with the JDK alone: an EC P-256 key, signed
 * with SHA256withECDSA, subject CN = the first name, a subjectAltName with every name (DNS names and
 * IP addresses), basicConstraints CA:false and extendedKeyUsage serverAuth.
 *
 * <p>Why not Netty's {@code SelfSignedCertificate}: on Java 17 its OpenJDK generator needs the
 * encapsulated {@code sun.security.x509} (an {@code --add-exports}), the fallbacks are BouncyCastle
 * (three jars, about 9 MB) or forking {@code keytool}, and it puts one name in the CN only, no IP
 * address in a subjectAltName, which is what clients check. The DER encoding below is the small
 * subset of RFC 5280 a certificate needs.
 */
final class SelfSigned {
    /** A key and its certificate. */
    record Generated(PrivateKey key, X509Certificate certificate) {
        /** The certificate in PEM. */
        String certificatePem() {
            try {
                return pem("CERTIFICATE", certificate.getEncoded());
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The key in PKCS#8 PEM ({@code BEGIN PRIVATE KEY}, unencrypted). */
        String keyPem() {
            return pem("PRIVATE KEY", key.getEncoded());
        }
    }

    private static final int[] OID_ECDSA_SHA256 = {1, 2, 840, 10045, 4, 3, 2};
    private static final int[] OID_CN = {2, 5, 4, 3};
    private static final int[] OID_SAN = {2, 5, 29, 17};
    private static final int[] OID_BASIC_CONSTRAINTS = {2, 5, 29, 19};
    private static final int[] OID_EXT_KEY_USAGE = {2, 5, 29, 37};
    private static final int[] OID_SERVER_AUTH = {1, 3, 6, 1, 5, 5, 7, 3, 1};

    private SelfSigned() {}

    /**
     * A new key and certificate valid from a day ago for {@code validity}, for {@code names} (host
     * names or IP literals; at least one; literals must be literals already, nothing is resolved).
     */
    static Generated generate(List<String> names, Duration validity) throws GeneralSecurityException {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a certificate needs at least one name");
        }
        SecureRandom random = new SecureRandom();
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
        kpg.initialize(new ECGenParameterSpec("secp256r1"), random);
        KeyPair kp = kpg.generateKeyPair();

        byte[] serial = new byte[16];
        random.nextBytes(serial);
        serial[0] &= 0x7f;
        serial[0] |= 0x01; // positive, no leading zero byte needed
        byte[] algorithm = seq(oid(OID_ECDSA_SHA256));
        byte[] name = seq(set(seq(oid(OID_CN), tlv(0x0c, names.get(0).getBytes(StandardCharsets.UTF_8)))));
        Instant now = Instant.now();
        byte[] validityDer = seq(time(now.minus(Duration.ofDays(1))), time(now.plus(validity)));

        ByteArrayOutputStream san = new ByteArrayOutputStream();
        for (String n : names) {
            byte[] ip = ipLiteral(n);
            san.writeBytes(ip != null ? tlv(0x87, ip) : tlv(0x82, n.getBytes(StandardCharsets.US_ASCII)));
        }
        byte[] extensions = tlv(0xa3, seq(
                seq(oid(OID_SAN), tlv(0x04, seq(san.toByteArray()))),
                seq(oid(OID_BASIC_CONSTRAINTS), tlv(0x04, seq())),
                seq(oid(OID_EXT_KEY_USAGE), tlv(0x04, seq(oid(OID_SERVER_AUTH))))));
        byte[] tbs = seq(
                tlv(0xa0, tlv(0x02, new byte[] {2})), // v3
                tlv(0x02, serial),
                algorithm,
                name,
                validityDer,
                name,
                kp.getPublic().getEncoded(), // SubjectPublicKeyInfo, DER already
                extensions);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(kp.getPrivate(), random);
        signer.update(tbs);
        byte[] signature = signer.sign(); // DER SEQUENCE { r, s }
        byte[] bits = new byte[signature.length + 1];
        System.arraycopy(signature, 0, bits, 1, signature.length); // 0 unused bits
        byte[] der = seq(tbs, algorithm, tlv(0x03, bits));
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
        cert.verify(kp.getPublic());
        return new Generated(kp.getPrivate(), cert);
    }

    /** The address bytes of an IPv4 or IPv6 literal, or null for a host name (never resolved). */
    static byte @org.jspecify.annotations.Nullable [] ipLiteral(String s) {
        String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        if (t.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            String[] parts = t.split("\\.");
            byte[] raw = new byte[4];
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(parts[i]);
                if (v > 255) {
                    return null;
                }
                raw[i] = (byte) v;
            }
            return raw;
        }
        if (t.indexOf(':') < 0 || !t.matches("[0-9A-Fa-f:.]+")) {
            return null;
        }
        try {
            // with a colon the JDK parses an IPv6 literal or fails: it never looks a name up
            byte[] raw = InetAddress.getByName(t).getAddress();
            return raw.length == 16 ? raw : null;
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] time(Instant t) {
        var utc = t.atZone(ZoneOffset.UTC);
        if (utc.getYear() < 2050) {
            return tlv(0x17, DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").format(utc)
                    .getBytes(StandardCharsets.US_ASCII));
        }
        return tlv(0x18, DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").format(utc)
                .getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] oid(int[] arcs) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(40 * arcs[0] + arcs[1]);
        for (int i = 2; i < arcs.length; i++) {
            int v = arcs[i];
            int n = 0;
            byte[] tmp = new byte[5];
            do {
                tmp[n++] = (byte) (v & 0x7f);
                v >>>= 7;
            } while (v != 0);
            for (int j = n - 1; j >= 0; j--) {
                b.write(tmp[j] | (j > 0 ? 0x80 : 0));
            }
        }
        return tlv(0x06, b.toByteArray());
    }

    private static byte[] seq(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    private static byte[] set(byte[]... parts) {
        return tlv(0x31, concat(parts));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(value.length + 6);
        b.write(tag);
        int len = value.length;
        if (len < 0x80) {
            b.write(len);
        } else {
            byte[] l = BigInteger.valueOf(len).toByteArray();
            int off = l[0] == 0 ? 1 : 0;
            b.write(0x80 | (l.length - off));
            b.write(l, off, l.length - off);
        }
        b.writeBytes(value);
        return b.toByteArray();
    }
}
