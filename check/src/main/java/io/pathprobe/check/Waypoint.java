package io.pathprobe.check;

import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.LookupStatus;
import io.pathprobe.probe.AddressText;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a path must or must not pass through ({@link Assertion.MustTraverse}, {@link Assertion.MustNotTraverse}): an
 * AS, an address or prefix, or a host name glob. Prints as {@code --must-traverse} takes it: {@code AS64500},
 * {@code 198.18.9.0/24}, {@code *.ix.example}.
 */
public sealed interface Waypoint {
    /**
     * An autonomous system: a responder whose AS lookup found it.
     *
     * @param number the AS number, 0 to 2^32 − 1
     */
    record As(long number) implements Waypoint {
        /**
         * Checks the number.
         *
         * @param number the AS number
         * @throws IllegalArgumentException if it is not 0 to 2^32 − 1
         */
        public As {
            if (number < 0 || number > 0xffff_ffffL) {
                throw new IllegalArgumentException("AS" + number + ": an AS number is 0..4294967295");
            }
        }

        /** {@return {@code "AS64500"}} */
        @Override
        public String toString() {
            return "AS" + number;
        }
    }

    /**
     * An address, or every address of a prefix.
     *
     * @param address the prefix's address (its bits past {@code bits} are ignored)
     * @param bits the prefix length: 0 to 32 for IPv4, 0 to 128 for IPv6
     */
    record Prefix(InetAddress address, int bits) implements Waypoint {
        /**
         * Checks the components.
         *
         * @param address the prefix's address
         * @param bits the prefix length
         * @throws NullPointerException if {@code address} is null
         * @throws IllegalArgumentException if {@code bits} is beyond the address's length
         */
        public Prefix {
            Objects.requireNonNull(address, "address");
            if (bits < 0 || bits > address.getAddress().length * 8) {
                throw new IllegalArgumentException(AddressText.of(address) + "/" + bits + ": a prefix length is 0.."
                        + address.getAddress().length * 8);
            }
        }

        /** {@return whether {@code a} is in this prefix (never, for the other IP version)} */
        boolean contains(InetAddress a) {
            byte[] p = address.getAddress();
            byte[] x = a.getAddress();
            if (p.length != x.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((p[i / 8] & mask) != (x[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        /** {@return {@code "198.18.9.0/24"}, or the address alone for a full-length prefix} */
        @Override
        public String toString() {
            return AddressText.of(address) + (bits == address.getAddress().length * 8 ? "" : "/" + bits);
        }
    }

    /**
     * Responders whose reverse DNS name matches a glob: {@code *} any run of characters, {@code ?} one, case
     * ignored ({@code *.ix.example}).
     *
     * @param glob the glob
     */
    record Name(String glob) implements Waypoint {
        /**
         * Checks the glob.
         *
         * @param glob the glob
         * @throws IllegalArgumentException if it is blank or holds white space
         */
        public Name {
            if (glob.isBlank() || glob.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("'" + glob + "' is no host name glob");
            }
        }

        /** {@return whether {@code name} matches the glob} */
        boolean matches(String name) {
            StringBuilder regex = new StringBuilder();
            for (char c : glob.toCharArray()) {
                regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
            }
            return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE).matcher(name).matches();
        }

        /** {@return the glob} */
        @Override
        public String toString() {
            return glob;
        }
    }

    /**
     * {@return the waypoint {@code text} names: {@code AS64500} (any case), an address literal with an optional
     * {@code /bits}, else a host name glob}
     *
     * @param text the waypoint as {@code --must-traverse} takes it
     * @throws IllegalArgumentException if it is none of them (a bad prefix length, a blank glob)
     */
    static Waypoint parse(String text) {
        String t = text.trim();
        if (t.matches("(?i)AS\\d{1,10}")) {
            return new As(Long.parseLong(t.substring(2)));
        }
        int slash = t.indexOf('/');
        String host = slash < 0 ? t : t.substring(0, slash);
        if (host.contains(":") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            InetAddress a;
            try {
                a = InetAddress.getByName(host); // a literal: no lookup
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + text + "' is no address or prefix", e);
            }
            String bits = slash < 0 ? String.valueOf(a.getAddress().length * 8) : t.substring(slash + 1);
            if (!bits.matches("\\d{1,3}")) {
                throw new IllegalArgumentException("'" + text + "': the prefix length is no number");
            }
            return new Prefix(a, Integer.parseInt(bits));
        }
        return new Name(t);
    }

    /**
     * {@return whether a responder is this waypoint: true or false, or empty when the lookup it needs (the AS for
     * {@link As}, the name for {@link Name}) did not end with an answer either way (off, pending, failed)}
     *
     * @param address the responder's address
     * @param hostname its reverse DNS lookup
     * @param asn its AS lookup
     */
    default Optional<Boolean> matches(InetAddress address, Lookup<String> hostname, Lookup<AsnInfo> asn) {
        if (this instanceof Prefix p) {
            return Optional.of(p.contains(address));
        }
        Lookup<?> needed = this instanceof As ? asn : hostname;
        if (needed.status() == LookupStatus.NOT_FOUND) {
            return Optional.of(false);
        }
        if (needed.status() != LookupStatus.FOUND) {
            return Optional.empty();
        }
        return Optional.of(this instanceof As as ? asn.value().map(i -> i.number() == as.number()).orElse(false)
                : hostname.value().map(n -> ((Name) this).matches(n.toLowerCase(Locale.ROOT))).orElse(false));
    }
}
